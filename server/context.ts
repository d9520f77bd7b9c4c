
import { getDb, type Db } from '../db/client';
import { learners } from '../db/schema';
import { getBank, type Bank } from './bank/bank';
import { syncBank } from './bank/sync';
import { getGradingPool } from './grading/pool';
import type { GradeReply, GradeRequest } from './grading/protocol';

/** Runs a grading job off the event loop (the worker-thread pool on the server). */
export type GradeRunner = (request: Omit<GradeRequest, 'id'>) => Promise<GradeReply>;

export interface Context {
  db: Db;
  bank: Bank;
  learnerId: number;
  grade: GradeRunner;
}

const poolRunner: GradeRunner = (request) => getGradingPool().run(request);

/** The context without HTTP: tests pass an in-memory database, a learner and, if they like, a grader. */
export function createContextInner(opts: { db: Db; bank?: Bank; learnerId?: number; grade?: GradeRunner }): Context {
  const bank = opts.bank ?? getBank();
  return { db: opts.db, bank, learnerId: opts.learnerId ?? ensureLocalLearner(opts.db), grade: opts.grade ?? poolRunner };
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
    getGradingPool(); // start (and warm) the grading threads before the first code answer arrives
  }
  return createContextInner({ db, learnerId: localLearnerId });
}

