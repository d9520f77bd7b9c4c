import { MemoryLimitState, type LimitState } from '../auth/limit-state';
import type { LimiterOptions } from '../auth/rate-limit';

/**
 * Submissions that hit a limit (time, memory, a killed grading process) cost no attempt, but they are what a
 * flooder sends: each learner may hit limits only `limit` times per window. Submissions still being graded count
 * as if they will hit one (begin, then end), so a burst of parallel submissions cannot pass the check together, in
 * one app process or across several (the state is the database's in the app). A submission whose process died
 * before it ended stops counting after a window.
 */
interface BudgetState {
  /** when each limit hit in the window happened */
  hits: number[];
  /** when each submission still being graded began */
  pending: number[];
}

export class LimitBudget {
  private readonly name: string;
  private readonly state: LimitState;
  private readonly now: () => number;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    options: LimiterOptions,
  ) {
    this.name = options.name;
    this.state = options.state ?? new MemoryLimitState();
    this.now = options.now ?? Date.now;
  }

  /** Limit hits in the window plus submissions of `key` being graded. */
  used(key: string): Promise<number> {
    return this.step(key, (s) => ({ next: s, result: s.hits.length + s.pending.length }));
  }

  /** Reserves one submission's worth: the reservation to end, or null (nothing reserved) when the budget is used up. */
  begin(key: string): Promise<number | null> {
    const now = this.now();
    return this.step(key, (s) => (s.hits.length + s.pending.length >= this.limit ? { next: s, result: null } : { next: { hits: s.hits, pending: [...s.pending, now] }, result: now }));
  }

  /** Settles a reservation: it counts in the window only when the submission hit a limit. */
  async end(key: string, reservation: number, hitLimit: boolean): Promise<void> {
    const now = this.now();
    await this.step(key, (s) => {
      const pending = [...s.pending];
      const index = pending.indexOf(reservation);
      if (index !== -1) pending.splice(index, 1);
      return { next: { hits: hitLimit ? [...s.hits, now] : s.hits, pending }, result: undefined };
    });
  }

  /** One atomic step on the key's state, with what left the window already dropped. */
  private step<R>(key: string, change: (state: BudgetState) => { next: BudgetState; result: R }): Promise<R> {
    const now = this.now();
    const since = now - this.windowMs;
    return this.state.update<BudgetState, R>(`${this.name}:${key}`, now, (found) => {
      const live = { hits: (found?.hits ?? []).filter((t) => t > since), pending: (found?.pending ?? []).filter((t) => t > since) };
      const { next, result } = change(live);
      const times = [...next.hits, ...next.pending];
      if (times.length === 0) return { state: undefined, expiresAt: 0, result };
      return { state: next, expiresAt: Math.max(...times) + this.windowMs, result };
    });
  }
}
