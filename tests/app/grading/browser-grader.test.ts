import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrowserGrader, stoppedBy } from '@/app/_grading/browser-grader';
import type { WorkerReply, WorkerRequest } from '@/app/_grading/protocol';
import type { CodeVerdict } from '@/graders/code/types';

/** A Web Worker stand-in: records what the page posts and answers when the test says so. */
class FakeWorker {
  readonly sent: WorkerRequest[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  postMessage(message: WorkerRequest): void {
    this.sent.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(message: WorkerReply): void {
    this.onmessage?.({ data: message } as MessageEvent<WorkerReply>);
  }
  ready(): void {
    const init = this.sent.find((m) => m.type === 'init')!;
    this.reply({ id: init.id, type: 'ready', backend: 'webgl', halfPrecision: false });
  }
  graded(request: WorkerRequest): void {
    this.reply({ id: request.id, type: 'grade', verdict: VERDICT, backend: 'webgl', elapsedMs: 12 });
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as unknown as ErrorEvent);
  }
}

const VERDICT: CodeVerdict = { verdict: 'correct', passed: 5, total: 5, message: '正解です。', cases: [], seed: 1 };
const ITEM = { id: 'q', kind: 'code' as const, template: 'y = ___' };
const LIMIT = 30_000;

let workers: FakeWorker[];
let grader: BrowserGrader;

beforeEach(() => {
  vi.useFakeTimers();
  workers = [];
  grader = new BrowserGrader('webgl', () => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const settle = () => vi.advanceTimersByTimeAsync(0);

describe('BrowserGrader', () => {
  it('runs requests one at a time, and a queued one’s limit starts only when the worker starts on it', async () => {
    const first = grader.grade(ITEM, 'k', 'a', 1, { timeoutMs: LIMIT });
    const second = grader.grade(ITEM, 'k', 'b', 1, { timeoutMs: LIMIT });
    await settle();
    const w = workers[0]!;
    expect(w.sent.map((m) => m.type)).toEqual(['init']);
    w.ready();
    await settle();
    expect(w.sent.map((m) => m.type)).toEqual(['init', 'grade']);

    // the first takes 25 s: the second, still queued, is not timed out meanwhile
    await vi.advanceTimersByTimeAsync(25_000);
    w.graded(w.sent[1]!);
    await expect(first).resolves.toMatchObject({ backend: 'webgl', verdict: { verdict: 'correct' } });
    await settle();
    expect(w.sent.map((m) => m.type)).toEqual(['init', 'grade', 'grade']);
    expect((w.sent[2] as { code: string }).code).toBe('b');
    await vi.advanceTimersByTimeAsync(LIMIT - 1);
    w.graded(w.sent[2]!);
    await expect(second).resolves.toMatchObject({ elapsedMs: 12 });
    expect(w.terminated).toBe(false);
  });

  it('stops a run past its limit with BrowserTimeoutError and starts a replacement warmed for the item', async () => {
    const spec = { item: ITEM, graderKey: 'k', seed: 3 };
    const warmed = grader.warm(spec);
    await settle();
    workers[0]!.ready();
    await expect(warmed).resolves.toEqual({ backend: 'webgl', halfPrecision: false });

    const slow = grader.grade(ITEM, 'k', 'slow', 1, { timeoutMs: LIMIT });
    const failure = expect(slow).rejects.toMatchObject({ name: 'BrowserTimeoutError', limitMs: LIMIT });
    await vi.advanceTimersByTimeAsync(LIMIT);
    await failure;
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.sent[0]).toMatchObject({ type: 'init', prefer: 'webgl', warm: spec });

    // the replacement answers the next request
    const next = grader.grade(ITEM, 'k', 'ok', 1, { timeoutMs: LIMIT });
    workers[1]!.ready();
    await settle();
    workers[1]!.graded(workers[1]!.sent.at(-1)!);
    await expect(next).resolves.toMatchObject({ verdict: { verdict: 'correct' } });
  });

  it('abandons a run mid-way (terminating the worker) and never posts one aborted while queued', async () => {
    const running = new AbortController();
    const queued = new AbortController();
    const a = grader.grade(ITEM, 'k', 'loop', 1, { timeoutMs: LIMIT, signal: running.signal });
    const b = grader.grade(ITEM, 'k', 'stale', 1, { timeoutMs: LIMIT, signal: queued.signal });
    await settle();
    workers[0]!.ready();
    await settle();
    queued.abort();
    running.abort();
    await expect(a).rejects.toMatchObject({ name: 'BrowserAbortError' });
    await expect(b).rejects.toMatchObject({ name: 'BrowserAbortError' });
    expect(workers[0]!.terminated).toBe(true);
    expect(workers[0]!.sent.filter((m) => m.type === 'grade').map((m) => (m as { code: string }).code)).toEqual(['loop']);
    await settle();
    expect(workers.flatMap((w) => w.sent).filter((m) => m.type === 'grade')).toHaveLength(1);
  });

  it('turns a worker crash into BrowserWorkerError and starts a new worker for the next request', async () => {
    const r = grader.run(ITEM, 'k', 'x', 1, { timeoutMs: LIMIT });
    await settle();
    workers[0]!.ready();
    await settle();
    workers[0]!.crash('out of memory');
    await expect(r).rejects.toMatchObject({ name: 'BrowserWorkerError', message: 'out of memory' });
    expect(workers).toHaveLength(1); // not restarted at once: a worker that cannot load would loop
    const again = grader.init();
    expect(workers).toHaveLength(2);
    workers[1]!.ready();
    await expect(again).resolves.toMatchObject({ backend: 'webgl' });
  });

  it('reports a failed reply as BrowserWorkerError', async () => {
    const r = grader.grade(ITEM, 'missing', 'x', 1, { timeoutMs: LIMIT });
    await settle();
    workers[0]!.ready();
    await settle();
    workers[0]!.reply({ id: workers[0]!.sent[1]!.id, type: 'failed', message: 'no grader missing' });
    await expect(r).rejects.toMatchObject({ name: 'BrowserWorkerError', message: 'no grader missing' });
  });
});

describe('stoppedBy', () => {
  const at = { type: 'TimeoutError', message: '', line: 1, col: 1, where: 'answer' as const };
  it('blames a loop only for the step limit', () => {
    expect(stoppedBy({ ...at, limit: 'maxSteps' })).toBe('steps');
    expect(stoppedBy({ ...at, limit: 'timeoutMs' })).toBe('time');
    expect(stoppedBy({ ...at, type: 'MemoryError', limit: 'maxTotalElements' })).toBe('other');
    expect(stoppedBy({ ...at, type: 'NameError' })).toBeNull();
    expect(stoppedBy(undefined)).toBeNull();
  });
});
