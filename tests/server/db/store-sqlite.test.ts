import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../../db/client';
import type { Store } from '../../../db/store';
import { sqliteStore } from '../../../db/store-sqlite';

let dir: string;
let file: string;
let db: Db;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kakunin-store-'));
  file = path.join(dir, 'test.db');
  db = openDb(file);
  db.run(sql`CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)`);
  db.run(sql`INSERT INTO counter (id, n) VALUES (1, 0)`);
  store = sqliteStore(db);
});
afterEach(() => {
  vi.restoreAllMocks();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const read = async (tx: Store) => (await tx.rows<{ n: number }>(sql`SELECT n FROM counter WHERE id = 1`))[0]!.n;
const write = (tx: Store, n: number) => tx.rows(sql`UPDATE counter SET n = ${n} WHERE id = 1`);
const committed = () => (new Database(file, { readonly: true }).prepare('SELECT n FROM counter WHERE id = 1').get() as { n: number }).n;
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('the SQLite store', () => {
  it('runs transactions one at a time although their work awaits: read, wait, write loses no update', async () => {
    const increment = () =>
      store.transaction(async (tx) => {
        const n = await read(tx);
        await tick(); // another request's code runs here
        await write(tx, n + 1);
      });
    await Promise.all(Array.from({ length: 5 }, increment));
    expect(await read(store)).toBe(5);
    expect(committed()).toBe(5);
  });

  it('settles a transaction after COMMIT: another connection sees it', async () => {
    await store.transaction((tx) => write(tx, 7));
    expect(committed()).toBe(7);
  });

  it('makes a transaction inside a transaction a savepoint: its throw rolls back only its own writes', async () => {
    const exec = vi.spyOn(db.$client, 'exec');
    await store.transaction(async (tx) => {
      await write(tx, 1);
      await expect(
        tx.transaction(async (inner) => {
          await write(inner, 2);
          throw new Error('inner refused');
        }),
      ).rejects.toThrow('inner refused');
      expect(await read(tx)).toBe(1);
      await tx.grouped((inner) => write(inner, 3)); // joins this transaction: no BEGIN of its own
    });
    expect(exec.mock.calls.map((c) => c[0])).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
    expect(committed()).toBe(3);
  });

  it('rolls back on a throw and on a failed COMMIT, and frees the lock for the next transaction', async () => {
    await expect(
      store.transaction(async (tx) => {
        await write(tx, 9);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(committed()).toBe(0);

    // a deferred foreign key with no parent: every statement succeeds, the COMMIT fails
    db.$client.exec('CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE orphan (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)');
    await expect(
      store.transaction(async (tx) => {
        await write(tx, 4);
        await tx.rows(sql`INSERT INTO orphan (p) VALUES (-1)`);
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(db.$client.inTransaction).toBe(false);
    expect(committed()).toBe(0);
    await store.transaction((tx) => write(tx, 5));
    expect(committed()).toBe(5);
  });

  it('shares one lock between transactions and group commits', async () => {
    const order: string[] = [];
    const slow = store.transaction(async (tx) => {
      order.push('transaction begins');
      await tick();
      await tick();
      await write(tx, 1);
      order.push('transaction ends');
    });
    const grouped = store.grouped(async (tx) => {
      order.push('group write');
      await write(tx, (await read(tx)) + 10);
    });
    await Promise.all([slow, grouped]);
    expect(order).toEqual(['transaction begins', 'transaction ends', 'group write']);
    expect(committed()).toBe(11);
  });

  it('lets a plain read meanwhile see the open transaction’s writes (one connection; documented in store-sqlite.ts)', async () => {
    let seen: number | undefined;
    await store.transaction(async (tx) => {
      await write(tx, 42);
      seen = await read(store);
    });
    expect(seen).toBe(42);
  });
});
