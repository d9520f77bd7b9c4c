import type { Store, StoreDb, Tables } from './store';

/**
 * Statements (drizzle's `.prepare()`, on both dialects) built once per drizzle handle and reused: on the paths every
 * request takes (who is signed in, answering), building and compiling the SQL again each time cost more than running
 * it. On SQLite a transaction's store shares the handle, so its statements are reused too; on PostgreSQL a
 * transaction's handle (one pooled client) gets statements of its own. `name` is PostgreSQL's statement name.
 */
export function preparedPerDb<T>(build: (db: StoreDb, tables: Tables) => T): (store: Store) => T {
  const cache = new WeakMap<StoreDb, T>();
  return (store) => {
    let statements = cache.get(store.db);
    if (statements === undefined) {
      statements = build(store.db, store.tables);
      cache.set(store.db, statements);
    }
    return statements;
  };
}
