import { getSqliteStore } from './store-sqlite';
import type { Store } from './store';

/**
 * The app's store, opened on first use (never at import: `next build` imports server modules): the SQLite file of
 * db/client.ts (KAKUNIN_DB).
 */
export async function getStore(): Promise<Store> {
  return getSqliteStore();
}
