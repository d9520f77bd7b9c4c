import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../../db/client';
import type { Store } from '../../../db/store';
import type { PgStore } from '../../../db/store-pg';
import { sqliteStore } from '../../../db/store-sqlite';
import { freshStore, STORES, type StoreKind } from '../test-stores';

/*
 * The group commit (db/group-commit.ts) through each store's grouped(): the same guarantees on SQLite (one connection
 * behind a lock) and PostgreSQL (a pooled client per group). The tests after these are about SQLite itself: its
 * transaction state on the one shared connection, and what it does on a full disk or an I/O error.
 */

/** How a store kind shows its transactions and its data to a test. */
interface Harness {
  store: Store;
  /** the statement that opens a group's transaction */
  begin: string;
  /** the code of a UNIQUE violation, as the driver reports it */
  uniqueViolation: string;
  /** records the BEGIN, COMMIT and ROLLBACK statements sent from now on */
  watch(): { statements(): string[] };
  /** another connection to the same database (held from now on, so the store's writes cannot run on it) */
  otherConnection(): Promise<{ bodies(): Promise<string[]>; close(): Promise<void> }>;
  close(): Promise<void>;
}

const NOTES = { sqlite: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)', pg: 'CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL UNIQUE)' };
const SELECT_BODIES = 'SELECT body FROM notes ORDER BY id';

/** SQLite in a file of its own, so a second connection can read it. */
function sqliteHarness(): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-group-commit-'));
  const file = path.join(dir, 'test.db');
  const db = openDb(file);
  db.run(sql.raw(NOTES.sqlite));
  return {
    store: sqliteStore(db),
    begin: 'BEGIN IMMEDIATE',
    uniqueViolation: 'SQLITE_CONSTRAINT_UNIQUE',
    watch() {
      const exec = vi.spyOn(db.$client, 'exec');
      return { statements: () => exec.mock.calls.map((c) => c[0]) };
    },
    async otherConnection() {
      const other = new Database(file, { readonly: true });
      return {
        bodies: async () => (other.prepare(SELECT_BODIES).all() as { body: string }[]).map((r) => r.body),
        close: async () => void other.close(),
      };
    },
    async close() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The test file's PostgreSQL database (test-stores.ts), with the notes table emptied. */
async function pgHarness(): Promise<Harness> {
  const store = (await freshStore('pg')) as PgStore;
  await store.rows(sql.raw(NOTES.pg));
  await store.rows(sql`TRUNCATE notes RESTART IDENTITY`);
  return {
    store,
    begin: 'BEGIN',
    uniqueViolation: '23505',
    watch() {
      const query = vi.spyOn(pg.Client.prototype, 'query');
      return {
        statements: () =>
          query.mock.calls.map((c) => c[0]).filter((q): q is string => typeof q === 'string' && /^(BEGIN|COMMIT|ROLLBACK)\b/.test(q)),
      };
    },
    async otherConnection() {
      const other = await store.pool.connect();
      return {
        bodies: async () => (await other.query<{ body: string }>(SELECT_BODIES)).rows.map((r) => r.body),
        close: async () => other.release(),
      };
    },
    close: async () => undefined,
  };
}

/** A write of one note; resolves to its id. */
const note = (body: string) => async (tx: Store) => (await tx.rows<{ id: number }>(sql`INSERT INTO notes (body) VALUES (${body}) RETURNING id`))[0]!.id;
/** The driver's code of a failed statement (drizzle wraps PostgreSQL's errors, with the driver's as the cause). */
const codeOf = (error: unknown) => (error as { code?: string }).code ?? ((error as { cause?: { code?: string } }).cause?.code);

describe.each(STORES)('group commit (%s)', (kind: StoreKind) => {
  let h: Harness;
  const commitGrouped = <T>(work: (tx: Store) => Promise<T>) => h.store.grouped(work);
  const bodies = async () => (await h.store.rows<{ body: string }>(sql.raw(SELECT_BODIES))).map((r) => r.body);

  beforeEach(async () => {
    h = kind === 'sqlite' ? sqliteHarness() : await pgHarness();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await h.close();
  });

  it('commits the writes of one turn of the event loop in one transaction, in the order asked', async () => {
    const watched = h.watch();
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((b) => commitGrouped(note(b))));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(watched.statements()).toEqual([h.begin, 'COMMIT']);
    expect(await bodies()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('settles a write only once it is committed: another connection already sees it', async () => {
    const other = await h.otherConnection();
    try {
      const seen = await commitGrouped(note('durable')).then(() => other.bodies());
      expect(seen).toEqual(['durable']);
    } finally {
      await other.close();
    }
  });

  it('rolls back only the write that threw and rejects only its caller', async () => {
    const results = await Promise.allSettled([
      commitGrouped(note('x')),
      commitGrouped(async (tx) => {
        await note('half-done')(tx);
        throw new Error('refused after a write');
      }),
      commitGrouped(note('x')), // UNIQUE violation
      commitGrouped(note('y')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused after a write');
    expect(codeOf((results[2] as PromiseRejectedResult).reason)).toBe(h.uniqueViolation);
    expect(await bodies()).toEqual(['x', 'y']);
  });

  it('never acknowledges a write it did not store, when a write swallows the error of its own statement', async () => {
    const results = await Promise.allSettled([
      commitGrouped(note('a')),
      commitGrouped(async (tx) => {
        // a UNIQUE violation caught and ignored: SQLite carries on, PostgreSQL aborts the transaction until a rollback
        await note('a')(tx).catch(() => undefined);
        return 0;
      }),
      commitGrouped(note('c')),
    ]);
    // every acknowledged note is stored (the second write stores none either way)
    const acknowledged = [results[0]!.status === 'fulfilled' ? ['a'] : [], results[2]!.status === 'fulfilled' ? ['c'] : []].flat();
    expect(await bodies()).toEqual(acknowledged);
    // SQLite: nothing failed. PostgreSQL: only the write that left the transaction aborted is refused; the others are stored.
    expect(results.map((r) => r.status)).toEqual(kind === 'sqlite' ? ['fulfilled', 'fulfilled', 'fulfilled'] : ['fulfilled', 'rejected', 'fulfilled']);
    expect(acknowledged).toEqual(['a', 'c']);
    // and the next group works (a PostgreSQL sequence does not give back the failed insert's id)
    expect(await commitGrouped(note('d'))).toBe(kind === 'sqlite' ? 3 : 4);
  });

  it('never reports a transaction committed that was not, when its work swallows the error of a statement', async () => {
    const outcome = await h.store
      .transaction(async (tx) => {
        await note('a')(tx);
        await note('a')(tx).catch(() => undefined);
      })
      .then(
        () => 'committed',
        (error: Error) => error.message,
      );
    if (kind === 'sqlite') {
      expect(outcome).toBe('committed');
      expect(await bodies()).toEqual(['a']);
    } else {
      expect(outcome).toBe('the transaction was aborted by a failed statement; PostgreSQL answered COMMIT with ROLLBACK');
      expect(await bodies()).toEqual([]);
    }
  });

  it('starts a new group for writes asked after the last one was flushed', async () => {
    await commitGrouped(note('first'));
    const watched = h.watch();
    await commitGrouped(note('second'));
    expect(watched.statements()).toEqual([h.begin, 'COMMIT']);
    expect(await bodies()).toEqual(['first', 'second']);
  });
});

describe.skipIf(!STORES.includes('pg'))('group commit on a PostgreSQL pool', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await pgHarness();
  });

  it('when the connection is lost inside a write, rejects the whole group, stores nothing and the next group works', async () => {
    const results = await Promise.allSettled([
      h.store.grouped(note('a')),
      h.store.grouped(async (tx) => {
        await note('b')(tx);
        // the server ends this backend: what a restart or a network failure does to the group's connection
        await tx.rows(sql`SELECT pg_terminate_backend(pg_backend_pid())`);
      }),
      h.store.grouped(note('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((await h.store.rows<{ body: string }>(sql.raw(SELECT_BODIES))).map((r) => r.body)).toEqual([]);
    expect(await h.store.grouped(note('d'))).toBeGreaterThan(0);
    expect((await h.store.rows<{ body: string }>(sql.raw(SELECT_BODIES))).map((r) => r.body)).toEqual(['d']);
  });

  it('an idle connection the server ends does not crash the app, and the next group opens a new one', async () => {
    const pool = (h.store as PgStore).pool;
    // three connections at once, then idle in the pool
    await Promise.all([1, 2, 3].map(() => h.store.rows(sql`SELECT pg_sleep(0.05)`)));
    expect(pool.idleCount).toBeGreaterThanOrEqual(3);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const killer = await pool.connect();
    try {
      const { rows } = await killer.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(2);
      // the pool hears of each ended connection, logs it and drops it
      await vi.waitFor(() => expect(logged.mock.calls.length).toBe(rows.length));
    } finally {
      killer.release();
    }
    expect(String(logged.mock.calls[0]![0])).toMatch(/^PostgreSQL: a pooled connection was lost \(57P01\): .+$/);
    logged.mockRestore();
    expect(await h.store.grouped(note('after'))).toBe(1);
    expect((await h.store.rows<{ body: string }>(sql.raw(SELECT_BODIES))).map((r) => r.body)).toEqual(['after']);
  });
});

describe('group commit on SQLite’s one connection', () => {
  let dir: string;
  let file: string;
  let db: Db;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'kakunin-group-commit-'));
    file = path.join(dir, 'test.db');
    db = openDb(file);
    db.run(sql.raw(NOTES.sqlite));
  });
  afterEach(() => {
    db.$client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (body: string) => async () => db.$client.prepare('INSERT INTO notes (body) VALUES (?)').run(body).lastInsertRowid;
  /** The store's group commit (db/group-commit.ts) on this database. */
  const commitGrouped = <T>(work: () => Promise<T>) => sqliteStore(db).grouped(work);
  const bodies = () => (db.$client.prepare(SELECT_BODIES).all() as { body: string }[]).map((r) => r.body);

  it('rejects every write of the group when the transaction cannot begin, and leaves an open one alone', async () => {
    db.$client.exec('BEGIN');
    await insert('outer')();
    const results = await Promise.allSettled([commitGrouped(insert('p')), commitGrouped(insert('q'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(db.$client.inTransaction).toBe(true);
    db.$client.exec('COMMIT');
    expect(bodies()).toEqual(['outer']);
  });

  it('when SQLite ends the transaction inside a write (full disk, I/O error), rejects the whole group and runs no write outside it', async () => {
    const results = await Promise.allSettled([
      commitGrouped(insert('a')),
      commitGrouped(async () => {
        await insert('b')();
        // what SQLite may do on SQLITE_FULL or SQLITE_IOERR: roll the whole transaction back
        db.$client.exec('ROLLBACK');
      }),
      commitGrouped(insert('c')), // would otherwise commit on its own, while its caller is told it failed
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(bodies()).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
    // the next group works
    expect(await commitGrouped(insert('d'))).toBe(1);
  });

  it('rejects every caller with the COMMIT error even when the ROLLBACK after it fails too', async () => {
    const exec = db.$client.exec.bind(db.$client);
    const ioError = Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    vi.spyOn(db.$client, 'exec').mockImplementation((source: string) => {
      if (source === 'COMMIT' || source === 'ROLLBACK') throw source === 'COMMIT' ? ioError : new Error('cannot rollback');
      return exec(source);
    });
    const results = await Promise.allSettled([commitGrouped(insert('p')), commitGrouped(insert('q'))]);
    expect(results).toEqual([
      { status: 'rejected', reason: ioError },
      { status: 'rejected', reason: ioError },
    ]);
    vi.restoreAllMocks();
    exec('ROLLBACK');
    expect(bodies()).toEqual([]);
  });
});
