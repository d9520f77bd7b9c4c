import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import type { SignInRefusal, SignUpRefusal } from '../auth/limits';
import { DUMMY_HASH } from '../auth/password';
import { BusyError } from '../auth/rate-limit';
import { clearedSessionCookie, createAuthSession, deleteAuthSession, deviceCookie, knownDevice, sessionCookie } from '../auth/sessions';
import type { RequestContext as Context } from '../context';

// The limits themselves, and why they are what they are: server/auth/limits.ts.

export const SIGN_IN_FAILED = 'メールアドレスまたはパスワードが正しくありません。';
export const BUSY = 'サーバーが混み合っています。数秒待ってからもう一度お試しください。';

/** "12秒" / "3分": how long to wait, rounded up. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  return seconds < 60 ? `${seconds}秒` : `${Math.ceil(seconds / 60)}分`;
}

function tooMany(message: string): TRPCError {
  return new TRPCError({ code: 'TOO_MANY_REQUESTS', message });
}

function signInRefused({ reason, retryAfterMs }: SignInRefusal): TRPCError {
  const wait = waitText(retryAfterMs);
  return tooMany(
    reason === 'account'
      ? `このメールアドレスへのサインインの失敗が続いています。${wait}ほど待ってからもう一度お試しください。以前この端末でサインインしたことがあれば、待たずにサインインできます。`
      : `この接続元からのサインインの失敗が多すぎます。${wait}ほど待ってからもう一度お試しください。`,
  );
}

function signUpRefused({ reason, retryAfterMs }: SignUpRefusal): TRPCError {
  const wait = waitText(retryAfterMs);
  return tooMany(
    reason === 'address'
      ? `この接続元からの登録が多すぎます。${wait}ほど待ってからもう一度お試しください。`
      : `ただいま新規登録が集中しています。${wait}ほど待ってからもう一度お試しください。`,
  );
}

export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

/** A signed-in learner's session, and this browser marked as a known device of the account. */
async function startSession(ctx: Context, learner: { id: number; passwordHash: string }, deviceId: string | null): Promise<void> {
  // Rotation: whatever session the browser had is dropped, and a new token is issued.
  await deleteAuthSession(ctx.store, ctx.auth.token);
  const { token, expiresAt } = await createAuthSession(ctx.store, learner.id);
  ctx.auth.setCookie(sessionCookie(token, expiresAt, ctx.auth.secure));
  ctx.auth.setCookie(deviceCookie(learner.id, learner.passwordHash, deviceId, ctx.auth.secure));
  ctx.auth.token = token;
}

/**
 * The password check of a sign-in: the attempt is reserved (counted as a failure) before scrypt runs and settled
 * after; the reservation is one atomic step on the shared counters, so parallel attempts (in any app process) see
 * each other. The same scrypt work whether or not the account exists. Throws the learner-facing error; returns the learner and the id of
 * the known device it came from, if any.
 */
async function checkPassword(ctx: Context, email: string, password: string): Promise<{ learner: { id: number; name: string; passwordHash: string }; deviceId: string | null }> {
  const { limits } = ctx.auth;
  const { learners } = ctx.store.tables;
  const [row] = await ctx.store.db.select({ id: learners.id, name: learners.name, passwordHash: learners.passwordHash }).from(learners).where(eq(learners.email, email));
  const learner = row?.passwordHash ? { ...row, passwordHash: row.passwordHash } : undefined;
  const deviceId = learner ? knownDevice(ctx.auth.device, learner.id, learner.passwordHash) : null;
  const reserved = await limits.reserveSignIn({ account: email, address: ctx.auth.address, device: deviceId });
  if (!reserved.ok) throw signInRefused(reserved);
  let ok: boolean;
  try {
    ok = await limits.verify(password, learner?.passwordHash ?? DUMMY_HASH);
  } catch (error) {
    await reserved.attempt.cancel();
    throw error instanceof BusyError ? tooMany(BUSY) : error;
  }
  if (!learner || !ok) {
    await reserved.attempt.fail();
    throw new TRPCError({ code: 'UNAUTHORIZED', message: SIGN_IN_FAILED });
  }
  await reserved.attempt.succeed();
  return { learner, deviceId };
}

/**
 * Creates an account and signs in. The first account takes over the local learner (its answers, cards and sessions
 * from before accounts existed).
 *
 * An address that already has an account is not refused with words of its own: sign-up there is a sign-in. The owner
 * (who forgot having registered) is signed in with their password, with the same reply as a new account; anyone else
 * gets exactly what a wrong password gets at sign-in (401, same message, one scrypt like a new account's hashing),
 * and the failure counts against the account like any sign-in. That a sign-up did not give an account is still
 * visible, and no wording can hide it without a mail to confirm the address; each probe costs one of the address's
 * few sign-ups an hour and one of the account's failed sign-ins.
 */
export async function signUp(ctx: Context, input: { email: string; password: string; name: string }): Promise<{ learnerId: number; name: string }> {
  const email = normaliseEmail(input.email);
  const { limits } = ctx.auth;
  const { learners } = ctx.store.tables;
  const slot = await limits.reserveSignUp(ctx.auth.address);
  if (!slot.ok) throw signUpRefused(slot);
  const busy = async (error: unknown) => {
    if (error instanceof TRPCError && error.message === BUSY) await slot.release(); // nothing was tried
    return error;
  };

  if ((await ctx.store.db.select({ id: learners.id }).from(learners).where(eq(learners.email, email))).length > 0) {
    const { learner, deviceId } = await checkPassword(ctx, email, input.password).catch(async (error: unknown) => {
      throw await busy(error);
    });
    await startSession(ctx, learner, deviceId);
    return { learnerId: learner.id, name: learner.name };
  }

  let passwordHash: string;
  try {
    passwordHash = await limits.hash(input.password);
  } catch (error) {
    throw await busy(error instanceof BusyError ? tooMany(BUSY) : error);
  }
  const learnerId = await ctx.store.transaction(async (tx) => {
    // a parallel sign-up may have taken the address while this one hashed
    if ((await tx.db.select({ id: learners.id }).from(learners).where(eq(learners.email, email))).length > 0) return null;
    const [local] = await tx.db.select({ id: learners.id }).from(learners).where(and(isNull(learners.email))).orderBy(learners.id).limit(1);
    if (local) {
      await tx.db.update(learners).set({ email, passwordHash, name: input.name }).where(eq(learners.id, local.id));
      return local.id;
    }
    const [created] = await tx.db.insert(learners).values({ email, passwordHash, name: input.name }).returning({ id: learners.id });
    return created!.id;
  });
  if (learnerId === null) throw new TRPCError({ code: 'UNAUTHORIZED', message: SIGN_IN_FAILED });
  await startSession(ctx, { id: learnerId, passwordHash }, null);
  return { learnerId, name: input.name };
}

export async function signIn(ctx: Context, input: { email: string; password: string }): Promise<{ learnerId: number; name: string }> {
  const { learner, deviceId } = await checkPassword(ctx, normaliseEmail(input.email), input.password);
  await startSession(ctx, learner, deviceId);
  return { learnerId: learner.id, name: learner.name };
}

export async function signOut(ctx: Context): Promise<{ ok: true }> {
  await deleteAuthSession(ctx.store, ctx.auth.token);
  ctx.auth.setCookie(clearedSessionCookie(ctx.auth.secure));
  return { ok: true };
}

export async function me(ctx: Context): Promise<{ learnerId: number | null; name: string | null; email: string | null; accounts: boolean }> {
  if (ctx.learnerId === null) return { learnerId: null, name: null, email: null, accounts: ctx.auth.accounts };
  const { learners } = ctx.store.tables;
  const [row] = await ctx.store.db.select({ name: learners.name, email: learners.email }).from(learners).where(eq(learners.id, ctx.learnerId));
  return { learnerId: ctx.learnerId, name: row?.name ?? null, email: row?.email ?? null, accounts: ctx.auth.accounts };
}
