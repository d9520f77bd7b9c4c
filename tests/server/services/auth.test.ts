import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type Db } from '../../../db/client';
import { answers, learners } from '../../../db/schema';
import { hashPassword, verifyPassword } from '../../../server/auth/password';
import { RateLimiter } from '../../../server/auth/rate-limit';
import { learnerOfToken } from '../../../server/auth/sessions';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner, ensureLocalLearner, type RequestContext } from '../../../server/context';
import { createCaller } from '../../../server/root';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
let db: Db;

beforeEach(() => {
  db = createTestDb();
  syncBank(db, bank);
});

/** A caller as a browser with a cookie jar: it sends its token and keeps the one the server sets. */
function browser(address = '10.0.0.1', secure = false) {
  const jar = { token: undefined as string | undefined, cookies: [] as string[] };
  const ctx = (): RequestContext => {
    const base = createContextInner({ db, bank, learnerId: 1, auth: { address, secure } });
    const learnerId = learnerOfToken(db, jar.token);
    const accounts = db.select().from(learners).all().some((l) => l.email !== null);
    return {
      ...base,
      learnerId: learnerId ?? (accounts ? null : ensureLocalLearner(db)),
      auth: {
        ...base.auth,
        token: jar.token,
        accounts,
        setCookie: (value: string) => {
          jar.cookies.push(value);
          const m = /^kakunin_session=([^;]*)/.exec(value);
          jar.token = m?.[1] || undefined;
        },
      },
    };
  };
  return { jar, api: createCaller(ctx) };
}

async function rejected(p: Promise<unknown>): Promise<TRPCError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(TRPCError);
  return e as TRPCError;
}

describe('passwords', () => {
  it('hashes with scrypt and a salt, and verifies', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });

  it('rate-limits in fixed windows', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 1000, () => now);
    expect([limiter.hit('k'), limiter.hit('k'), limiter.hit('k')]).toEqual([true, true, false]);
    expect(limiter.blocked('k')).toBe(true);
    now = 1000;
    expect(limiter.blocked('k')).toBe(false);
  });
});

describe('accounts', () => {
  it('serves the local learner until the first account, which takes over its history', async () => {
    const local = browser();
    const { sessionId } = await local.api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    await local.api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1 });
    expect(await local.api.auth.me()).toMatchObject({ learnerId: 1, email: null, accounts: false });

    const signedUp = await local.api.auth.signUp({ email: 'Ayumi@Example.jp ', password: 'password-1', name: 'あゆみ' });
    expect(signedUp.learnerId).toBe(1);
    expect(local.jar.cookies[0]).toMatch(/^kakunin_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    expect(local.jar.cookies[0]).not.toContain('Secure');
    expect(await local.api.auth.me()).toMatchObject({ learnerId: 1, email: 'ayumi@example.jp', name: 'あゆみ', accounts: true });
    expect((await local.api.sessions.get({ sessionId })).answeredCount).toBe(1);

    // Now that accounts exist, a browser without a session is refused.
    const stranger = browser('10.0.0.2');
    expect((await rejected(stranger.api.sessions.list({ limit: 5 }))).message).toBe('サインインしてください。');
  });

  it('keeps learners apart: B cannot read, answer, finish, list or export A’s anything', async () => {
    const a = browser('10.0.0.3');
    await a.api.auth.signUp({ email: 'a@example.jp', password: 'password-a', name: 'A' });
    const { sessionId } = await a.api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    await a.api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'a' }, timeSpentMs: 1 });

    const b = browser('10.0.0.4');
    const signedB = await b.api.auth.signUp({ email: 'b@example.jp', password: 'password-b', name: 'B' });
    expect(signedB.learnerId).not.toBe(1);
    expect((await rejected(b.api.sessions.get({ sessionId }))).code).toBe('NOT_FOUND');
    expect((await rejected(b.api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '1' }, timeSpentMs: 1 }))).code).toBe('NOT_FOUND');
    expect((await rejected(b.api.sessions.finish({ sessionId }))).code).toBe('NOT_FOUND');
    expect(await b.api.sessions.list({ limit: 10 })).toEqual([]);
    expect((await b.api.review.queue()).due).toEqual([]);
    expect((await b.api.chapters.overview()).find((c) => c.slug === 'rnn')?.answeredCount).toBe(0);
    expect(db.select().from(answers).all().map((r) => r.learnerId)).toEqual([1]); // A took over the local learner
  });

  it('signs in with rotation, refuses wrong passwords without saying whether the account exists, and rate-limits', async () => {
    const a = browser('10.0.0.5', true);
    await a.api.auth.signUp({ email: 'c@example.jp', password: 'password-c', name: 'C' });
    expect(a.jar.cookies[0]).toContain('; Secure');
    const first = a.jar.token;
    await a.api.auth.signIn({ email: 'c@example.jp', password: 'password-c' });
    expect(a.jar.token).not.toBe(first);
    expect(learnerOfToken(db, first)).toBeNull(); // the old session is gone

    const guesser = browser('10.0.0.6');
    const wrong = await rejected(guesser.api.auth.signIn({ email: 'c@example.jp', password: 'nope-nope' }));
    const unknown = await rejected(guesser.api.auth.signIn({ email: 'nobody@example.jp', password: 'nope-nope' }));
    expect([wrong.code, wrong.message]).toEqual(['UNAUTHORIZED', 'メールアドレスまたはパスワードが正しくありません。']);
    expect([unknown.code, unknown.message]).toEqual([wrong.code, wrong.message]);
    for (let i = 0; i < 4; i++) await rejected(guesser.api.auth.signIn({ email: 'c@example.jp', password: `guess-${i}xx` }));
    const limited = await rejected(guesser.api.auth.signIn({ email: 'c@example.jp', password: 'password-c' }));
    expect(limited.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.message).toContain('試行が多すぎます');

    const dup = await rejected(browser('10.0.0.7').api.auth.signUp({ email: 'C@example.jp', password: 'password-x', name: 'X' }));
    expect(dup.message).toBe('このメールアドレスでは登録できません。すでに登録済みの場合はサインインしてください。');

    await a.api.auth.signOut();
    expect(a.jar.cookies.at(-1)).toContain('Max-Age=0');
    expect((await rejected(a.api.sessions.list({ limit: 1 }))).code).toBe('UNAUTHORIZED');
  });
});
