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
    // While the loops are queued and running, ordinary requests are served at once.
    const served: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await fetch(`${server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
      expect(res.status).toBe(200);
      served.push(gradingDone);
    }
    const results = await Promise.all(loops);
    expect(served.at(-1)).toBeLessThan(20); // all ten were answered before the last loop was stopped
    for (const r of results) {
      // Stopped by a limit (not recorded), or refused as busy (429): never a hang or a 500.
      expect([200, 429]).toContain(r.status);
      if (r.status === 200) expect((r.data as { grading: { recorded: boolean; verdict: { message: string } } }).grading).toMatchObject({ recorded: false, verdict: { message: expect.stringContaining('TimeoutError') } });
    }
  });
});
