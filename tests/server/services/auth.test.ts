import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDb, type Db } from '../../../db/client';
import { sqliteStore } from '../../../db/store-sqlite';
import { answers, learners } from '../../../db/schema';
import { hashPassword, verifyPassword } from '../../../server/auth/password';
import { AuthLimits } from '../../../server/auth/limits';
import { RateLimiter } from '../../../server/auth/rate-limit';
import { storeLimitState } from '../../../db/limit-state';
import { learnerOfToken } from '../../../server/auth/sessions';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner, ensureLocalLearner, type RequestContext } from '../../../server/context';
import { createCaller } from '../../../server/root';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
let db: Db;

beforeEach(async () => {
  db = createTestDb();
  await syncBank(sqliteStore(db), bank);
});

/** A caller as a browser with a cookie jar: it sends its session and device cookies and keeps the ones the server sets. */
function browser(address = '10.0.0.1', secure = false, limits?: AuthLimits) {
  const jar = { token: undefined as string | undefined, device: undefined as string | undefined, cookies: [] as string[] };
  const ctx = async (): Promise<RequestContext> => {
    const base = await createContextInner({ store: sqliteStore(db), bank, learnerId: 1, auth: { address, secure, ...(limits ? { limits } : {}) } });
    const learnerId = await learnerOfToken(sqliteStore(db), jar.token);
    const accounts = db.select().from(learners).all().some((l) => l.email !== null);
    return {
      ...base,
      learnerId: learnerId ?? (accounts ? null : await ensureLocalLearner(sqliteStore(db))),
      auth: {
        ...base.auth,
        token: jar.token,
        device: jar.device,
        accounts,
        setCookie: (value: string) => {
          jar.cookies.push(value);
          const session = /^kakunin_session=([^;]*)/.exec(value);
          if (session) jar.token = session[1] || undefined;
          const device = /^kakunin_device=([^;]*)/.exec(value);
          if (device) jar.device = device[1] || undefined;
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

  it('rate-limits in a sliding window: no burst across a window edge gets twice the limit', async () => {
    let now = 0;
    const limiter = new RateLimiter(2, 1000, { name: 'test', state: storeLimitState(sqliteStore(db)), now: () => now });
    expect(await limiter.hit('k')).toBe(true);
    now = 999;
    expect([await limiter.hit('k'), await limiter.hit('k')]).toEqual([true, false]);
    expect(await limiter.reserve('k')).toEqual({ ok: false, retryAfterMs: 1 }); // the attempt at 0 leaves at 1000
    now = 1000;
    expect([await limiter.hit('k'), await limiter.hit('k')]).toEqual([true, false]); // a fixed window would allow 2
    now = 1998;
    expect(await limiter.reserve('k')).toEqual({ ok: false, retryAfterMs: 1 });
    now = 1999;
    const taken = await limiter.reserve('k');
    expect(taken.ok).toBe(true);
    if (taken.ok) await taken.release(); // given back: the slot is free again
    expect(await limiter.hit('k')).toBe(true);
    expect(await limiter.hit('other')).toBe(true); // keys are apart
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
    let now = 0;
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => now }); // real scrypt, a clock of its own
    const a = browser('10.0.0.5', true, limits);
    await a.api.auth.signUp({ email: 'c@example.jp', password: 'password-c', name: 'C' });
    expect(a.jar.cookies[0]).toContain('; Secure');
    expect(a.jar.cookies[1]).toMatch(/^kakunin_device=\d+\.[\w-]{22}\.[\w-]{43}; Path=\/api\/trpc; HttpOnly; SameSite=Lax; Expires=.*; Secure$/);
    const first = a.jar.token;
    await a.api.auth.signIn({ email: 'c@example.jp', password: 'password-c' });
    expect(a.jar.token).not.toBe(first);
    expect(await learnerOfToken(sqliteStore(db), first)).toBeNull(); // the old session is gone

    const guesser = browser('10.0.0.6', false, limits);
    const wrong = await rejected(guesser.api.auth.signIn({ email: 'c@example.jp', password: 'nope-nope' }));
    const unknown = await rejected(guesser.api.auth.signIn({ email: 'nobody@example.jp', password: 'nope-nope' }));
    expect([wrong.code, wrong.message]).toEqual(['UNAUTHORIZED', 'メールアドレスまたはパスワードが正しくありません。']);
    expect([unknown.code, unknown.message]).toEqual([wrong.code, wrong.message]);
    for (let i = 0; i < 4; i++) await rejected(guesser.api.auth.signIn({ email: 'c@example.jp', password: `guess-${i}xx` }));
    const limited = await rejected(guesser.api.auth.signIn({ email: 'c@example.jp', password: 'password-c' }));
    expect([limited.code, limited.message]).toEqual([
      'TOO_MANY_REQUESTS',
      'このメールアドレスへのサインインの失敗が続いています。1秒ほど待ってからもう一度お試しください。以前この端末でサインインしたことがあれば、待たずにサインインできます。',
    ]);

    // signing up with a registered address is signing in: a wrong password reads as at sign-in
    now += 1_000;
    const dup = await rejected(browser('10.0.0.7', false, limits).api.auth.signUp({ email: 'C@example.jp', password: 'password-x', name: 'X' }));
    expect([dup.code, dup.message]).toEqual([wrong.code, wrong.message]);

    await a.api.auth.signOut();
    expect(a.jar.cookies.at(-1)).toContain('Max-Age=0');
    expect((await rejected(a.api.sessions.list({ limit: 1 }))).code).toBe('UNAUTHORIZED');
  });
});

/** Password work without scrypt: counts the checks that ran, and can hold them (attempts stay in flight) until released. */
function fakePasswords() {
  const counts = { hash: 0, verify: 0, running: 0 };
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  const work = async () => {
    counts.running += 1;
    if (gate) await gate.promise;
    counts.running -= 1;
  };
  return {
    counts,
    hold() {
      let open = () => undefined as void;
      gate = { promise: new Promise<void>((resolve) => (open = resolve)), open };
    },
    release() {
      gate?.open();
      gate = null;
    },
    work: {
      hash: async (password: string) => {
        counts.hash += 1;
        await work();
        return `plain$${password}`;
      },
      verify: async (password: string, stored: string) => {
        counts.verify += 1;
        await work();
        return stored === `plain$${password}`;
      },
    },
  };
}

/** Settles every call and tells how each ended: 'ok', or the TRPCError's code. */
function outcomes(calls: Promise<unknown>[]) {
  const ended = { ok: 0, UNAUTHORIZED: 0, TOO_MANY_REQUESTS: 0 } as Record<string, number>;
  const errors: TRPCError[] = [];
  const all = Promise.all(
    calls.map((p) =>
      p.then(
        () => void (ended.ok! += 1),
        (e: unknown) => {
          expect(e).toBeInstanceOf(TRPCError);
          errors.push(e as TRPCError);
          ended[(e as TRPCError).code] = (ended[(e as TRPCError).code] ?? 0) + 1;
        },
      ),
    ),
  );
  return { ended, errors, all };
}

const ACCOUNT_WAIT = (wait: string) =>
  `このメールアドレスへのサインインの失敗が続いています。${wait}ほど待ってからもう一度お試しください。以前この端末でサインインしたことがあれば、待たずにサインインできます。`;
const BUSY = 'サーバーが混み合っています。数秒待ってからもう一度お試しください。';

describe('sign-in limits', () => {
  it('counts an attempt before checking it: of 40 parallel wrong guesses at one account, 5 are checked', async () => {
    const fake = fakePasswords();
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => 0, passwords: fake.work });
    await browser('10.1.0.1', false, limits).api.auth.signUp({ email: 'race@example.jp', password: 'right-password', name: 'R' });
    fake.hold();
    // 40 guessers at 40 addresses, all in flight at once
    const race = outcomes(Array.from({ length: 40 }, (_, i) => browser(`10.1.1.${i}`, false, limits).api.auth.signIn({ email: 'race@example.jp', password: `guess-${i}` })));
    await vi.waitFor(() => expect(race.ended.TOO_MANY_REQUESTS).toBe(35));
    expect(fake.counts.running).toBe(2); // the other 3 wait for a scrypt slot
    fake.release();
    await race.all;
    expect(fake.counts.verify).toBe(5);
    expect(race.ended).toEqual({ ok: 0, UNAUTHORIZED: 5, TOO_MANY_REQUESTS: 35 });
    expect(new Set(race.errors.filter((e) => e.code === 'TOO_MANY_REQUESTS').map((e) => e.message))).toEqual(new Set([ACCOUNT_WAIT('1秒')]));
  });

  it('slows an attacker without locking out the owner: a second after 5 failures, and never on a known device', async () => {
    let now = 0;
    const fake = fakePasswords();
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => now, passwords: fake.work });
    const owner = browser('10.2.0.1', false, limits);
    await owner.api.auth.signUp({ email: 'owner@example.jp', password: 'owner-password', name: '持ち主' });
    expect(owner.jar.device).toBeDefined();
    await owner.api.auth.signOut();

    const attacker = browser('10.2.0.2', false, limits);
    const guess = (i: number) => rejected(attacker.api.auth.signIn({ email: 'owner@example.jp', password: `guess-${i}` }));
    for (let i = 0; i < 5; i++) expect((await guess(i)).code).toBe('UNAUTHORIZED');
    // the owner on a new device: a second's wait, not 15 minutes
    const newDevice = browser('10.2.0.3', false, limits);
    expect((await rejected(newDevice.api.auth.signIn({ email: 'owner@example.jp', password: 'owner-password' }))).message).toBe(ACCOUNT_WAIT('1秒'));
    now += 1_000;
    expect(await newDevice.api.auth.signIn({ email: 'owner@example.jp', password: 'owner-password' })).toMatchObject({ name: '持ち主' });

    // a patient attacker, waiting out every delay (1 s, 2 s, 4 s, …): after 14 failures the account waits 512 s
    for (let i = 0; i < 14; i++) {
      expect((await guess(i)).code).toBe('UNAUTHORIZED');
      if (i < 13) now += i < 4 ? 0 : 1_000 * 2 ** (i - 4);
    }
    expect((await guess(99)).message).toBe(ACCOUNT_WAIT('9分'));
    const checked = fake.counts.verify;
    expect((await rejected(browser('10.2.0.4', false, limits).api.auth.signIn({ email: 'owner@example.jp', password: 'owner-password' }))).message).toBe(ACCOUNT_WAIT('9分'));
    // the owner's own browser passes at once; a forged device cookie does not
    expect(await owner.api.auth.signIn({ email: 'owner@example.jp', password: 'owner-password' })).toMatchObject({ name: '持ち主' });
    const mine = owner.jar.device!;
    attacker.jar.device = `${mine.slice(0, -1)}${mine.endsWith('A') ? 'B' : 'A'}`;
    expect((await guess(100)).message).toBe(ACCOUNT_WAIT('9分'));
    expect(fake.counts.verify).toBe(checked + 1); // only the owner's attempt was checked
    // and the wait ends: 15 minutes at the most
    now += 512_000;
    expect((await guess(101)).code).toBe('UNAUTHORIZED');
  });

  it('gives a known device 5 failures of its own, then treats it like any other', async () => {
    const fake = fakePasswords();
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => 0, passwords: fake.work });
    const device = 'device-id-0123456789ab';
    for (let i = 0; i < 5; i++) {
      const r = await limits.reserveSignIn({ account: 'd@example.jp', address: '10.3.0.1', device });
      expect(r.ok && r.attempt.via).toBe('device');
      if (r.ok) await r.attempt.fail();
    }
    expect(await limits.accountFailures('d@example.jp')).toBe(0); // the device's typos are not the account's
    const sixth = await limits.reserveSignIn({ account: 'd@example.jp', address: '10.3.0.1', device });
    expect(sixth.ok && sixth.attempt.via).toBe('account');
  });

  it('keys failures by client address: 20 from one address do not keep another out', async () => {
    const fake = fakePasswords();
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => 0, passwords: fake.work });
    const learner = browser('10.4.0.1', false, limits);
    await learner.api.auth.signUp({ email: 'e@example.jp', password: 'password-e', name: 'E' });
    const noisy = browser('192.0.2.10', false, limits);
    for (let i = 0; i < 20; i++) expect((await rejected(noisy.api.auth.signIn({ email: `x${i}@example.jp`, password: 'wrong-wrong' }))).code).toBe('UNAUTHORIZED');
    const refused = await rejected(noisy.api.auth.signIn({ email: 'e@example.jp', password: 'password-e' }));
    expect([refused.code, refused.message]).toEqual(['TOO_MANY_REQUESTS', 'この接続元からのサインインの失敗が多すぎます。15分ほど待ってからもう一度お試しください。']);
    expect(await browser('192.0.2.11', false, limits).api.auth.signIn({ email: 'e@example.jp', password: 'password-e' })).toMatchObject({ name: 'E' });
    // IPv6: one /64 is one client
    const v6 = browser('2001:db8:1:2::10', false, limits);
    for (let i = 0; i < 20; i++) await rejected(v6.api.auth.signIn({ email: `y${i}@example.jp`, password: 'wrong-wrong' }));
    expect((await rejected(browser('2001:db8:1:2:ffff::1', false, limits).api.auth.signIn({ email: 'e@example.jp', password: 'password-e' }))).code).toBe('TOO_MANY_REQUESTS');
    expect(await browser('2001:db8:1:3::10', false, limits).api.auth.signIn({ email: 'e@example.jp', password: 'password-e' })).toMatchObject({ name: 'E' });
  });

  it('caps scrypt work at 2 at once and 16 waiting; beyond that a sign-in is refused as busy and costs nothing', async () => {
    const fake = fakePasswords();
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => 0, passwords: fake.work });
    fake.hold();
    const storm = outcomes(Array.from({ length: 30 }, (_, i) => browser(`10.5.0.${i}`, false, limits).api.auth.signIn({ email: `s${i}@example.jp`, password: 'wrong-wrong' })));
    await vi.waitFor(() => expect(storm.ended.TOO_MANY_REQUESTS).toBe(12));
    expect(fake.counts.running).toBe(2);
    expect(new Set(storm.errors.map((e) => e.message))).toEqual(new Set([BUSY]));
    fake.release();
    await storm.all;
    expect(storm.ended).toEqual({ ok: 0, UNAUTHORIZED: 18, TOO_MANY_REQUESTS: 12 });
    expect(fake.counts.verify).toBe(18);
    // a refused attempt was given back: its account has no failure on the books
    const failures = await Promise.all(Array.from({ length: 30 }, (_, i) => limits.accountFailures(`s${i}@example.jp`)));
    expect(failures.filter((f) => f === 1)).toHaveLength(18);
    expect(failures.filter((f) => f === 0)).toHaveLength(12);
  });
});

describe('sign-up limits and wording', () => {
  it('allows 5 sign-ups an hour per address and 100 in all, counted before hashing', async () => {
    let now = 0;
    const fake = fakePasswords();
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => now, passwords: fake.work, signUpsTotal: 8 });
    const one = browser('10.6.0.1', false, limits);
    for (let i = 0; i < 5; i++) await one.api.auth.signUp({ email: `u${i}@example.jp`, password: 'password-u', name: `U${i}` });
    const sixth = await rejected(one.api.auth.signUp({ email: 'u5@example.jp', password: 'password-u', name: 'U5' }));
    expect([sixth.code, sixth.message]).toEqual(['TOO_MANY_REQUESTS', 'この接続元からの登録が多すぎます。60分ほど待ってからもう一度お試しください。']);
    expect(fake.counts.hash).toBe(5);
    // a registered address counts too (or sign-up would be a free way to probe)
    const other = browser('10.6.0.2', false, limits);
    await other.api.auth.signUp({ email: 'v0@example.jp', password: 'password-v', name: 'V0' });
    await rejected(other.api.auth.signUp({ email: 'u0@example.jp', password: 'password-v', name: 'V' }));
    await other.api.auth.signUp({ email: 'v1@example.jp', password: 'password-v', name: 'V1' });
    // the global cap (8 here)
    const capped = await rejected(browser('10.6.0.3', false, limits).api.auth.signUp({ email: 'w@example.jp', password: 'password-w', name: 'W' }));
    expect([capped.code, capped.message]).toEqual(['TOO_MANY_REQUESTS', 'ただいま新規登録が集中しています。60分ほど待ってからもう一度お試しください。']);
    now += 3_600_000;
    expect(await one.api.auth.signUp({ email: 'u5@example.jp', password: 'password-u', name: 'U5' })).toMatchObject({ name: 'U5' });
  });

  it('answers a registered address as it answers a new one: the owner is signed in, anyone else gets the sign-in failure', async () => {
    const fake = fakePasswords();
    const limits = new AuthLimits({ state: storeLimitState(sqliteStore(db)),  now: () => 0, passwords: fake.work });
    const first = browser('10.7.0.1', false, limits);
    const created = await first.api.auth.signUp({ email: 'reg@example.jp', password: 'password-r', name: '登録者' });
    expect(fake.counts).toMatchObject({ hash: 1, verify: 0 });

    // the owner, who forgot having registered: signed in, with the same reply and cookies as a new account
    const again = browser('10.7.0.2', false, limits);
    const ownerReply = await again.api.auth.signUp({ email: 'Reg@example.jp', password: 'password-r', name: '別名' });
    expect(ownerReply).toEqual({ learnerId: created.learnerId, name: '登録者' });
    expect(Object.keys(ownerReply)).toEqual(Object.keys(created));
    expect(again.jar.cookies.map((c) => c.split('=')[0])).toEqual(first.jar.cookies.map((c) => c.split('=')[0]));
    expect(fake.counts).toMatchObject({ hash: 1, verify: 1 }); // one scrypt, as a new account's hashing
    expect(await again.api.auth.me()).toMatchObject({ email: 'reg@example.jp' });

    // anyone else: exactly a wrong password at sign-in, counted against the account like one
    const stranger = browser('10.7.0.3', false, limits);
    const viaSignUp = await rejected(stranger.api.auth.signUp({ email: 'reg@example.jp', password: 'not-the-password', name: 'S' }));
    const viaSignIn = await rejected(stranger.api.auth.signIn({ email: 'reg@example.jp', password: 'not-the-password' }));
    expect([viaSignUp.code, viaSignUp.message]).toEqual(['UNAUTHORIZED', 'メールアドレスまたはパスワードが正しくありません。']);
    expect([viaSignIn.code, viaSignIn.message]).toEqual([viaSignUp.code, viaSignUp.message]);
    expect(stranger.jar.cookies).toEqual([]);
    expect(await limits.accountFailures('reg@example.jp')).toBe(2);
    expect(fake.counts).toMatchObject({ hash: 1, verify: 3 });
    // an unknown account costs the same one check
    await rejected(stranger.api.auth.signIn({ email: 'nobody@example.jp', password: 'not-the-password' }));
    expect(fake.counts.verify).toBe(4);
  });
});
