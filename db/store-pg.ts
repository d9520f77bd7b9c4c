import path from 'node:path';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { GroupCommitter, inSavepoint, inTransaction, type TxConnection } from './group-commit';
import * as pgSchema from './schema-pg';
import type { DialectSql, Store, StoreDb } from './store';

/*
 * The PostgreSQL adapter of the store: a node-postgres Pool. Each transaction (and each group commit) takes a client
 * of its own from the pool, so transactions run side by side and PostgreSQL isolates them (READ COMMITTED); a plain
 * read outside one goes to any free client and sees only committed rows.
 */

const newest = (column: string) => `(array_agg(${column} ORDER BY created_at DESC, id DESC))[1]`;
const oldest = (column: string) => `(array_agg(${column} ORDER BY created_at, id))[1]`;

const dialectSql: DialectSql = {
  least: (a, b) => sql`least(${a}, ${b})`,
  // ties of created_at broken by id, the later answer
  latestVerdicts: (learnerId) =>
    sql`SELECT DISTINCT ON (question_id) question_id AS "questionId", verdict FROM answers WHERE learner_id = ${learnerId}
        ORDER BY question_id, created_at DESC, id DESC`,
  questionStats: (learnerId) => ({
    latest: sql`SELECT question_id AS "questionId", count(*) AS answers, sum(case when verdict = 'incorrect' then 1 else 0 end) AS incorrect,
                       sum(case when verdict = 'partial' then 1 else 0 end) AS partial, sum(score) AS "scoreSum", sum(time_spent_ms) AS "timeMs",
                       max(created_at) AS "lastAt", ${sql.raw(newest('score'))} AS "latestScore", ${sql.raw(newest('session_id'))} AS "lastSessionId"
                FROM answers WHERE learner_id = ${learnerId} GROUP BY question_id`,
    first: sql`SELECT question_id AS "questionId", ${sql.raw(oldest('score'))} AS "firstScore" FROM answers WHERE learner_id = ${learnerId} GROUP BY question_id`,
  }),
};

type PgDb = ReturnType<typeof drizzle<typeof pgSchema, pg.Pool | pg.PoolClient>>;

/** One drizzle handle per pooled client (pg reuses its client objects): its named prepared statements stay on it. */
const handles = new WeakMap<pg.PoolClient, PgDb>();
function handleOf(client: pg.PoolClient): PgDb {
  let db = handles.get(client);
  if (!db) {
    db = drizzle({ client, schema: pgSchema });
    handles.set(client, db);
  }
  return db;
}

/** A client's transaction as the group committer drives it. */
function connectionOn(client: pg.PoolClient, store: Store): TxConnection {
  let open = false;
  let broken: Error | undefined;
  // A checked-out client whose connection drops emits 'error' (beside failing its query); without a listener that
  // event would crash the process. The transaction is lost: the next statement fails and the client is destroyed.
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  const run = async (text: string) => {
    try {
      return await client.query(text);
    } catch (error) {
      // a lost connection ends the transaction; a statement error only aborts it (a savepoint rollback recovers)
      if ((error as { code?: string }).code === undefined) broken = error as Error;
      throw error;
    }
  };
  return {
    begin: async () => {
      await run('BEGIN');
      open = true;
    },
    commit: async () => {
      open = false; // a failed COMMIT ends the transaction too (PostgreSQL rolls it back)
      const { command } = await run('COMMIT');
      // A transaction a failed statement aborted (a write that caught its own error) is rolled back by COMMIT without
      // an error, answered ROLLBACK: without this check its writes would be acknowledged as stored.
      if (command !== 'COMMIT') throw new Error(`the transaction was aborted by a failed statement; PostgreSQL answered COMMIT with ${command}`);
    },
    rollback: async () => {
      open = false;
      await run('ROLLBACK');
    },
    savepoint: async (name) => {
      await run(`SAVEPOINT ${name}`);
    },
    release: async (name) => {
      await run(`RELEASE SAVEPOINT ${name}`);
    },
    rollbackTo: async (name) => {
      await run(`ROLLBACK TO SAVEPOINT ${name}`);
    },
    inTransaction: () => open && broken === undefined,
    store,
    // a client whose connection failed is destroyed, not given back to the pool
    done: () => {
      client.off('error', onError);
      client.release(broken);
    },
  };
}

/** The store inside a transaction: one pooled client; transaction() and grouped() are savepoints on it. */
class PgTxStore implements Store {
  readonly dialect = 'pg' as const;
  readonly tables = pgSchema;
  readonly sql = dialectSql;

  constructor(
    readonly db: StoreDb,
    private readonly conn: () => TxConnection,
    private readonly depth: number,
  ) {}

  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    const inner = new PgTxStore(this.db, this.conn, this.depth + 1);
    return inSavepoint(this.conn(), `kakunin_${inner.depth}`, () => work(inner));
  }

  grouped<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return this.transaction(work);
  }

  async rows<T>(query: SQL): Promise<T[]> {
    return (await (this.db as unknown as PgDb).execute(query)).rows as T[];
  }
}

export class PgStore implements Store {
  readonly dialect = 'pg' as const;
  readonly tables = pgSchema;
  readonly sql = dialectSql;
  readonly db: StoreDb;
  private readonly committer = new GroupCommitter(() => this.connection());

  constructor(readonly pool: pg.Pool) {
    this.db = drizzle({ client: pool, schema: pgSchema }) as unknown as StoreDb;
    // An idle pooled connection the server ends (a restart, a terminated backend, the network) is emitted on the pool;
    // unheard, it would crash the app. The pool has already dropped that client and opens a new one when needed.
    pool.on('error', (error) => console.error(`PostgreSQL: an idle connection was lost (${error.message}); the pool opens a new one`));
  }

  private async connection(): Promise<TxConnection> {
    const client = await this.pool.connect();
    let conn: TxConnection | undefined;
    const store = new PgTxStore(handleOf(client) as unknown as StoreDb, () => conn!, 0);
    conn = connectionOn(client, store);
    return conn;
  }

  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return inTransaction(() => this.connection(), work);
  }

  grouped<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return this.committer.run(work);
  }

  async rows<T>(query: SQL): Promise<T[]> {
    return (await (this.db as unknown as PgDb).execute(query)).rows as T[];
  }

  /** Applies db/migrations-pg (drizzle's migrator keeps its own table of applied ones). */
  async migrate(): Promise<void> {
    await migrate(this.db as unknown as PgDb, { migrationsFolder: path.join(process.cwd(), 'db', 'migrations-pg') });
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** A store on the PostgreSQL server of `url` (postgres://…), migrated. */
export async function openPgStore(url: string, options: { max?: number } = {}): Promise<PgStore> {
  const store = new PgStore(new pg.Pool({ connectionString: url, max: options.max ?? 10 }));
  await store.migrate();
  return store;
}
