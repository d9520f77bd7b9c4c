import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNotNull, lt, sql } from 'drizzle-orm';
import type { Store } from '../../db/store';
import { preparedPerDb } from '../../db/prepared';

export const SESSION_COOKIE = 'kakunin_session';
const SESSION_DAYS = 30;
export const DEVICE_COOKIE = 'kakunin_device';
const DEVICE_DAYS = 400; // the longest browsers keep a cookie

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new signed-in session: the token goes into the cookie, its hash into the table. */
export async function createAuthSession(store: Store, learnerId: number, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const { authSessions } = store.tables;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await store.transaction(async (tx) => {
    await tx.db.insert(authSessions).values({ tokenHash: hashToken(token), learnerId, createdAt: now, expiresAt });
    // Expired sessions of this learner are dropped on each sign-in, so the table stays small.
    await tx.db.delete(authSessions).where(and(eq(authSessions.learnerId, learnerId), lt(authSessions.expiresAt, now)));
  });
  return { token, expiresAt };
}

/** Every API request asks this: prepared once. */
const learnerOfTokenQuery = preparedPerDb((db, { authSessions }) =>
  db
    .select({ learnerId: authSessions.learnerId })
    .from(authSessions)
    .where(and(eq(authSessions.tokenHash, sql.placeholder('tokenHash')), gt(authSessions.expiresAt, sql.placeholder('now'))))
    .prepare('learner_of_token'),
);

export async function learnerOfToken(store: Store, token: string | undefined, now = new Date()): Promise<number | null> {
  if (!token) return null;
  // A placeholder in a where clause binds the driver's value as is: the time in ms, as the column stores it (both dialects).
  const rows = await learnerOfTokenQuery(store).execute({ tokenHash: hashToken(token), now: now.getTime() });
  return rows[0]?.learnerId ?? null;
}

export async function deleteAuthSession(store: Store, token: string | undefined): Promise<void> {
  const { authSessions } = store.tables;
  if (token) await store.transaction((tx) => tx.db.delete(authSessions).where(eq(authSessions.tokenHash, hashToken(token))));
}

/** Accounts exist once anyone has signed up; before that the app serves the one local learner without sign-in. */
export async function accountsExist(store: Store): Promise<boolean> {
  const { learners } = store.tables;
  const rows = await store.db.select({ id: learners.id }).from(learners).where(isNotNull(learners.email)).limit(1);
  return rows.length > 0;
}

/** The Set-Cookie value: httpOnly, SameSite=Lax, Secure when the request came over https (directly or via a proxy). */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join('; ');
}

/*
 * A known device: a browser that signed in to an account gets `learnerId.deviceId.mac`, the mac an HMAC of both keyed
 * by the account's password hash. Only this server can make one (the hash never leaves the database), it needs no
 * table, and changing the password voids every device cookie of the account. It lets its holder past the account's
 * wait after an attacker's failures (server/auth/limits.ts); it signs no one in by itself.
 */
const deviceMac = (learnerId: number, deviceId: string, passwordHash: string) =>
  createHmac('sha256', `kakunin-device\n${passwordHash}`).update(`${learnerId}.${deviceId}`).digest('base64url');

/** The device id of `token` when it is a device cookie of this account, else null. */
export function knownDevice(token: string | undefined, learnerId: number, passwordHash: string): string | null {
  const [id, deviceId, mac, ...rest] = (token ?? '').split('.');
  if (rest.length > 0 || id !== String(learnerId) || !deviceId || !mac || !/^[\w-]{22}$/.test(deviceId)) return null;
  const expected = Buffer.from(deviceMac(learnerId, deviceId, passwordHash));
  const actual = Buffer.from(mac);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? deviceId : null;
}

/** A device cookie for this account: the same device id again when the browser already had one. */
export function deviceCookie(learnerId: number, passwordHash: string, deviceId: string | null, secure: boolean, now = new Date()): string {
  const id = deviceId ?? randomBytes(16).toString('base64url');
  const expires = new Date(now.getTime() + DEVICE_DAYS * 86_400_000);
  // only the API reads it (sign-in); pages never need it
  return [
    `${DEVICE_COOKIE}=${learnerId}.${id}.${deviceMac(learnerId, id, passwordHash)}`,
    'Path=/api/trpc',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expires.toUTCString()}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}
