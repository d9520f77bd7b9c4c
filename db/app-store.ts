import { getSqliteStore, sqliteDbOf } from './store-sqlite';
import type { Store } from './store';

/**
 * The app's store, opened on first use (never at import: `next build` imports server modules): PostgreSQL when
 * KAKUNIN_DATABASE_URL is set (a node-postgres pool, db/migrations-pg applied on opening), else the SQLite file of
 * db/client.ts (KAKUNIN_DB), as before.
 */
let shared: Promise<Store> | undefined;

export function getStore(): Promise<Store> {
  // a failed opening (the PostgreSQL server not up yet) is tried again by the next caller, not remembered
  shared ??= open().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

async function open(): Promise<Store> {
  const url = process.env.KAKUNIN_DATABASE_URL;
  if (!url) return getSqliteStore();
  // loaded only here: a SQLite install never loads pg
  const { openPgStore } = await import('./store-pg');
  return openPgStore(url);
}

/** Closes the app's store at shutdown (the SQLite file, or the PostgreSQL pool). */
export async function closeStore(): Promise<void> {
  if (!shared) return;
  const store = await shared;
  const sqlite = sqliteDbOf(store);
  if (sqlite) sqlite.$client.close();
  else await (store as Store & { close(): Promise<void> }).close();
}

/** Where the app's data lives, for messages: the PostgreSQL server (without its password) or the SQLite file. */
export function storeLabel(sqliteFile: string): string {
  const url = process.env.KAKUNIN_DATABASE_URL;
  if (!url) return sqliteFile;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'KAKUNIN_DATABASE_URL'; // not a URL: nothing of it is shown, it may hold a password
  }
  parsed.password = '';
  // node-postgres also takes a password from the query (?password=…); the query is only options, not needed to say where
  parsed.search = '';
  return parsed.toString();
}
