/*
 * Counters kept in memory (one server process). A restart forgets them, which only helps a guesser after a restart,
 * not in a stream of attempts. Each map is pruned of stale keys when it grows past MAX_KEYS.
 */
const MAX_KEYS = 50_000;

/** Fixed-window counters: at most `limit` per key in each window of `windowMs`. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private current(key: string, now: number): { start: number; count: number } {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > MAX_KEYS) this.prune(now);
    }
    return w;
  }

  /** true when `key` has used up its attempts in the current window */
  blocked(key: string): boolean {
    const w = this.windows.get(key);
    return !!w && this.now() - w.start < this.windowMs && w.count >= this.limit;
  }

  /** counts one attempt; returns false when the limit is exceeded */
  hit(key: string): boolean {
    const w = this.current(key, this.now());
    w.count += 1;
    return w.count <= this.limit;
  }

  /**
   * Counts one attempt before it is made, if the key has one left: returns a function that gives it back (for an
   * attempt that turns out not to count), or null, counting nothing, when the window is used up.
   */
  reserve(key: string): (() => void) | null {
    const w = this.current(key, this.now());
    if (w.count >= this.limit) return null;
    w.count += 1;
    let given = false;
    return () => {
      // only into the window it was taken from, and once
      if (!given && this.windows.get(key) === w && w.count > 0) w.count -= 1;
      given = true;
    };
  }

  /** ms until `key` has an attempt again (0 when it has one now) */
  retryAfterMs(key: string): number {
    const w = this.windows.get(key);
    const now = this.now();
    return w && now - w.start < this.windowMs && w.count >= this.limit ? w.start + this.windowMs - now : 0;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
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
  fail(): void;
  /** the attempt succeeded: the key starts again from zero (attempts still in flight stay counted) */
  succeed(): void;
  /** the attempt was never made (refused later): it is given back */
  cancel(): void;
}

/**
 * Failures per key with an exponential wait: the first `free` failures cost nothing; after that, each failure makes
 * the key wait baseMs·2^(failures − free), at most maxMs, before its next attempt. An attempt is counted as a failure
 * when it is reserved, before the password is checked, so parallel attempts see each other and cannot all be checked;
 * it is settled when the check ends.
 */
export class Backoff {
  private readonly records = new Map<string, { failures: number; pending: number; nextAt: number; lastAt: number }>();

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  delayAfter(failures: number): number {
    return failures < this.policy.free ? 0 : Math.min(this.policy.maxMs, this.policy.baseMs * 2 ** (failures - this.policy.free));
  }

  /** failures counted for `key` (reserved ones included) */
  failures(key: string): number {
    return this.records.get(key)?.failures ?? 0;
  }

  reserve(key: string): Reservation<BackoffSettle> {
    const now = this.now();
    let r = this.records.get(key);
    if (r && r.pending === 0 && now - r.lastAt >= this.policy.forgetMs) r = undefined;
    if (!r) {
      r = { failures: 0, pending: 0, nextAt: 0, lastAt: now };
      this.records.set(key, r);
      if (this.records.size > MAX_KEYS) this.prune(now);
    }
    if (now < r.nextAt) return { ok: false, retryAfterMs: r.nextAt - now };
    const record = r;
    record.failures += 1;
    record.pending += 1;
    record.lastAt = now;
    record.nextAt = now + this.delayAfter(record.failures);
    let settled = false;
    const once = (fn: () => void) => () => {
      if (settled) return;
      settled = true;
      record.pending -= 1;
      fn();
      if (record.failures === 0 && record.pending === 0 && this.records.get(key) === record) this.records.delete(key);
    };
    return {
      ok: true,
      settle: {
        fail: once(() => {
          const at = this.now();
          record.lastAt = at;
          record.nextAt = Math.max(record.nextAt, at + this.delayAfter(record.failures));
        }),
        succeed: once(() => {
          record.failures = record.pending;
          record.nextAt = 0;
        }),
        cancel: once(() => {
          record.failures -= 1;
        }),
      },
    };
  }

  private prune(now: number): void {
    for (const [key, r] of this.records) if (r.pending === 0 && now - r.lastAt >= this.policy.forgetMs) this.records.delete(key);
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
