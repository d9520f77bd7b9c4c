import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createTestDb } from '../../db/client';
import type { Store } from '../../db/store';
import { openPgStore, type PgStore } from '../../db/store-pg';
import { sqliteStore } from '../../db/store-sqlite';

/*
 * The stores a suite runs on: `describe.each(STORES)` and `await freshStore(kind)` in its beforeEach. SQLite: a new
 * in-memory database each time. PostgreSQL (when KAKUNIN_TEST_DATABASE_URL is set): a database of the test file's own,
 * created on first use and dropped after the file, emptied (TRUNCATE … RESTART IDENTITY) before each test.
 */

const url = process.env.KAKUNIN_TEST_DATABASE_URL;

export type StoreKind = 'sqlite' | 'pg';
export const STORES: StoreKind[] = url ? ['sqlite', 'pg'] : ['sqlite'];

if (!url) {
  console.warn(
    '\n*** PostgreSQL half of the store suites SKIPPED: KAKUNIN_TEST_DATABASE_URL is not set.\n' +
      '*** To run it: export KAKUNIN_TEST_DATABASE_URL="$(bash .ci/postgres.sh)" (what .ci/run does).\n',
  );
}

let pgStore: Promise<{ store: PgStore; admin: pg.Client; database: string }> | undefined;

async function openFileDatabase() {
  const database = `kakunin_r_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${database}"`);
  const target = new URL(url!);
  target.pathname = `/${database}`;
  return { store: await openPgStore(target.toString(), { max: 4 }), admin, database };
}

afterAll(async () => {
  if (!pgStore) return;
  const { store, admin, database } = await pgStore;
  await store.close();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
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
