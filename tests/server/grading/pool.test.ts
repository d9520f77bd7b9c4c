import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GradeTimeoutError, GraderCrashError, GradingPool, PoolBusyError, type PoolOptions } from '../../../server/grading/pool';
import type { GradeReply, GradeRequest } from '../../../server/grading/protocol';

// A fake grading script (fixtures/fake-grader.mjs) started exactly as the real one: a child process with the heap
// and data limits, IPC with the advanced serialization.
const FAKE = path.join(__dirname, 'fixtures', 'fake-grader.mjs');
const pools: GradingPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function fakePool(options: PoolOptions = {}) {
  const log: string[] = [];
  const pool = new GradingPool({ script: FAKE, size: 1, log: (l) => log.push(l), ...options });
  pools.push(pool);
  return { pool, log };
}

const job = (code: string, learner?: string): Omit<GradeRequest, 'id'> => ({
  type: 'grade',
  item: { id: 'fake', kind: 'code', template: '___' },
  graderKey: 'fake',
  code,
  seed: 1,
  ...(learner ? { learner } : {}),
});

type FakeReply = Extract<GradeReply, { ok: true; type: 'grade' }> & { started: number; ended: number };

async function untilReady(pool: GradingPool, n: number): Promise<void> {
  while (pool.ready < n) await new Promise((r) => setTimeout(r, 20));
}

describe('grading pool: a job that kills its process', () => {
  it('fails only that job when the process runs out of memory; a new process grades the next one', async () => {
    const { pool, log } = fakePool({ maxHeapMb: 64 });
    await untilReady(pool, 1);
    const [before] = pool.pids;
    const failed = pool.run(job('alloc-string'));
    await expect(failed).rejects.toBeInstanceOf(GraderCrashError);
    await expect(failed).rejects.toThrow('解答がメモリを使いすぎたため、採点を打ち切りました（採点プロセスが停止しました）。大きな配列や文字列を作っていないか確認してください。');
    const next = (await pool.run(job('echo'))) as FakeReply;
    expect(next.ok).toBe(true);
    expect(pool.pids[0]).not.toBe(before);
    expect(next.backend).toBe(`fake:${pool.pids[0]}`);
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!)).toMatchObject({ event: 'grading-process-died', pid: before, duringJob: true, why: expect.stringMatching(/^exit SIGABRT: FATAL ERROR: .*heap out of memory/) });
  });

  it('fails only that job when the process exits under it', async () => {
    const { pool } = fakePool();
    await expect(pool.run(job('exit'))).rejects.toMatchObject({ name: 'GraderCrashError', detail: 'exit 7' });
    expect(((await pool.run(job('echo'))) as FakeReply).ok).toBe(true);
  });

  it('kills a process past the hard timeout and answers with a time-limit error', async () => {
    const { pool } = fakePool({ timeoutMs: 500 });
    await untilReady(pool, 1);
    const [before] = pool.pids;
    await expect(pool.run(job('hang'))).rejects.toBeInstanceOf(GradeTimeoutError);
    expect(((await pool.run(job('echo'))) as FakeReply).ok).toBe(true);
    expect(pool.pids[0]).not.toBe(before);
  });
});

describe('grading pool: fair sharing between learners', () => {
  it("grades learner B's single job right after A's running one, not behind A's ten", async () => {
    const { pool } = fakePool({ maxQueuedPerLearner: 10 });
    const order: string[] = [];
    const all = [
      ...Array.from({ length: 10 }, (_, i) => pool.run(job('sleep:20', 'A')).then(() => order.push(`A${i + 1}`))),
      pool.run(job('sleep:20', 'B')).then(() => order.push('B1')),
    ];
    await Promise.all(all);
    expect(order.slice(0, 3)).toEqual(['A1', 'B1', 'A2']);
  });

  it('runs one job per learner at a time; another learner uses the free process meanwhile', async () => {
    const { pool } = fakePool({ size: 2, maxQueuedPerLearner: 5 });
    await untilReady(pool, 2);
    const a = [1, 2, 3].map(() => pool.run(job('sleep:400', 'A')) as Promise<FakeReply>);
    const b = pool.run(job('sleep:400', 'B')) as Promise<FakeReply>;
    expect(pool.jobsOf('A')).toEqual({ queued: 2, inFlight: 1 });
    expect(pool.jobsOf('B')).toEqual({ queued: 0, inFlight: 1 });
    const [a1, a2, a3] = await Promise.all(a);
    expect(a2!.started).toBeGreaterThanOrEqual(a1!.ended);
    expect(a3!.started).toBeGreaterThanOrEqual(a2!.ended);
    expect((await b).backend).not.toBe(a1!.backend);
  });

  it("refuses a learner's jobs past their queue cap with the busy message, and keeps taking others'", async () => {
    const { pool } = fakePool({ maxQueuedPerLearner: 1 });
    const first = pool.run(job('sleep:10', 'A'));
    const refused = pool.run(job('sleep:10', 'A'));
    await expect(refused).rejects.toBeInstanceOf(PoolBusyError);
    await expect(refused).rejects.toThrow('採点が混み合っています。少し待ってからもう一度提出してください。');
    expect(((await pool.run(job('sleep:10', 'B'))) as FakeReply).ok).toBe(true);
    await first;
  });
});
