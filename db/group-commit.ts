import { Mutex } from './mutex';
import type { Store } from './store';

/*
 * Group commit for the writes many learners make at once (answers). A commit costs more than the writes it makes
 * durable (measured on SQLite: ~280 µs an answer committed alone, ~160 µs in a shared transaction), so the writes asked
 * for in the same turn of the event loop run in one transaction and are committed together; each caller's promise
 * settles only after that commit, so an answer is still acknowledged only once it is durable.
 *
 * Each write runs in a savepoint of its own: one that throws (a refused answer) is rolled back alone and rejects only
 * its own caller. Writes run one after the other, in the order asked, so they see each other's effects as usual.
 * The committer is the same for both stores: the adapter hands it a connection (TxConnection) for each group.
 */

/** One connection for one group's transaction, as an adapter provides it. */
export interface TxConnection {
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  savepoint(name: string): Promise<void>;
  release(name: string): Promise<void>;
  rollbackTo(name: string): Promise<void>;
  /** false once the database ended the transaction by itself (SQLite on a full disk or an I/O error) */
  inTransaction(): boolean;
  /** the store the writes run on: bound to this connection, its transaction() and grouped() are savepoints */
  store: Store;
  /** gives the connection back (unlocks SQLite's connection, returns a pooled PostgreSQL client) */
  done(): void;
}

/**
 * Runs `work` in a savepoint on `conn`, rolled back alone when it throws. Checks the transaction is still open after
 * it: a database that ended it inside `work` must not see the following writes run outside a transaction.
 */
export async function inSavepoint<T>(conn: Pick<TxConnection, 'savepoint' | 'release' | 'rollbackTo' | 'inTransaction'>, name: string, work: () => Promise<T>): Promise<T> {
  await conn.savepoint(name);
  let value: T;
  try {
    value = await work();
  } catch (error) {
    if (conn.inTransaction()) {
      await conn.rollbackTo(name);
      await conn.release(name);
    }
    throw error;
  }
  if (!conn.inTransaction()) throw new Error('the transaction ended inside a write');
  try {
    await conn.release(name);
  } catch (error) {
    // PostgreSQL refuses RELEASE in a transaction a failed statement aborted (a write that caught its own error):
    // rolling back to the savepoint undoes this write alone, so the others in the transaction can still commit.
    if (conn.inTransaction()) {
      await conn.rollbackTo(name);
      await conn.release(name);
    }
    throw error;
  }
  return value;
}

/**
 * Runs `work` in a transaction of its own on a connection from `open`, commits, and gives the connection back; a throw
 * (or a failed COMMIT) rolls it back. Both adapters' `transaction()`.
 */
export async function inTransaction<T>(open: () => Promise<TxConnection>, work: (tx: Store) => Promise<T>): Promise<T> {
  const conn = await open();
  try {
    await conn.begin();
    try {
      const value = await work(conn.store);
      if (!conn.inTransaction()) throw new Error('the transaction ended inside its work');
      await conn.commit();
      return value;
    } catch (error) {
      // a failed COMMIT (a deferred foreign key, a full disk) may leave the transaction open
      if (conn.inTransaction()) {
        try {
          await conn.rollback();
        } catch {
          // the first error is the one to report
        }
      }
      throw error;
    }
  } finally {
    conn.done();
  }
}

interface Pending {
  work: (tx: Store) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommitter {
  private pending: Pending[] = [];
  /** held by the group in flight when groups are serialised (`oneAtATime`) */
  private readonly inFlight: Mutex | undefined;

  /**
   * `oneAtATime`: a group starts only after the one before has committed, and takes every write asked for meanwhile
   * (for comparison: bench/group-commit-pg.ts). Without it, each turn's group goes at once on a connection of its own
   * (PostgreSQL's pool); SQLite's connection lock serialises them anyway.
   */
  constructor(
    private readonly open: () => Promise<TxConnection>,
    options: { oneAtATime?: boolean } = {},
  ) {
    this.inFlight = options.oneAtATime ? new Mutex() : undefined;
  }

  run<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const unlock = await this.inFlight?.lock();
    try {
      await this.flushPending();
    } finally {
      unlock?.();
    }
  }

  private async flushPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    // a flush that waited for the group in flight may find its writes taken by another that waited too
    if (batch.length === 0) return;
    let conn: TxConnection;
    try {
      conn = await this.open();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    const outcomes: Outcome[] = [];
    let begun = false;
    try {
      await conn.begin();
      begun = true;
      for (const item of batch) {
        try {
          outcomes.push({ ok: true, value: await inSavepoint(conn, 'kakunin_group', () => item.work(conn.store)) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
        // The database may roll the whole transaction back (SQLite on a full disk or an I/O error): the writes before
        // are gone, and the rest must not run without it (each would then commit on its own while its caller is told
        // it failed).
        if (!conn.inTransaction()) {
          const last = outcomes[outcomes.length - 1]!;
          throw last.ok ? new Error('group commit: the transaction ended inside a write') : last.error;
        }
      }
      await conn.commit();
    } catch (error) {
      // BEGIN, a savepoint or COMMIT failed (disk full, database locked past busy_timeout, connection lost): nothing is stored
      if (begun && conn.inTransaction()) {
        try {
          await conn.rollback();
        } catch {
          // the first error is the one to report; every caller must still hear of it
        }
      }
      conn.done();
      for (const item of batch) item.reject(error);
      return;
    }
    conn.done();
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }
}
