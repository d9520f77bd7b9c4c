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
 */

const url = pgTestUrl('the PostgreSQL half of the store suites, tests/server/test-stores.ts');

export type StoreKind = 'sqlite' | 'pg';
export const STORES: StoreKind[] = url ? ['sqlite', 'pg'] : ['sqlite'];

let pgStore: Promise<{ store: PgStore; database: TestDatabase }> | undefined;

async function openFileDatabase() {
  const database = await createTestDatabase(url!, 'kakunin_r');
  return { store: await openPgStore(database.url, { max: 4 }), database };
}

afterAll(async () => {
  if (!pgStore) return;
  const { store, database } = await pgStore;
  // pool.end() resolves once every client is asked to end, before their connections are closed; DROP … WITH (FORCE)
  // would then terminate a backend still closing, and its client throws an unhandled error (57P01) into the run.
  // The pool emits 'remove' when a client's connection has ended.
  const open = store.pool.totalCount;
  let removed = 0;
  const closed = new Promise<void>((resolve) => {
    if (open === 0) resolve();
    store.pool.on('remove', () => {
      if (++removed === open) resolve();
    });
  });
  await store.close();
  await closed;
  await database.drop();
});

export async function freshStore(kind: StoreKind): Promise<Store> {
  if (kind === 'sqlite') return sqliteStore(createTestDb());
  pgStore ??= openFileDatabase();
  const { store } = await pgStore;
  await store.rows(
    sql`TRUNCATE learners, questions, practice_sessions, answers, code_attempts, review_cards, review_logs, auth_sessions RESTART IDENTITY CASCADE`,
  );
  return store;
}
