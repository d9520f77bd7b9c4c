
import { isNull } from 'drizzle-orm';
import { getStore } from '../db/app-store';
import type { Store } from '../db/store';
import { authLimits, type AuthLimits } from './auth/limits';
import { accountsExist, DEVICE_COOKIE, learnerOfToken, readCookie, SESSION_COOKIE } from './auth/sessions';
import { getBank, type Bank } from './bank/bank';
import { getGradingPool } from './grading/pool';
import type { GradeReply, GradeRequest } from './grading/protocol';
import { clientOf, type ForwardedRequest } from './http/forwarded';

/** Runs a grading job off the event loop (the pool of grading processes on the server). */
export type GradeRunner = (request: Omit<GradeRequest, 'id'>) => Promise<GradeReply>;

/** What the auth procedures need from the request: its session token, how to answer with a cookie, who asks. */
export interface AuthState {
  /** the session token from the cookie, if any (replaced on sign-in) */
  token: string | undefined;
  /** cookies get `Secure` when the request came over https */
  secure: boolean;
  /** the client address, for rate limits: the socket's, or a trusted proxy's X-Forwarded-For (server/http/forwarded.ts) */
  address: string;
  /** the device cookie, if any: a known device of an account passes that account's wait (server/auth/limits.ts) */
  device: string | undefined;
  /** the sign-in and sign-up limits (one per process; tests pass their own) */
  limits: AuthLimits;
  /** whether any account exists (before the first one, the app serves the local learner without sign-in) */
  accounts: boolean;
  setCookie(value: string): void;
}

/** The context of a procedure run for a learner. */
export interface Context {
  store: Store;
  bank: Bank;
  learnerId: number;
  grade: GradeRunner;
  auth: AuthState;
}

/** The context of a request before we know it is a learner's (sign-in, sign-up). */
export type RequestContext = Omit<Context, 'learnerId'> & { learnerId: number | null };

const poolRunner: GradeRunner = (request) => getGradingPool().run(request);

/** The context without HTTP: tests pass an in-memory store, a learner and, if they like, a grader. */
export async function createContextInner(opts: {
  store: Store;
  bank?: Bank;
  learnerId?: number;
  grade?: GradeRunner;
  auth?: Partial<AuthState>;
}): Promise<Context> {
  const bank = opts.bank ?? getBank();
  const auth: AuthState = {
    token: undefined,
    secure: false,
    address: 'test',
    device: undefined,
    limits: authLimits(opts.store),
    accounts: false,
    setCookie: () => undefined,
    ...opts.auth,
  };
  return { store: opts.store, bank, learnerId: opts.learnerId ?? (await ensureLocalLearner(opts.store)), grade: opts.grade ?? poolRunner, auth };
}

/**
 * Until accounts exist, everyone is the one local learner. The insert runs in a transaction: outside one, SQLite's
 * `INSERT … RETURNING` hands back the id even when the commit fails (disk full), for a row that is not stored. Looked
 * for again inside it, so two first requests at once make one learner.
 */
export async function ensureLocalLearner(store: Store): Promise<number> {
  const { learners } = store.tables;
  const local = (db: Store['db']) => db.select({ id: learners.id }).from(learners).where(isNull(learners.email)).orderBy(learners.id).limit(1);
  const [existing] = await local(store.db);
  if (existing) return existing.id;
  return store.transaction(async (tx) => {
    const [again] = await local(tx.db);
    if (again) return again.id;
    const [created] = await tx.db.insert(learners).values({ name: 'ローカル学習者' }).returning({ id: learners.id });
    return created!.id;
  });
}

/**
 * What a context needs of an HTTP request, whichever server received it (the API's node:http entry, or a page or
 * route handler of Next with a fetch Request).
 */
export interface RequestInfo extends ForwardedRequest {
  /** adds a Set-Cookie header to the response (pages cannot set cookies: they leave it out) */
  setCookie?(value: string): void;
}

/** A fetch Request (Next's route handlers) as a RequestInfo; they read, so no cookie is set. */
export function fetchRequestInfo(req: Request): RequestInfo {
  return { header: (name) => req.headers.get(name) ?? undefined, encrypted: req.url.startsWith('https:') };
}

/** Once an account exists it stays (there is no deleting accounts), so the check stops after the first yes. */
const accountsSeen = new WeakSet<Store>();

/**
 * The context of an HTTP request: the learner of the session cookie; or, while no account exists, the local learner.
 * (The bank is mirrored into the database and the grading threads started by the server before it listens.)
 * Tests pass their own database, bank and limits.
 */
export async function createContext(request: RequestInfo, deps: { store?: Store; bank?: Bank; grade?: GradeRunner; limits?: AuthLimits } = {}): Promise<RequestContext> {
  const store = deps.store ?? (await getStore());
  const cookies = request.header('cookie') ?? null;
  const token = readCookie(cookies, SESSION_COOKIE);
  if (!accountsSeen.has(store) && (await accountsExist(store))) accountsSeen.add(store);
  const accounts = accountsSeen.has(store);
  const learnerId = (await learnerOfToken(store, token)) ?? (accounts ? null : await ensureLocalLearner(store));
  const client = clientOf(request);
  const auth: AuthState = {
    token,
    secure: client.scheme === 'https' || process.env.KAKUNIN_SECURE_COOKIES === '1',
    address: client.address,
    device: readCookie(cookies, DEVICE_COOKIE),
    limits: deps.limits ?? authLimits(store),
    accounts,
    setCookie: (value) => request.setCookie?.(value),
  };
  return { store, bank: deps.bank ?? getBank(), learnerId, grade: deps.grade ?? poolRunner, auth };
}
