import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../../server/grading/fair-queue';

function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** Runs the queue like a pool of `slots` processes where every job takes `jobMs`; returns the order jobs ran. */
function drain(queue: FairQueue<string>, slots: number, jobMs: number, c: ReturnType<typeof clock>): string[] {
  const order: string[] = [];
  const running: { learner: string; item: string }[] = [];
  for (;;) {
    while (running.length < slots) {
      const next = queue.take();
      if (!next) break;
      running.push(next);
      order.push(next.item);
    }
    const done = running.shift();
    if (!done) return order;
    c.advance(jobMs);
    queue.done(done.learner, jobMs);
  }
}

describe('fair queue of grading jobs', () => {
  it("does not put learner B's single job behind learner A's ten", () => {
    const c = clock();
    const queue = new FairQueue<string>({ maxQueuedPerLearner: 10, now: c.now });
    for (let i = 1; i <= 10; i++) expect(queue.push('A', `A${i}`)).toBe(true);
    expect(queue.push('B', 'B1')).toBe(true);
    // One process: A's first job was queued first, then B's job runs before the rest of A's.
    expect(drain(queue, 1, 1_000, c)).toEqual(['A1', 'B1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9', 'A10']);
  });

  it('serves the learner who used the least grading time first, a flooder last', () => {
    const c = clock();
    const queue = new FairQueue<string>({ maxQueuedPerLearner: 10, now: c.now });
    queue.push('flood', 'f1');
    const first = queue.take()!;
    c.advance(5_000);
    queue.done(first.learner, 5_000); // an endless loop used the full 5 s
    queue.push('flood', 'f2');
    queue.push('victim', 'v1');
    expect(queue.take()?.item).toBe('v1');
    expect(queue.take()?.item).toBe('f2');
  });

  it('takes turns between learners of equal usage (round robin), whatever order their jobs came in', () => {
    const c = clock();
    const queue = new FairQueue<string>({ maxQueuedPerLearner: 5, now: c.now });
    for (const j of ['A1', 'A2', 'A3']) queue.push('A', j);
    for (const j of ['B1', 'B2', 'B3']) queue.push('B', j);
    // Ordinary gradings (within the free part of a job) cost no usage: the learners stay equal.
    expect(drain(queue, 1, 40, c)).toEqual(['A1', 'B1', 'A2', 'B2', 'A3', 'B3']);
  });

  it("counts only a job's time past the free part, so ordinary gradings never put a learner behind", () => {
    const c = clock();
    const queue = new FairQueue<string>({ now: c.now, freeMsPerJob: 250 });
    for (let i = 1; i <= 20; i++) {
      queue.push('steady', `s${i}`);
      queue.take();
      c.advance(1_000);
      queue.done('steady', 200); // twenty ordinary gradings
    }
    queue.push('newcomer', 'n1');
    queue.take();
    queue.done('newcomer', 1_000); // one heavy job: 750 ms of usage
    queue.push('newcomer', 'n2');
    queue.push('steady', 's21');
    expect(queue.take()?.item).toBe('s21');
  });

  it('forgets old usage: a learner who flooded an hour ago is not behind anyone today', () => {
    const c = clock();
    const queue = new FairQueue<string>({ now: c.now, usageHalfLifeMs: 60_000 });
    queue.push('old', 'o1');
    queue.take();
    queue.done('old', 60_000);
    c.advance(3_600_000);
    queue.push('new', 'n1');
    queue.push('old', 'o2');
    queue.push('new', 'n2');
    expect(queue.take()?.item).toBe('n1'); // equal (none) usage: the oldest job first
    expect(queue.take()?.item).toBe('o2');
  });

  it('runs at most one job per learner at a time, even with free processes', () => {
    const queue = new FairQueue<string>({ maxQueuedPerLearner: 5 });
    for (const j of ['A1', 'A2', 'A3']) queue.push('A', j);
    queue.push('B', 'B1');
    expect(queue.take()?.item).toBe('A1');
    expect(queue.take()?.item).toBe('B1');
    expect(queue.take()).toBeUndefined(); // A2 waits although a third process would be free
    expect(queue.count('A')).toEqual({ queued: 2, inFlight: 1 });
    queue.done('A', 10);
    expect(queue.take()?.item).toBe('A2');
  });

  it('allows N jobs in flight when configured', () => {
    const queue = new FairQueue<string>({ maxInFlightPerLearner: 2, maxQueuedPerLearner: 5 });
    for (const j of ['A1', 'A2', 'A3']) queue.push('A', j);
    expect([queue.take()?.item, queue.take()?.item, queue.take()?.item]).toEqual(['A1', 'A2', undefined]);
  });

  it("refuses a learner's job past their queue cap, and any job past the total cap", () => {
    const queue = new FairQueue<string>({ maxQueuedPerLearner: 2, maxQueued: 3 });
    expect(['A1', 'A2', 'A3'].map((j) => queue.push('A', j))).toEqual([true, true, false]);
    expect(queue.push('B', 'B1')).toBe(true);
    expect(queue.push('C', 'C1')).toBe(false);
    expect(queue.size).toBe(3);
    expect(queue.drain().sort()).toEqual(['A1', 'A2', 'B1']);
    expect(queue.size).toBe(0);
  });
});
