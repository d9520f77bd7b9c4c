import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './harness';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

async function post(procedure: string, input: unknown): Promise<{ status: number; data: unknown }> {
  const res = await fetch(`${server.url}/api/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const json = (await res.json()) as { result?: { data: unknown } };
  return { status: res.status, data: json.result?.data };
}

describe('learner code never runs on the event loop', () => {
  it('keeps answering other requests while 20 endless loops are graded', async () => {
    const { data } = await post('sessions.start', { chapters: ['attention'], count: 100, order: 'course', filters: { kinds: ['code'] } });
    const sessionId = (data as { sessionId: number }).sessionId;
    const endless = 'def softmax(x):\n    while True:\n        pass';
    let gradingDone = 0;
    const loops = Array.from({ length: 20 }, () =>
      post('sessions.submitCode', { sessionId, questionId: 'attention-softmax-function', code: endless, timeSpentMs: 1 }).then((r) => {
        gradingDone += 1;
        return r;
      }),
    );
    // While the loops are queued and running, ordinary requests are served at once. Sent together, not one after
    // another: ten sequential page loads on a busy 2-core machine could outlast the loops' own time limits.
    const served: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await fetch(`${server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
        expect(res.status).toBe(200);
        served.push(gradingDone);
      }),
    );
    const results = await Promise.all(loops);
    expect(served.at(-1)).toBeLessThan(20); // all ten were answered before the last loop was stopped
    for (const r of results) {
      // Stopped by a limit (not recorded), or refused as busy (429): never a hang or a 500.
      expect([200, 429]).toContain(r.status);
      if (r.status === 200) expect((r.data as { grading: { recorded: boolean; verdict: { message: string } } }).grading).toMatchObject({ recorded: false, verdict: { message: expect.stringContaining('TimeoutError') } });
    }
  });
});

describe('a grading failure never takes the server down', () => {
  // A small grading heap (an operator setting), so that an answer within the interpreter's limits can still exhaust
  // it: the grading process dies of a real V8 out-of-memory abort, as any unforeseen allocation would.
  let small: RunningServer;
  beforeAll(async () => {
    small = await startServer({ KAKUNIN_GRADE_HEAP_MB: '32' });
  });
  afterAll(async () => {
    await small?.stop();
  });

  async function submit(code: string, questionId = 'attention-softmax-function') {
    const chapter = questionId.startsWith('birnn') ? 'birnn' : 'attention';
    const started = await fetch(`${small.url}/api/trpc/sessions.start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chapters: [chapter], count: 100, order: 'course', filters: { kinds: ['code'] } }),
    });
    const { sessionId } = ((await started.json()) as { result: { data: { sessionId: number } } }).result.data;
    const res = await fetch(`${small.url}/api/trpc/sessions.submitCode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId, questionId, code, timeSpentMs: 1 }),
    });
    const text = await res.text();
    const grading = (JSON.parse(text) as { result?: { data: { grading: { recorded: boolean; verdict: { verdict: string; message: string } } } } }).result?.data.grading;
    return { status: res.status, grading, text };
  }

  it('survives the memory bombs and a grading process killed by its heap limit; the next answer is graded', async () => {
    const pid = small.pid()!;
    for (const bomb of ["len('{:>400000000}'.format(1))", "len('%400000000d' % 1)"]) {
      const r = await submit(`def softmax(x):\n    return ${bomb}`);
      expect(r.status).toBe(200);
      expect(r.grading).toMatchObject({ recorded: false, verdict: { verdict: 'error', message: expect.stringContaining('MemoryError') } });
    }

    const killed = await submit('def softmax(x):\n    a = [[0.5] * 999999 for _ in range(30)]\n    return len(a)');
    expect(killed.status).toBe(200);
    expect(killed.grading).toMatchObject({
      recorded: false,
      backend: 'server',
      verdict: expect.objectContaining({
        verdict: 'error',
        message: 'MemoryError: 解答がメモリを使いすぎたため、採点を打ち切りました（採点プロセスが停止しました）。大きな配列や文字列を作っていないか確認してください。',
      }),
    });
    expect(small.output()).toContain('"event":"grading-process-died"');

    const good = await submit('def softmax(x):\n    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n    return e / np.sum(e, axis=-1, keepdims=True)');
    expect(good.grading).toMatchObject({ recorded: true, verdict: { verdict: 'correct', message: expect.stringMatching(/^正解です。/) } });
    expect(small.pid()).toBe(pid);
    expect(() => process.kill(pid, 0)).not.toThrow(); // the same server process, still running
  });

  it('sends back a capped verdict when the answer makes a huge error message', async () => {
    const r = await submit('x'.repeat(7_000), 'birnn-concat');
    expect(r.grading?.verdict.message).toMatch(/^例のケースで NameError: 名前 'x+…（省略）$/);
    // The 7,000-character name appears whole in no field of the verdict: every message was cut at its cap.
    const longest = Math.max(...[...JSON.stringify(r.grading).matchAll(/x+/g)].map((m) => m[0].length));
    expect(longest).toBeGreaterThan(900);
    expect(longest).toBeLessThanOrEqual(2_000);
  });
});
