/**
 * Submissions that hit a limit (time, memory, a killed grading process) cost no attempt, but they are what a
 * flooder sends: each learner may hit limits only `limit` times per window. Submissions still being graded count
 * as if they will hit one (reserve, then settle), so a burst of parallel submissions cannot pass the check together.
 */
export class LimitBudget {
  private readonly hits = new Map<string, number[]>();
  private readonly pending = new Map<string, number>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Limit hits in the window plus submissions of `key` being graded. */
  used(key: string): number {
    return this.recent(key).length + (this.pending.get(key) ?? 0);
  }

  /** Reserves one submission's worth; false (and nothing reserved) when the budget is used up. */
  begin(key: string): boolean {
    if (this.used(key) >= this.limit) return false;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
    return true;
  }

  /** Settles a reservation: it counts in the window only when the submission hit a limit. */
  end(key: string, hitLimit: boolean): void {
    const left = (this.pending.get(key) ?? 1) - 1;
    if (left > 0) this.pending.set(key, left);
    else this.pending.delete(key);
    if (hitLimit) {
      this.hits.set(key, [...this.recent(key), this.now()]);
      if (this.hits.size > 10_000) this.prune();
    }
  }

  private recent(key: string): number[] {
    const list = this.hits.get(key);
    if (!list) return [];
    const since = this.now() - this.windowMs;
    const kept = list.filter((t) => t > since);
    if (kept.length === 0) this.hits.delete(key);
    else if (kept.length !== list.length) this.hits.set(key, kept);
    return kept;
  }

  private prune(): void {
    for (const key of [...this.hits.keys()]) this.recent(key);
  }
}
