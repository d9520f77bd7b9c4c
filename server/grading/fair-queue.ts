/**
 * Fair sharing of the grading processes between learners. Jobs wait in one queue per learner; a free process
 * takes the next job of the learner who has used the least grading time lately (usage decays with a half-life; the
 * first `freeMsPerJob` of each job is free, so ordinary gradings of ~10-50 ms never put anyone behind), ties going
 * to the learner served least recently (round robin), then to the oldest job. A learner has at most
 * `maxInFlightPerLearner` jobs running and `maxQueuedPerLearner` waiting, so a learner flooding with endless loops
 * delays another learner by at most the jobs already running, and once their loops have cost them usage, by those
 * alone.
 */
export interface FairQueueOptions {
  /** jobs of one learner running at once */
  maxInFlightPerLearner?: number;
  /** jobs of one learner waiting; past it a new job is refused */
  maxQueuedPerLearner?: number;
  /** jobs waiting in all; past it a new job is refused */
  maxQueued?: number;
  /** how fast past grading time is forgotten */
  usageHalfLifeMs?: number;
  /** the part of each job's time that does not count as usage */
  freeMsPerJob?: number;
  now?: () => number;
}

interface LearnerState {
  queue: { item: unknown; seq: number }[];
  inFlight: number;
  /** when a job of this learner was last taken (round robin among equals) */
  lastServed: number;
  /** grading time used, decayed to `at` */
  usage: number;
  at: number;
}

export class FairQueue<T> {
  private readonly learners = new Map<string, LearnerState>();
  private seq = 0;
  private queued = 0;
  readonly maxInFlightPerLearner: number;
  readonly maxQueuedPerLearner: number;
  readonly maxQueued: number;
  private readonly halfLifeMs: number;
  private readonly freeMsPerJob: number;
  private readonly now: () => number;

  constructor(options: FairQueueOptions = {}) {
    this.maxInFlightPerLearner = options.maxInFlightPerLearner ?? 1;
    this.maxQueuedPerLearner = options.maxQueuedPerLearner ?? 4;
    this.maxQueued = options.maxQueued ?? 64;
    this.halfLifeMs = options.usageHalfLifeMs ?? 60_000;
    this.freeMsPerJob = options.freeMsPerJob ?? 250;
    this.now = options.now ?? (() => performance.now());
  }

  /** Jobs waiting (not running). */
  get size(): number {
    return this.queued;
  }

  /** Jobs of `learner` waiting and running. */
  count(learner: string): { queued: number; inFlight: number } {
    const s = this.learners.get(learner);
    return { queued: s?.queue.length ?? 0, inFlight: s?.inFlight ?? 0 };
  }

  /** Adds a job; false when the learner's queue or the whole queue is full. */
  push(learner: string, item: T): boolean {
    if (this.queued >= this.maxQueued) return false;
    const s = this.state(learner);
    if (s.queue.length >= this.maxQueuedPerLearner) return false;
    s.queue.push({ item, seq: this.seq++ });
    this.queued += 1;
    return true;
  }

  /** Takes the next job to run (and counts it in flight for its learner), if any learner may run one. */
  take(): { learner: string; item: T } | undefined {
    let best: [string, LearnerState] | undefined;
    let bestUsage = Infinity;
    const now = this.now();
    for (const entry of this.learners) {
      const s = entry[1];
      const usage = this.decayed(s, now);
      if (s.queue.length === 0 && s.inFlight === 0 && usage < 1) this.learners.delete(entry[0]); // idle and forgotten
      if (s.queue.length === 0 || s.inFlight >= this.maxInFlightPerLearner) continue;
      if (usage < bestUsage || (usage === bestUsage && this.before(s, best![1]))) {
        best = entry;
        bestUsage = usage;
      }
    }
    if (!best) return undefined;
    const [learner, s] = best;
    const job = s.queue.shift()!;
    this.queued -= 1;
    s.inFlight += 1;
    s.lastServed = now;
    return { learner, item: job.item as T };
  }

  /** A running job of `learner` ended after `usedMs` of grading time. */
  done(learner: string, usedMs: number): void {
    const s = this.learners.get(learner);
    if (!s) return;
    s.inFlight = Math.max(0, s.inFlight - 1);
    s.usage = this.decayed(s, this.now()) + Math.max(0, usedMs - this.freeMsPerJob);
    s.at = this.now();
    this.forget(learner, s);
  }

  /** Every waiting job (the pool is closing). */
  drain(): T[] {
    const out: T[] = [];
    for (const [learner, s] of this.learners) {
      for (const job of s.queue.splice(0)) out.push(job.item as T);
      this.forget(learner, s);
    }
    this.queued = 0;
    return out;
  }

  private state(learner: string): LearnerState {
    let s = this.learners.get(learner);
    if (!s) {
      s = { queue: [], inFlight: 0, lastServed: -Infinity, usage: 0, at: this.now() };
      this.learners.set(learner, s);
    }
    return s;
  }

  /** Among learners of equal usage: the one served least recently, then the one with the oldest job. */
  private before(a: LearnerState, b: LearnerState): boolean {
    if (a.lastServed !== b.lastServed) return a.lastServed < b.lastServed;
    return a.queue[0]!.seq < b.queue[0]!.seq;
  }

  private decayed(s: LearnerState, now: number): number {
    return s.usage === 0 ? 0 : s.usage * 2 ** (-(now - s.at) / this.halfLifeMs);
  }

  /** A learner with nothing waiting or running and (almost) no usage left is dropped, so the map stays small. */
  private forget(learner: string, s: LearnerState): void {
    if (s.queue.length === 0 && s.inFlight === 0 && this.decayed(s, this.now()) < 1) this.learners.delete(learner);
  }
}
