import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import { learners } from '../../db/schema';
import { dummyHash, hashPassword, verifyPassword } from '../auth/password';
import { RateLimiter } from '../auth/rate-limit';
import { clearedSessionCookie, createAuthSession, deleteAuthSession, sessionCookie } from '../auth/sessions';
import type { RequestContext as Context } from '../context';

/** Failed sign-ins: 5 per account and 20 per address in 15 minutes. */
const perAccount = new RateLimiter(5, 15 * 60_000);
const perAddress = new RateLimiter(20, 15 * 60_000);

const SIGN_IN_FAILED = 'メールアドレスまたはパスワードが正しくありません。';
const TOO_MANY = 'サインインの試行が多すぎます。15分ほど待ってからもう一度お試しください。';

export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

function startSession(ctx: Context, learnerId: number): void {
  // Rotation: whatever session the browser had is dropped, and a new token is issued.
  deleteAuthSession(ctx.db, ctx.auth.token);
  const { token, expiresAt } = createAuthSession(ctx.db, learnerId);
  ctx.auth.setCookie(sessionCookie(token, expiresAt, ctx.auth.secure));
  ctx.auth.token = token;
}

/**
 * Creates an account and signs in. The first account takes over the local learner (its answers, cards and sessions
 * from before accounts existed).
 */
export async function signUp(ctx: Context, input: { email: string; password: string; name: string }): Promise<{ learnerId: number; name: string }> {
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const learnerId = ctx.db.transaction((tx) => {
    if (tx.select({ id: learners.id }).from(learners).where(eq(learners.email, email)).get()) return null;
    const local = tx.select({ id: learners.id }).from(learners).where(and(isNull(learners.email))).orderBy(learners.id).get();
    if (local) {
      tx.update(learners).set({ email, passwordHash, name: input.name }).where(eq(learners.id, local.id)).run();
      return local.id;
    }
    return tx.insert(learners).values({ email, passwordHash, name: input.name }).returning({ id: learners.id }).get().id;
  });
  if (learnerId === null) {
    // Worded so as not to confirm that the address has an account.
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'このメールアドレスでは登録できません。すでに登録済みの場合はサインインしてください。' });
  }
  startSession(ctx, learnerId);
  return { learnerId, name: input.name };
}

export async function signIn(ctx: Context, input: { email: string; password: string }): Promise<{ learnerId: number; name: string }> {
  const email = normaliseEmail(input.email);
  const address = ctx.auth.address;
  if (perAccount.blocked(email) || perAddress.blocked(address)) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: TOO_MANY });
  const learner = ctx.db.select().from(learners).where(eq(learners.email, email)).get();
  // The same scrypt work whether or not the account exists: timing says nothing either.
  const ok = await verifyPassword(input.password, learner?.passwordHash ?? (await dummyHash()));
  if (!learner || !ok) {
    perAccount.hit(email);
    perAddress.hit(address);
    throw new TRPCError({ code: 'UNAUTHORIZED', message: SIGN_IN_FAILED });
  }
  perAccount.reset(email);
  startSession(ctx, learner.id);
  return { learnerId: learner.id, name: learner.name };
}

export function signOut(ctx: Context): { ok: true } {
  deleteAuthSession(ctx.db, ctx.auth.token);
  ctx.auth.setCookie(clearedSessionCookie(ctx.auth.secure));
  return { ok: true };
}

export function me(ctx: Context): { learnerId: number | null; name: string | null; email: string | null; accounts: boolean } {
  if (ctx.learnerId === null) return { learnerId: null, name: null, email: null, accounts: ctx.auth.accounts };
  const row = ctx.db.select({ name: learners.name, email: learners.email }).from(learners).where(eq(learners.id, ctx.learnerId)).get();
  return { learnerId: ctx.learnerId, name: row?.name ?? null, email: row?.email ?? null, accounts: ctx.auth.accounts };
}
