import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../../db/client';
import { sqliteStore } from '../../../db/store-sqlite';

let dir: string;
let file: string;
let db: Db;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kakunin-group-commit-'));
  file = path.join(dir, 'test.db');
  db = openDb(file);
  db.run(sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL UNIQUE)`);
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (body: string) => async () => db.$client.prepare('INSERT INTO notes (body) VALUES (?)').run(body).lastInsertRowid;
/** The store's group commit (db/group-commit.ts) on this database. */
const commitGrouped = <T>(work: () => Promise<T>) => sqliteStore(db).grouped(work);
const bodies = (conn: Database.Database = db.$client) => (conn.prepare('SELECT body FROM notes ORDER BY id').all() as { body: string }[]).map((r) => r.body);

describe('group commit', () => {
  it('commits the writes of one turn of the event loop in one transaction, in the order asked', async () => {
    const exec = vi.spyOn(db.$client, 'exec');
    const ids = await Promise.all(['a', 'b', 'c', 'd'].map((b) => commitGrouped(insert(b))));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(exec.mock.calls.map((c) => c[0])).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
    expect(bodies()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('settles a write only once it is committed: another connection already sees it', async () => {
    const other = new Database(file, { readonly: true });
    try {
      const seen = await commitGrouped(insert('durable')).then(() => bodies(other));
      expect(seen).toEqual(['durable']);
    } finally {
      other.close();
    }
  });

  it('rolls back only the write that threw and rejects only its caller', async () => {
    const results = await Promise.allSettled([
      commitGrouped(insert('x')),
      commitGrouped(async () => {
        await insert('half-done')();
        throw new Error('refused after a write');
      }),
      commitGrouped(insert('x')), // UNIQUE violation
      commitGrouped(insert('y')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused after a write');
    expect((results[2] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(bodies()).toEqual(['x', 'y']);
  });

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

  it('starts a new group for writes asked after the last one was flushed', async () => {
    await commitGrouped(insert('first'));
    const exec = vi.spyOn(db.$client, 'exec');
    await commitGrouped(insert('second'));
    expect(exec.mock.calls.map((c) => c[0])).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
    expect(bodies()).toEqual(['first', 'second']);
  });
});
