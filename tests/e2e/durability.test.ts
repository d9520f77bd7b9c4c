import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../server/cli/build-state.mjs';
import { startServer, type RunningServer } from './harness';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ KAKUNIN_QUESTIONS: path.join(root, 'tests', 'fixtures', 'questions') });
});
afterAll(async () => {
  await server?.stop();
});

async function call<T>(procedure: string, input: unknown): Promise<{ status: number; data?: T }> {
  try {
    const res = await fetch(`${server.url}/api/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    if (res.status !== 200) return { status: res.status };
    return { status: 200, data: ((await res.json()) as { result: { data: T } }).result.data };
  } catch {
    return { status: 0 }; // the connection died with the server
  }
}

const ANSWERS: Record<string, unknown> = {
  'e2e-a-choice': { type: 'choice', choice: 'b' },
  'e2e-b-numeric': { type: 'numeric', value: '0.25' },
  'e2e-c-text': { type: 'text', value: '3x3' },
};

describe('durability', () => {
  it('keeps every acknowledged answer across a SIGKILL in the middle of a stream of answers', async () => {
    const acknowledged: { sessionId: number; questionId: string }[] = [];
    const sessions: number[] = [];
    for (let i = 0; i < 60; i++) {
      const started = await call<{ sessionId: number }>('sessions.start', { chapters: ['rnn', 'lstm'], count: 3, order: 'course' });
      sessions.push(started.data!.sessionId);
    }
    // Four concurrent streams of answers; the server is killed while they run.
    let killed = false;
    const stream = async (offset: number) => {
      for (let i = offset; i < sessions.length; i += 4) {
        for (const questionId of Object.keys(ANSWERS)) {
          const r = await call('sessions.answer', { sessionId: sessions[i], questionId, response: ANSWERS[questionId], timeSpentMs: 1000 });
          if (r.status === 200) acknowledged.push({ sessionId: sessions[i]!, questionId });
          if (killed) return;
        }
      }
    };
    const streams = [0, 1, 2, 3].map(stream);
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    await server.restart('SIGKILL');
    await Promise.all(streams);
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    const db = new Database(server.dbFile, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const stored = new Set(
        (db.prepare('SELECT session_id AS s, question_id AS q FROM answers').all() as { s: number; q: string }[]).map((r) => `${r.s}/${r.q}`),
      );
      const missing = acknowledged.filter((a) => !stored.has(`${a.sessionId}/${a.questionId}`));
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
    // And the restarted server answers.
    const view = await fetch(`${server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId: sessions[0] }))}`);
    expect(view.status).toBe(200);
  });
});
