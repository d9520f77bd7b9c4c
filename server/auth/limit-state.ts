/*
 * Where the rate limits keep their counters (issue 16). Each limited key has one JSON state; a limit reads it,
 * computes the next state and its answer, and writes it back in one atomic step, so parallel requests (in this
 * process or, with the database's implementation, in other app processes) see each other's counts.
 */

/** One step of a limit: the next state of the key (undefined: forget it), until when it matters, and the answer. */
export interface LimitChange<S, R> {
  state: S | undefined;
  expiresAt: number;
  result: R;
}

export interface LimitState {
  /**
   * Reads the state of `key` (undefined when absent or past its expiry at `now`), applies `change` and stores its
   * state, atomically with respect to every other update of the same key.
   */
  update<S, R>(key: string, now: number, change: (state: S | undefined) => LimitChange<S, R>): Promise<R>;
}

/** Counters of this process only (tests, and a limiter without a database). */
export class MemoryLimitState implements LimitState {
  private readonly entries = new Map<string, { state: unknown; expiresAt: number }>();

  constructor(private readonly maxKeys = 50_000) {}

  async update<S, R>(key: string, now: number, change: (state: S | undefined) => LimitChange<S, R>): Promise<R> {
    const entry = this.entries.get(key);
    const current = entry && entry.expiresAt > now ? (structuredClone(entry.state) as S) : undefined;
    const next = change(current);
    if (next.state === undefined) this.entries.delete(key);
    else {
      this.entries.set(key, { state: structuredClone(next.state), expiresAt: next.expiresAt });
      if (this.entries.size > this.maxKeys) this.prune(now);
    }
    return next.result;
  }

  /** keys with a live state (tests) */
  get size(): number {
    return this.entries.size;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
