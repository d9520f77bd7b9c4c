
import { getDb, type Db } from '../db/client';
import { learners } from '../db/schema';
import { getBank, type Bank } from './bank/bank';
import { syncBank } from './bank/sync';

export interface Context {
  db: Db;
  bank: Bank;
  learnerId: number;
}

/** The context without HTTP: tests pass an in-memory database and a learner. */
export function createContextInner(opts: { db: Db; bank?: Bank; learnerId?: number }): Context {
  const bank = opts.bank ?? getBank();
  return { db: opts.db, bank, learnerId: opts.learnerId ?? ensureLocalLearner(opts.db) };
}

/** Until accounts exist, everyone is the one local learner. */
export function ensureLocalLearner(db: Db): number {
  const existing = db.select({ id: learners.id }).from(learners).orderBy(learners.id).limit(1).get();
  if (existing) return existing.id;
  return db.insert(learners).values({ name: 'ローカル学習者' }).returning({ id: learners.id }).get().id;
}

let localLearnerId: number | undefined;

/** The context of an HTTP request. The first request mirrors the bank into the database (cheap, idempotent). */
export function createContext(_req: Request): Context {
  const db = getDb();
  if (localLearnerId === undefined) {
    syncBank(db, getBank());
    localLearnerId = ensureLocalLearner(db);
  }
  return createContextInner({ db, learnerId: localLearnerId });
}

