import path from 'node:path';
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../../server/cli/build-state.mjs';
import { appRouter } from '../../server/root';
import { startServer, type RunningServer } from './harness';

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ KAKUNIN_QUESTIONS: path.join(root, 'tests', 'fixtures', 'questions') });
});
afterAll(async () => {
  await server?.stop();
});

interface Reply {
  status: number;
  cookie: string | undefined;
  setCookie: string | null;
  body: { result?: { data: unknown }; error?: { message: string } };
}

async function rpc(procedure: string, input: unknown, cookie?: string, extra: Record<string, string> = {}): Promise<Reply> {
  const query = procedure.endsWith('.get') || procedure.endsWith('.list') || procedure.endsWith('.me') || procedure.endsWith('.overview') || procedure.endsWith('.queue');
  const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...extra };
  const res = query
    ? await fetch(`${server.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
    : await fetch(`${server.url}/api/trpc/${procedure}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  const setCookie = res.headers.get('set-cookie');
  return { status: res.status, setCookie, cookie: setCookie?.split(';')[0], body: (await res.json()) as Reply['body'] };
}

describe('accounts over HTTP', () => {
  it('isolates learners, guards every route, and sets safe cookies', async () => {
    // Before any account: the local learner, no sign-in needed.
    expect((await rpc('sessions.list', { limit: 5 })).status).toBe(200);

    const a = await rpc('auth.signUp', { email: 'a@example.jp', password: 'password-a', name: 'A' });
    expect(a.status).toBe(200);
    expect(a.setCookie).toMatch(/^kakunin_session=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(a.setCookie).not.toContain('Secure');
    // X-Forwarded-Proto from a client that is not a trusted proxy says nothing (see 'forwarded headers' below)
    const viaHttps = await rpc('auth.signIn', { email: 'a@example.jp', password: 'password-a' }, undefined, { 'x-forwarded-proto': 'https' });
    expect(viaHttps.status).toBe(200);
    expect(viaHttps.setCookie).not.toContain('Secure');
    const cookieA = viaHttps.cookie!;
    expect(cookieA).not.toBe(a.cookie); // rotation: a new token on every sign-in

    const started = await rpc('sessions.start', { chapters: ['rnn'], count: 2, order: 'course' }, cookieA);
    const sessionId = (started.body.result!.data as { sessionId: number }).sessionId;
    expect((await rpc('sessions.answer', { sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1 }, cookieA)).status).toBe(200);

    const b = await rpc('auth.signUp', { email: 'b@example.jp', password: 'password-b', name: 'B' });
    const cookieB = b.cookie!;
    expect((await rpc('sessions.get', { sessionId }, cookieB)).status).toBe(404);
    expect((await rpc('sessions.answer', { sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.25' }, timeSpentMs: 1 }, cookieB)).status).toBe(404);
    expect((await rpc('sessions.finish', { sessionId }, cookieB)).status).toBe(404);
    expect((await rpc('sessions.list', { limit: 10 }, cookieB)).body.result!.data).toEqual([]);
    const exportB = (await (await fetch(`${server.url}/progress/export?format=json`, { headers: { cookie: cookieB } })).json()) as { answers: unknown[] };
    expect(exportB.answers).toEqual([]);
    const exportA = (await (await fetch(`${server.url}/progress/export?format=json`, { headers: { cookie: cookieA } })).json()) as { answers: unknown[] };
    expect(exportA.answers).toHaveLength(1);

    // Without a session: refused, and pages send the visitor to sign in.
    const anonymous = await rpc('sessions.list', { limit: 5 });
    expect([anonymous.status, anonymous.body.error?.message]).toEqual([401, 'サインインしてください。']);
    expect((await fetch(`${server.url}/progress/export?format=json`)).status).toBe(401);
    for (const page of ['/', `/sessions/${sessionId}`, '/progress', '/review', '/mock']) {
      const res = await fetch(`${server.url}${page}`, { redirect: 'manual' });
      expect([307, 303, 302], page).toContain(res.status);
      expect(res.headers.get('location'), page).toMatch(/\/signin$/);
    }

    // Wrong password and unknown account read the same.
    const wrong = await rpc('auth.signIn', { email: 'a@example.jp', password: 'nope-nope' });
    const unknown = await rpc('auth.signIn', { email: 'zz@example.jp', password: 'nope-nope' });
    expect([wrong.status, wrong.body.error?.message]).toEqual([401, 'メールアドレスまたはパスワードが正しくありません。']);
    expect([unknown.status, unknown.body.error?.message]).toEqual([wrong.status, wrong.body.error?.message]);

    // Sign-out ends the session.
    await rpc('auth.signOut', {}, cookieB);
    expect((await rpc('sessions.list', { limit: 5 }, cookieB)).status).toBe(401);
  });

  it('answers random JSON on every procedure with a client error, never a 500', async () => {
    const { cookie } = await rpc('auth.signIn', { email: 'a@example.jp', password: 'password-a' });
    const samples = fc.sample(fc.jsonValue(), { numRuns: 8, seed: 2026 });
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    for (const [procedure, { _def }] of Object.entries(procedures)) {
      if (procedure === 'auth.signOut') continue; // would end the session used by the other calls
      for (const input of samples) {
        const res =
          _def.type === 'query'
            ? await fetch(`${server.url}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie: cookie! } })
            : await fetch(`${server.url}/api/trpc/${procedure}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookie! }, body: JSON.stringify(input) });
        expect(res.status, `${procedure} ← ${JSON.stringify(input).slice(0, 120)}`).toBeLessThan(500);
      }
    }
  });
});

describe('forwarded headers', () => {
  // 127.0.0.1 is the trusted proxy; a client that connects from 127.0.0.2 is not one
  let proxied: RunningServer;
  beforeAll(async () => {
    proxied = await startServer({ KAKUNIN_QUESTIONS: path.join(root, 'tests', 'fixtures', 'questions'), KAKUNIN_TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => {
    await proxied?.stop();
  });

  /** a POST from `localAddress`, with the headers given */
  const postFrom = (localAddress: string, procedure: string, input: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; setCookie: string[]; message: string | undefined }>((resolve, reject) => {
      const req = httpRequest(`${proxied.url}/api/trpc/${procedure}`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [], message: (JSON.parse(text) as Reply['body']).error?.message }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(input));
    });
  const signUp = (localAddress: string, i: number, headers: Record<string, string>) =>
    postFrom(localAddress, 'auth.signUp', { email: `fwd-${localAddress}-${i}@example.jp`, password: 'password-f', name: `F${i}` }, headers);

  it('counts sign-ups by socket address: a client rotating X-Forwarded-For gets 5 an hour', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await signUp('127.0.0.2', i, { 'x-forwarded-for': `198.51.100.${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const sixth = await signUp('127.0.0.2', 5, { 'x-forwarded-for': '198.51.100.99' });
    expect([sixth.status, sixth.message]).toEqual([429, 'この接続元からの登録が多すぎます。60分ほど待ってからもう一度お試しください。']);
  });

  it('believes a trusted proxy: its X-Forwarded-For names the client, -Proto and -Host the public origin', async () => {
    const viaProxy = await signUp('127.0.0.1', 0, { 'x-forwarded-for': '6.6.6.6, 203.0.113.5', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'kakunin.example', origin: 'https://kakunin.example' });
    expect(viaProxy.status).toBe(200);
    expect(viaProxy.setCookie.map((c) => c.split('=')[0])).toEqual(['kakunin_session', 'kakunin_device']);
    for (const cookie of viaProxy.setCookie) expect(cookie).toMatch(/; Secure$/);
    // five more clients behind the same proxy, each counted on its own (by the socket's address, the sixth would be refused)
    for (let i = 1; i < 6; i++) expect((await signUp('127.0.0.1', i, { 'x-forwarded-for': `203.0.113.${i + 10}` })).status).toBe(200);
    // the same headers from a client that is not the proxy: ignored, so the Origin is another site's
    const notProxy = await postFrom('127.0.0.2', 'auth.signOut', {}, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'kakunin.example', origin: 'https://kakunin.example' });
    expect(notProxy.status).toBe(403);
  });
});
