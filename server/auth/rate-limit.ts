import { MemoryLimitState, type LimitState } from './limit-state';

/*
 * The counting limits of sign-in, sign-up and code submissions. Their counters live in a LimitState: the database's
 * in the app (db/limit-state.ts, shared by every app process and kept over a restart), memory in unit tests. Each
 * limiter names its keys with a prefix of its own, so limiters can share one state.
 */

/** What a limiter is told when it is built. */
export interface LimiterOptions {
  /** the prefix of this limiter's keys in the state */
  name: string;
  state?: LimitState;
  now?: () => number;
}

/** A sliding window's state: the times of the attempts counted, oldest first. */
interface WindowState {
  hits: number[];
}

/** An attempt the limiter let through; `release` gives it back (an attempt that turned out not to count). */
export type Reserved = { ok: true; release: () => Promise<void> } | { ok: false; retryAfterMs: number };

/**
 * A sliding window: at most `limit` attempts per key in any `windowMs` (a log of the attempts' times, so no burst
 * across the edge of a fixed window gets twice the limit).
 */
export class RateLimiter {
  private readonly name: string;
  private readonly state: LimitState;
  private readonly now: () => number;

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    options: LimiterOptions,
  ) {
    this.name = options.name;
    this.state = options.state ?? new MemoryLimitState();
    this.now = options.now ?? Date.now;
  }

  /** Counts one attempt before it is made, if the key has one left; counts nothing when the window is used up. */
  async reserve(key: string): Promise<Reserved> {
    const now = this.now();
    const since = now - this.windowMs;
    const taken = await this.state.update<WindowState, number | { retryAfterMs: number }>(`${this.name}:${key}`, now, (state) => {
      const hits = (state?.hits ?? []).filter((t) => t > since);
      if (hits.length >= this.limit) {
        // the attempt that makes room is the one `limit` places before the newest
        const retryAfterMs = hits[hits.length - this.limit]! + this.windowMs - now;
        return { state: { hits }, expiresAt: hits[hits.length - 1]! + this.windowMs, result: { retryAfterMs } };
      }
      hits.push(now);
      return { state: { hits }, expiresAt: now + this.windowMs, result: now };
    });
    if (typeof taken !== 'number') return { ok: false, retryAfterMs: Math.max(1, taken.retryAfterMs) };
    let given = false;
    return {
      ok: true,
      release: async () => {
        if (given) return;
        given = true;
        await this.giveBack(key, taken);
      },
    };
  }

  /** Counts one attempt; false (nothing counted) when the window is used up. */
  async hit(key: string): Promise<boolean> {
    return (await this.reserve(key)).ok;
  }

  /** Forgets every attempt of `key`. */
  async reset(key: string): Promise<void> {
    await this.state.update(`${this.name}:${key}`, this.now(), () => ({ state: undefined, expiresAt: 0, result: undefined }));
  }

  /** Removes the attempt counted at `at` (one of them, if several share the millisecond). */
  private async giveBack(key: string, at: number): Promise<void> {
    await this.state.update<WindowState, void>(`${this.name}:${key}`, this.now(), (state) => {
      const hits = [...(state?.hits ?? [])];
      const index = hits.indexOf(at);
      if (index !== -1) hits.splice(index, 1);
      const last = hits[hits.length - 1];
      return last === undefined ? { state: undefined, expiresAt: 0, result: undefined } : { state: { hits }, expiresAt: last + this.windowMs, result: undefined };
    });
  }
}

export interface BackoffPolicy {
  /** failures that cost no wait */
  free: number;
  /** the wait after failure number `free`; it doubles with each further failure */
  baseMs: number;
  /** the longest wait */
  maxMs: number;
  /** a key with no attempt for this long starts again from zero */
  forgetMs: number;
}

export type Reservation<Settle> = { ok: true; settle: Settle } | { ok: false; retryAfterMs: number };

export interface BackoffSettle {
  /** the attempt failed: it stays counted and the wait starts from now */
  fail(): Promise<void>;
  /** the attempt succeeded: the key starts again from zero (attempts still in flight stay counted) */
  succeed(): Promise<void>;
  /** the attempt was never made (refused later): it is given back */
  cancel(): Promise<void>;
}

/** A backoff key's state; `pending` attempts are reserved and not yet settled (in any process). */
interface BackoffState {
  failures: number;
  pending: number;
  nextAt: number;
  lastAt: number;
}

/**
 * Failures per key with an exponential wait: the first `free` failures cost nothing; after that, each failure makes
 * the key wait baseMs·2^(failures − free), at most maxMs, before its next attempt. An attempt is counted as a failure
 * when it is reserved, before the password is checked, so parallel attempts see each other and cannot all be checked;
 * it is settled when the check ends. A key is forgotten `forgetMs` after its last attempt, even with attempts still
 * pending: those belong to a process that died.
 */
export class Backoff {
  private readonly name: string;
  private readonly state: LimitState;
  private readonly now: () => number;

  constructor(
    private readonly policy: BackoffPolicy,
    options: LimiterOptions,
  ) {
    this.name = options.name;
    this.state = options.state ?? new MemoryLimitState();
    this.now = options.now ?? Date.now;
  }

  delayAfter(failures: number): number {
    return failures < this.policy.free ? 0 : Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** (failures - this.policy.free));
  }

  /** failures counted for `key` (reserved ones included) */
  async failures(key: string): Promise<number> {
    return this.change(key, (r) => ({ record: r, result: r?.failures ?? 0 }));
  }

  async reserve(key: string): Promise<Reservation<BackoffSettle>> {
    const now = this.now();
    const refusedFor = await this.change(key, (found) => {
      const r = found ?? { failures: 0, pending: 0, nextAt: 0, lastAt: now };
      if (now < r.nextAt) return { record: r, result: r.nextAt - now };
      const failures = r.failures + 1;
      return { record: { failures, pending: r.pending + 1, lastAt: now, nextAt: now + this.delayAfter(failures) }, result: 0 };
    });
    if (refusedFor > 0) return { ok: false, retryAfterMs: refusedFor };
    let settled = false;
    // each settlement ends the attempt once: it is no longer pending
    const once = (fn: (r: BackoffState, at: number) => BackoffState) => async () => {
      if (settled) return;
      settled = true;
      const at = this.now();
      await this.change(key, (r) => ({ record: r ? fn({ ...r, pending: Math.max(0, r.pending - 1) }, at) : undefined, result: undefined }));
    };
    return {
      ok: true,
      settle: {
        fail: once((r, at) => ({ ...r, lastAt: at, nextAt: Math.max(r.nextAt, at + this.delayAfter(r.failures)) })),
        succeed: once((r) => ({ ...r, failures: r.pending, nextAt: 0 })),
        cancel: once((r) => ({ ...r, failures: Math.max(0, r.failures - 1) })),
      },
    };
  }

  /** One atomic step on the key's record; a record with nothing counted and nothing pending is dropped. */
  private change<R>(key: string, step: (record: BackoffState | undefined) => { record: BackoffState | undefined; result: R }): Promise<R> {
    return this.state.update<BackoffState, R>(`${this.name}:${key}`, this.now(), (found) => {
      const { record, result } = step(found);
      const empty = !record || (record.failures === 0 && record.pending === 0);
      return { state: empty ? undefined : record, expiresAt: record ? record.lastAt + this.policy.forgetMs : 0, result };
    });
  }
}

/** Thrown by WorkSlots when every slot is taken and the queue is full. */
export class BusyError extends Error {
  constructor() {
    super('work slots busy');
  }
}

/**
 * At most `slots` jobs at once, and at most `queue` waiting for a slot; beyond that a job is refused at once
 * (BusyError), so a flood costs the server a bounded amount of work and memory and other requests keep their share.
 */
export class WorkSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly slots: number,
    readonly queue: number,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** runs `job` in a slot; rejects with BusyError, without running it, when the slots and the queue are full */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) {
      if (this.waiting.length >= this.queue) throw new BusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      // hand the slot straight to the next job, so a newcomer cannot overtake the queue
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
