import path from 'node:path';
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

const post = (procedure: string, body: string, type = 'application/json') =>
  fetch(`${server.url}/api/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('the API over HTTP refuses bad input cleanly', () => {
  it('answers 413 to an oversized body, 415 to a non-JSON one, 400 to malformed JSON and input', async () => {
    const huge = await post('sessions.answer', JSON.stringify({ sessionId: 1, questionId: 'x', response: { type: 'written', value: 'あ'.repeat(40_000) }, timeSpentMs: 1 }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { message: 'リクエストが大きすぎます。' } });

    const form = await post('sessions.start', 'chapters=rnn', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);

    const broken = await post('sessions.start', '{"chapters": [');
    expect(broken.status).toBe(400);

    const invalid = await post('sessions.start', JSON.stringify({ chapters: ['nope'], count: 3, order: 'course' }));
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { message: string; data: { zodError: unknown } } };
    expect(body.error.message).toBe('入力の形式が正しくありません。');
    expect(body.error.data.zodError).toMatchObject({ fieldErrors: { chapters: expect.any(Array) } });

    const missing = await fetch(`${server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId: 424242 }))}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { message: 'セッションが見つかりません。' } });

    const unknown = await post('sessions.nope', '{}');
    expect(unknown.status).toBe(404);
  });

  it('refuses a mutation posted from another origin, and sends the security headers', async () => {
    const body = JSON.stringify({ chapters: ['rnn'], count: 2, order: 'course' });
    const foreign = await fetch(`${server.url}/api/trpc/sessions.start`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { message: '他のサイトからの送信は受け付けません。' } });
    const sameSite = await fetch(`${server.url}/api/trpc/sessions.start`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body });
    expect(sameSite.status).toBe(200);
    const page = await fetch(server.url);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).toContain("worker-src 'self' blob:");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('keeps serving after all of that, and writes nothing for a refused answer', async () => {
    const started = await post('sessions.start', JSON.stringify({ chapters: ['rnn'], count: 2, order: 'course' }));
    expect(started.status).toBe(200);
    const { result } = (await started.json()) as { result: { data: { sessionId: number } } };
    const sessionId = result.data.sessionId;
    const refused = await post('sessions.answer', JSON.stringify({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: 'abc' }, timeSpentMs: 5 }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/数値として読めません/);
    const view = await fetch(`${server.url}/api/trpc/sessions.get?input=${encodeURIComponent(JSON.stringify({ sessionId }))}`);
    expect(((await view.json()) as { result: { data: { answeredCount: number } } }).result.data.answeredCount).toBe(0);
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('再帰型ニューラルネットワーク');
    // the page names its icon (so browsers ask for no /favicon.ico, which would be a 404 in the console), and it is served
    const iconHref = /<link rel="icon" href="([^"]+)"/.exec(html)?.[1];
    expect(iconHref).toMatch(/^\/icon\.svg/);
    const icon = await fetch(new URL(iconHref!, server.url));
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
  });
});
