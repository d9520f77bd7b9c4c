import type Database from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import type { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { createTestDb, getDb, type Db } from './client';
import { GroupCommitter, inSavepoint, inTransaction, type TxConnection } from './group-commit';
import { Mutex } from './mutex';
import * as sqliteSchema from './schema';
import type { DialectSql, Store, StoreDb, Tables } from './store';

/*
 * The SQLite adapter of the store: one better-sqlite3 connection, whose calls are synchronous. A transaction whose work
 * awaits gives the event loop back between its statements, so transactions (and group commits) take an async lock
 * and run one at a time. What runs meanwhile outside a transaction shares the connection: a plain read sees the open
 * transaction's uncommitted writes (which may still roll back), and a plain write would join that transaction. So
 * every write goes through transaction() or grouped(); plain reads are only what the moment's connection state shows.
 */

const dialectSql: DialectSql = {
  least: (a, b) => sql`min(${a}, ${b})`,
  latestVerdicts: (learnerId) =>
    sql`SELECT question_id AS "questionId", verdict, max(created_at) AS "lastAt" FROM answers WHERE learner_id = ${learnerId} GROUP BY question_id`,
  // In a group with one max() (or min()) aggregate, SQLite takes the bare columns from the row holding it.
  questionStats: (learnerId) => ({
    latest: sql`SELECT question_id AS "questionId", count(*) AS answers, sum(verdict = 'incorrect') AS incorrect, sum(verdict = 'partial') AS partial,
                       sum(score) AS "scoreSum", sum(time_spent_ms) AS "timeMs", max(created_at) AS "lastAt", score AS "latestScore",
                       session_id AS "lastSessionId"
                FROM answers WHERE learner_id = ${learnerId} GROUP BY question_id`,
    first: sql`SELECT question_id AS "questionId", min(created_at) AS "firstAt", score AS "firstScore" FROM answers WHERE learner_id = ${learnerId} GROUP BY question_id`,
  }),
};

/** The raw statements of transactions and savepoints, prepared once per connection and name. */
function rawOps(sqlite: Database.Database) {
  const statements = new Map<string, Database.Statement>();
  const run = (source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = sqlite.prepare(source);
      statements.set(source, statement);
    }
    statement.run();
  };
  return {
    savepoint: async (name: string) => run(`SAVEPOINT ${name}`),
    release: async (name: string) => run(`RELEASE ${name}`),
    rollbackTo: async (name: string) => run(`ROLLBACK TO ${name}`),
    inTransaction: () => sqlite.inTransaction,
  };
}

/** drizzle's SQLite dialect of a handle: turns `sql` into text and parameters. */
const dialectOf = (db: Db) => (db as unknown as { dialect: SQLiteSyncDialect }).dialect;

class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly db: StoreDb;
  readonly tables = sqliteSchema as unknown as Tables;
  readonly sql = dialectSql;
  private readonly lock = new Mutex();
  private readonly ops: ReturnType<typeof rawOps>;
  private readonly committer: GroupCommitter;

  constructor(readonly drizzleDb: Db) {
    // The builders of both dialects share the API the services use (see store.ts); SQLite's are awaited like pg's.
    this.db = drizzleDb as unknown as StoreDb;
    this.ops = rawOps(drizzleDb.$client);
    this.committer = new GroupCommitter(() => this.connection());
  }

  /** Takes the lock; BEGIN IMMEDIATE, COMMIT and ROLLBACK go through exec (what tests watch). */
  private async connection(): Promise<TxConnection> {
    const unlock = await this.lock.lock();
    const sqlite = this.drizzleDb.$client;
    return {
      begin: async () => void sqlite.exec('BEGIN IMMEDIATE'),
      commit: async () => void sqlite.exec('COMMIT'),
      rollback: async () => void sqlite.exec('ROLLBACK'),
      ...this.ops,
      store: new SqliteTxStore(this, 0),
      done: unlock,
    };
  }

  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return inTransaction(() => this.connection(), work);
  }

  grouped<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return this.committer.run(work);
  }

  async rows<T>(query: SQL): Promise<T[]> {
    // drizzle's all() refuses a statement that returns no rows (an UPDATE): run those, as pg's query() does
    const { sql: text, params } = dialectOf(this.drizzleDb).sqlToQuery(query);
    const statement = this.drizzleDb.$client.prepare(text);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  }

  savepointOps() {
    return this.ops;
  }
}

/** The store inside a transaction: the same connection; transaction() and grouped() are savepoints of it. */
class SqliteTxStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly db: StoreDb;
  readonly tables: Tables;
  readonly sql = dialectSql;

  constructor(
    private readonly root: SqliteStore,
    private readonly depth: number,
  ) {
    this.db = root.db;
    this.tables = root.tables;
  }

  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    const inner = new SqliteTxStore(this.root, this.depth + 1);
    return inSavepoint(this.root.savepointOps(), `kakunin_${inner.depth}`, () => work(inner));
  }

  grouped<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  rows<T>(query: SQL): Promise<T[]> {
    return this.root.rows<T>(query);
  }
}

const stores = new WeakMap<Db, SqliteStore>();

/** The store of a better-sqlite3 database: one per handle, so its lock and group commit are shared by all callers. */
export function sqliteStore(db: Db): Store {
  let store = stores.get(db);
  if (!store) {
    store = new SqliteStore(db);
    stores.set(db, store);
  }
  return store;
}

/** The SQLite handle under a store made by sqliteStore (tests, backups); undefined on PostgreSQL. */
export function sqliteDbOf(store: Store): Db | undefined {
  return store instanceof SqliteStore ? store.drizzleDb : undefined;
}

/** A fresh, migrated in-memory SQLite store for tests. */
export function createTestStore(): Store {
  return sqliteStore(createTestDb());
}

/** The app's store (db/client.ts getDb: opened and migrated on first use). */
export function getSqliteStore(): Store {
  return sqliteStore(getDb());
}
