import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import Database from 'better-sqlite3';
import { createTestDb, type Db } from '../../../db/client';
import { sqliteStore } from '../../../db/store-sqlite';
import { STORAGE_FAILED_MESSAGE } from '../../../db/errors';
import { answers } from '../../../db/schema';
import { AuthLimits } from '../../../server/auth/limits';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContext } from '../../../server/context';
import { createApiHandler } from '../../../server/http/api';
import { appRouter } from '../../../server/root';

// The API's own node:http entry with the real router and request context, on a test database.
const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
let db: Db;
let server: Server;
let base: string;
let failContext: false | 'bug' | 'disk-full' = false;
// sign-in limits of this file's own, with passwords compared as plain text (no scrypt: these tests are about HTTP)
const plainPasswords = { hash: async (p: string) => `plain$${p}`, verify: async (p: string, stored: string) => stored === `plain$${p}` };
let limits = new AuthLimits({ passwords: plainPasswords });
const internalErrors: string[] = [];

beforeAll(async () => {
  db = createTestDb();
  await syncBank(sqliteStore(db), bank);
  const api = createApiHandler({
    router: appRouter,
    endpoint: '/api/trpc',
    createContext: async (info) => {
      if (failContext === 'bug') throw new Error('database is gone');
      if (failContext === 'disk-full') throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
      return createContext(info, { store: sqliteStore(db), bank, limits, grade: async () => ({ ok: false, error: 'no grading here' }) as never });
    },
    onInternalError: (p, error) => internalErrors.push(`${p ?? '?'}: ${String(error.cause ?? error)}`),
  });
  server = createServer((req, res) => api(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (proc: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/${proc}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const get = (proc: string, input?: unknown) => fetch(`${base}/${proc}${input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`}`);

async function startSession(): Promise<number> {
  const res = await post('sessions.start', { chapters: ['rnn'], count: 3, order: 'course' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: { data: { sessionId: number } } }).result.data.sessionId;
}

describe('the API over node:http (tRPC protocol)', () => {
  it('answers a query and a mutation in tRPC envelopes with no-store and nosniff', async () => {
    const me = await get('auth.me');
    expect(me.status).toBe(200);
    expect(me.headers.get('content-type')).toBe('application/json');
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await me.json()).toEqual({ result: { data: { learnerId: 1, name: 'ローカル学習者', email: null, accounts: false } } });

    const sessionId = await startSession();
    const answered = await post('sessions.answer', { sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 3000 });
    expect(answered.status).toBe(200);
    const { result } = (await answered.json()) as { result: { data: Record<string, unknown> & { result: { verdict: string } } } };
    // only what answering changed: no prompt or choices again
    expect(Object.keys(result.data).sort()).toEqual(['answered', 'position', 'questionId', 'result', 'savedResponse']);
    expect(result.data.result.verdict).toBe('correct');
    expect(db.select().from(answers).all()).toHaveLength(1);
  });

  it('runs a batch as httpBatchLink sends it, with 207 when the statuses differ', async () => {
    const sessionId = await startSession();
    const input = encodeURIComponent(JSON.stringify({ 0: { sessionId }, 1: { sessionId: 999_999 } }));
    const mixed = await fetch(`${base}/sessions.get,sessions.get?batch=1&input=${input}`);
    expect(mixed.status).toBe(207);
    const body = (await mixed.json()) as [{ result: { data: { id: number; total: number } } }, { error: { message: string; data: { httpStatus: number } } }];
    expect(body[0].result.data).toMatchObject({ id: sessionId, total: 2 }) // the fixture's rnn chapter has two questions;
    expect(body[1].error).toMatchObject({ message: 'セッションが見つかりません。', data: { httpStatus: 404 } });

    const both = await fetch(`${base}/auth.me,sessions.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: { limit: 2 } }))}`);
    expect(both.status).toBe(200);
    const [me, list] = (await both.json()) as [{ result: { data: { learnerId: number } } }, { result: { data: unknown[] } }];
    expect(me.result.data.learnerId).toBe(1);
    expect(list.result.data).toHaveLength(2);

    // mutations in a batch run in order: the second sees the first's answer
    const answer = (choice: string) => ({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice }, timeSpentMs: 1 });
    const twice = await post('sessions.answer,sessions.answer?batch=1', { 0: answer('a'), 1: answer('b') });
    expect(twice.status).toBe(207);
    const [first, second] = (await twice.json()) as [{ result: { data: { result: { verdict: string } } } }, { error: { message: string } }];
    expect(first.result.data.result.verdict).toBe('incorrect');
    expect(second.error.message).toBe('この問題にはすでに回答しています。');
  });

  it('refuses the wrong method, unknown procedures, bad JSON and invalid input with the right status', async () => {
    const mutationByGet = await get('sessions.start', { chapters: ['rnn'], count: 1, order: 'course' });
    expect(mutationByGet.status).toBe(405);
    const queryByPost = await post('sessions.list', {});
    expect(queryByPost.status).toBe(405);
    const put = await fetch(`${base}/sessions.list`, { method: 'PUT' });
    expect(put.status).toBe(405);

    const unknown = await post('sessions.nope', {});
    expect(unknown.status).toBe(404);
    for (const inherited of ['constructor', '__proto__', 'toString']) {
      expect((await post(inherited, {})).status).toBe(404);
      expect((await get(inherited)).status).toBe(404);
    }
    const badEscape = await fetch(`${base}/sessions.%E0%A4%A`);
    expect(badEscape.status).toBe(400);

    const broken = await post('sessions.start', '{"chapters": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toBe('JSON として読めません。');
    const brokenQuery = await fetch(`${base}/sessions.get?input=%7Bnope`);
    expect(brokenQuery.status).toBe(400);

    const invalid = await post('sessions.start', { chapters: ['nope'], count: 3, order: 'course' });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { message: string; data: { zodError: { fieldErrors: Record<string, unknown> } } } };
    expect(body.error.message).toBe('入力の形式が正しくありません。');
    expect(Object.keys(body.error.data.zodError.fieldErrors)).toEqual(['chapters']);

    const notAnObject = await post('sessions.start?batch=1', '[1]');
    expect(notAnObject.status).toBe(400);
    const tooMany = await fetch(`${base}/${Array.from({ length: 17 }, () => 'auth.me').join(',')}?batch=1`);
    expect(tooMany.status).toBe(400);
  });

  it('refuses cross-site posts (403), other content types (415) and bodies over 64 KiB (413), writing nothing', async () => {
    const before = db.select().from(answers).all().length;
    const sessionId = await startSession();
    const body = { sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.25' }, timeSpentMs: 1 };
    const foreign = await post('sessions.answer', body, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { message: '他のサイトからの送信は受け付けません。', code: 'FORBIDDEN' } });
    const crossSiteFetch = await post('sessions.answer', body, { 'sec-fetch-site': 'cross-site' });
    expect(crossSiteFetch.status).toBe(403);
    const form = await fetch(`${base}/sessions.answer`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
    expect(form.status).toBe(415);
    const huge = await post('sessions.answer', { ...body, response: { type: 'written', value: 'あ'.repeat(30_000) } });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { message: 'リクエストが大きすぎます。' } });

    // without a Content-Length (chunked), the cap holds while reading
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/sessions.answer`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(4096));
      req.end();
    });
    expect(chunked).toBe(413);
    expect(db.select().from(answers).all()).toHaveLength(before);
  });

  it('lets a history import carry more than 64 KiB (a real export of hundreds of answers), and nothing else', async () => {
    // 300 KiB of answers: past the general cap, far under the import cap; the import's own validation answers.
    const body = { version: 1, answers: Array.from({ length: 600 }, (_, i) => ({ note: 'x'.repeat(500), i })) };
    const imported = await post('progress.importHistory', body);
    expect(imported.status).toBe(400);
    expect(((await imported.json()) as { error: { message: string } }).error.message).not.toBe('リクエストが大きすぎます。');
    const batched = await post('progress.importHistory?batch=1', { 0: body });
    expect(batched.status).not.toBe(413);
    // the same size to any other procedure, or in a batch mixing the import with another call, is refused
    expect((await post('sessions.start', body)).status).toBe(413);
    expect((await post('progress.importHistory,sessions.start?batch=1', { 0: body, 1: {} })).status).toBe(413);
  });

  it('compares the Origin with its own scheme, host and port, host names in any case, X-Forwarded-* only from a trusted proxy', async () => {
    const { port } = new URL(base);
    // a harmless mutation (no session to end), sent with the Host and Origin given
    const signOut = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${base}/auth.signOut`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      });
    expect(await signOut({ origin: `http://127.0.0.1:${port}` })).toBe(200);
    expect(await signOut({ origin: `http://LOCALHOST:${port}`, host: `localhost:${port}` })).toBe(200);
    expect(await signOut({ origin: `http://localhost:${port}`, host: `LocalHost:${port}` })).toBe(200);
    expect(await signOut({ origin: `https://127.0.0.1:${port}` })).toBe(403); // not TLS here
    expect(await signOut({ origin: `http://127.0.0.1:${Number(port) + 1}` })).toBe(403);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const forwarded = { 'x-forwarded-host': 'kakunin.example', 'x-forwarded-proto': 'https' };
    try {
      expect(await signOut({ origin: 'http://evil.example', 'x-forwarded-host': 'evil.example' })).toBe(403);
      expect(await signOut({ origin: 'https://kakunin.example', ...forwarded })).toBe(403);
      vi.stubEnv('KAKUNIN_TRUSTED_PROXIES', '127.0.0.1, ::1');
      expect(await signOut({ origin: 'https://kakunin.example', ...forwarded })).toBe(200);
      expect(await signOut({ origin: `http://127.0.0.1:${port}`, ...forwarded })).toBe(403);
    } finally {
      vi.unstubAllEnvs();
      warn.mockRestore();
    }
  });

  it('keys sign-in failures by the socket address: a spoofed X-Forwarded-For is ignored, a trusted proxy’s is honoured', async () => {
    limits = new AuthLimits({ passwords: plainPasswords });
    const signIn = async (i: number, xff: string) => {
      const res = await post('auth.signIn', { email: `nobody-${i}@kakunin.test`, password: 'wrong-password' }, { 'x-forwarded-for': xff });
      return [res.status, ((await res.json()) as { error: { message: string } }).error.message] as const;
    };
    const wrong = [401, 'メールアドレスまたはパスワードが正しくありません。'] as const;
    const addressOut = [429, 'この接続元からのサインインの失敗が多すぎます。15分ほど待ってからもう一度お試しください。'] as const;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // one client rotating the header: 20 failures, and its 21st is refused whatever the header says
      for (let i = 0; i < 20; i++) expect(await signIn(i, `198.51.100.${i}`)).toEqual(wrong);
      expect(await signIn(20, '198.51.100.77')).toEqual(addressOut);
      // behind a trusted proxy (127.0.0.0/8) the header names the client: a new address is a new client
      vi.stubEnv('KAKUNIN_TRUSTED_PROXIES', '127.0.0.0/8, ::1');
      expect(await signIn(21, '198.51.100.77')).toEqual(wrong);
      // the right-most address not of a proxy: what the client wrote in front of it does not help
      for (let i = 0; i < 19; i++) expect(await signIn(30 + i, `6.6.6.${i}, 198.51.100.77`)).toEqual(wrong);
      expect(await signIn(50, '7.7.7.7, 198.51.100.77')).toEqual(addressOut);
      expect(await signIn(51, '198.51.100.78')).toEqual(wrong);
    } finally {
      vi.unstubAllEnvs();
      warn.mockRestore();
    }
  });

  it('sets the session cookie of a sign-up and reads it back on the next request', async () => {
    const signUp = await post('auth.signUp', { email: 'api-test@kakunin.test', password: 'correct-horse-battery', name: 'テスト' });
    expect(signUp.status).toBe(200);
    const cookie = signUp.headers.getSetCookie().find((c) => c.startsWith('kakunin_session='));
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
    const me = await fetch(`${base}/auth.me`, { headers: { cookie: cookie!.split(';')[0]! } });
    expect(((await me.json()) as { result: { data: { email: string } } }).result.data.email).toBe('api-test@kakunin.test');
    // and a visitor without the cookie is no one now that accounts exist
    const anonymous = await get('sessions.list', { limit: 1 });
    expect(anonymous.status).toBe(401);
  });

  it('answers 500 without details when the request context cannot be made, and keeps serving', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    failContext = 'bug';
    try {
      const res = await get('auth.me');
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).toContain('サーバーで問題が起きました');
      expect(text).not.toContain('database is gone');
      expect(internalErrors.at(-1)).toContain('database is gone');
    } finally {
      failContext = false;
      errors.mockRestore();
    }
    expect((await get('auth.me')).status).toBe(200);
  });

  it('answers 503 「保存できませんでした…」 when making the context hits a full disk (the local learner is written there)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    failContext = 'disk-full';
    try {
      const res = await get('auth.me');
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ error: { message: STORAGE_FAILED_MESSAGE, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } } });
      expect(errors.mock.calls.some((call) => String(call[1]).includes('database or disk is full'))).toBe(true);
    } finally {
      failContext = false;
      errors.mockRestore();
    }
  });
});
