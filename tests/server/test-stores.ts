import { sql } from 'drizzle-orm';
import { afterAll } from 'vitest';
import { createTestDb } from '../../db/client';
import type { Store } from '../../db/store';
import { openPgStore, type PgStore } from '../../db/store-pg';
import { sqliteStore } from '../../db/store-sqlite';
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../db/pg-test-url';

/*
 * The stores a suite runs on: `describe.each(STORES)` and `await freshStore(kind)` in its beforeEach. SQLite: a new
 * in-memory database each time. PostgreSQL (when KAKUNIN_TEST_DATABASE_URL is set): a database of the test file's own,
 * created on first use and dropped after the file, emptied (TRUNCATE … RESTART IDENTITY) before each test.
 * `freshSecondStore(kind)` is another install beside it (a history imported into a new install): on PostgreSQL a second
 * database of the file's own, emptied on each call.
 */

const url = pgTestUrl('the PostgreSQL half of the store suites, tests/server/test-stores.ts');

export type StoreKind = 'sqlite' | 'pg';
export const STORES: StoreKind[] = url ? ['sqlite', 'pg'] : ['sqlite'];

/** the file's PostgreSQL databases: [0] for freshStore, [1] for freshSecondStore */
const pgStores: Promise<{ store: PgStore; database: TestDatabase }>[] = [];

async function openFileDatabase() {
  const database = await createTestDatabase(url!, 'kakunin_r');
  return { store: await openPgStore(database.url, { max: 4 }), database };
}

afterAll(async () => {
  for (const opened of pgStores) {
    if (!opened) continue;
    const { store, database } = await opened;
    await store.close();
    await database.drop();
  }
});

async function emptied(kind: StoreKind, slot: 0 | 1): Promise<Store> {
  if (kind === 'sqlite') return sqliteStore(createTestDb());
  pgStores[slot] ??= openFileDatabase();
  const { store } = await pgStores[slot];
  await store.rows(
    sql`TRUNCATE learners, questions, practice_sessions, answers, code_attempts, review_cards, review_logs, auth_sessions, limit_state RESTART IDENTITY CASCADE`,
  );
  return store;
}

export function freshStore(kind: StoreKind): Promise<Store> {
  return emptied(kind, 0);
}

/** Another empty install of the same kind, apart from freshStore's (which it leaves as it is). */
export function freshSecondStore(kind: StoreKind): Promise<Store> {
  return emptied(kind, 1);
}
