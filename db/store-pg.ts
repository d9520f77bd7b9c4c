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

/**
 * Whether `error` ended the client's connection: not one of the server's (a socket error, "Connection terminated"), or
 * a FATAL one (pg_terminate_backend, a server shutting down). A statement's own error only aborts the transaction.
 */
function endsConnection(error: unknown): boolean {
  const { severity } = error as { severity?: string };
  return severity === undefined || severity === 'FATAL' || severity === 'PANIC';
}

/** One line per lost connection; never the error object: pg-pool sets error.client, whose parameters hold the password. */
function logConnectionLoss(error: Error & { code?: string }): void {
  console.error(`PostgreSQL: a pooled connection was lost${error.code ? ` (${error.code})` : ''}: ${error.message}`);
}

/** A client's transaction as the group committer drives it. */
function connectionOn(client: pg.PoolClient, store: Store): TxConnection {
  let open = false;
  let broken: Error | undefined;
  // A checked-out client whose connection drops emits 'error' (beside failing its query); without a listener that
  // event would crash the process. The transaction is lost: the next statement fails and the client is destroyed.
  const onError = (error: Error & { code?: string }) => {
    broken ??= error;
    logConnectionLoss(error);
  };
  client.on('error', onError);
  const run = async (text: string) => {
    try {
      return await client.query(text);
    } catch (error) {
      // a lost connection ends the transaction; a statement error only aborts it (a savepoint rollback recovers)
      if (endsConnection(error)) broken = error as Error;
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

/** The advisory lock key of migrations (any fixed bigint; 'kakunin' in ASCII). */
const MIGRATION_LOCK = '120052525512558';

export class PgStore implements Store {
  readonly dialect = 'pg' as const;
  readonly tables = pgSchema;
  readonly sql = dialectSql;
  readonly db: StoreDb;
  private readonly committer: GroupCommitter;
  private closing = false;

  constructor(
    readonly pool: pg.Pool,
    options: { groupsOneAtATime?: boolean } = {},
  ) {
    // Groups overlap by default, each on a client of its own: a conflict between two open groups (the same answer twice,
    // a deadlock) rejects only the caller whose write hit it (tests/db/group-commit-pg.test.ts), and two app nodes
    // overlap anyway. One at a time was slower: 658-1,146 against 1,748-1,910 answers/s with fsync on (the next group
    // waits for the last one's WAL flush instead of sharing it; bench/group-commit-pg.ts).
    this.committer = new GroupCommitter(() => this.connection(), { oneAtATime: options.groupsOneAtATime ?? false });
    this.db = drizzle({ client: pool, schema: pgSchema }) as unknown as StoreDb;
    keepConnectionLossesFromCrashing(pool, () => this.closing);
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

  /**
   * Applies db/migrations-pg (drizzle's migrator keeps its own table of applied ones). App processes started together
   * on a new database would each run the same CREATE TABLEs and all but one fail: a session advisory lock, held on a
   * client of its own, lets one migrate at a time; the others then find nothing left to apply.
   */
  async migrate(): Promise<void> {
    const lock = await this.pool.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      // on the lock's own client: a pool of one connection (npm start's prepare step) has no other to give
      await migrate(drizzle({ client: lock }), { migrationsFolder: path.join(process.cwd(), 'db', 'migrations-pg') });
    } finally {
      // ending the session would release it too; unlocking lets the client go back to the pool
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
      lock.release();
    }
  }

  close(): Promise<void> {
    this.closing = true;
    return this.pool.end();
  }
}

/**
 * The server may end a connection at any time (a restart, pg_terminate_backend, a proxy's idle timeout), and
 * node-postgres reports it as an 'error' event on the client: pg-pool forwards an idle client's to the pool, and listens
 * to none while a client is checked out (between the statements of a transaction). An 'error' event without a listener
 * is an uncaught exception that would end the server, so both get one. Logging is all there is to do: the pool drops
 * the dead client, and a checked-out client's next query rejects, so its caller still hears of it (a 503).
 */
function keepConnectionLossesFromCrashing(pool: pg.Pool, closing: () => boolean): void {
  const log = (error: Error & { code?: string }) => {
    if (!closing()) logConnectionLoss(error);
  };
  pool.on('error', log);
  pool.on('connect', (client) => {
    // pg-pool's own listener is there only while the client is idle; this one is there while it is checked out
    client.on('error', (error: Error) => {
      // alone only outside a transaction: when idle, pg-pool's listener passes it to the pool's; in a transaction,
      // connectionOn's listener logs it
      if (client.listenerCount('error') === 1) log(error);
    });
  });
}

/** How long a request waits for a connection to the server before it fails (a 503) instead of hanging. */
const CONNECT_TIMEOUT_MS = 10_000;

/** A store on the PostgreSQL server of `url` (postgres://…), migrated. */
export async function openPgStore(
  url: string,
  options: { max?: number; connectionTimeoutMillis?: number; groupsOneAtATime?: boolean } = {},
): Promise<PgStore> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: options.connectionTimeoutMillis ?? CONNECT_TIMEOUT_MS });
  const store = new PgStore(pool, { groupsOneAtATime: options.groupsOneAtATime });
  try {
    await store.migrate();
  } catch (error) {
    // a server out of reach at start: no pool left behind to keep the process alive
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}
