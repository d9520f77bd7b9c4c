import type { SQL } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type * as pgSchema from './schema-pg';

/*
 * The one storage interface of the services (issue 16): the same code runs on SQLite (better-sqlite3) and PostgreSQL
 * (node-postgres). Services take their tables from `store.tables` and only await drizzle builders (no `.get()`,
 * `.all()`, `.run()`), so they are typed against PostgreSQL's drizzle API, which has none of SQLite's sync calls: the
 * compiler refuses what would only work on SQLite. Row types are equal on both (tests/db/schema-dialects.test.ts).
 */

export type Tables = typeof pgSchema;

/** The drizzle handle as services see it: the builder API both dialects share (awaited, one row as `[0]`). */
export type StoreDb = NodePgDatabase<Tables>;

export type Dialect = 'sqlite' | 'pg';

/** Raw SQL spelled differently by the two dialects. */
export interface DialectSql {
  /** the smaller of two values: SQLite's scalar min(a, b), PostgreSQL's LEAST(a, b) */
  least(a: SQL | unknown, b: SQL | unknown): SQL;
  /**
   * Each question's latest verdict of a learner (rows { questionId, verdict }) in one grouped scan of the covering
   * index answers_learner_question_idx: SQLite reads the bare columns of max(created_at)'s row, PostgreSQL DISTINCT ON.
   */
  latestVerdicts(learnerId: number): SQL;
  /**
   * Per question of a learner: `latest` rows { questionId, answers, incorrect, partial, scoreSum, timeMs, lastAt,
   * latestScore, lastSessionId } (the last two of the latest answer), `first` rows { questionId, firstScore }.
   */
  questionStats(learnerId: number): { latest: SQL; first: SQL };
}

export interface Store {
  readonly dialect: Dialect;
  readonly db: StoreDb;
  readonly tables: Tables;
  readonly sql: DialectSql;
  /** Runs raw SQL (from `sql`) and returns its rows as the driver names them. */
  rows<T>(query: SQL): Promise<T[]>;
  /**
   * Runs `work` in a transaction and resolves after COMMIT; a throw rolls it back. Inside a transaction (on the store
   * handed to `work`) it opens a savepoint instead. `work` must use the store it is handed, never the outer one.
   */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Group commit: the writes asked in one turn of the event loop share one transaction, each in a savepoint of its
   * own (a throw rolls back and rejects only its caller), each caller settled only after COMMIT (db/group-commit.ts).
   * Inside a transaction it is a savepoint of that transaction.
   */
  grouped<T>(work: (tx: Store) => Promise<T>): Promise<T>;
}
