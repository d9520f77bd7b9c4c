import type { Db } from './client';

/**
 * A statement (drizzle's `.prepare()`) built once per database handle and reused: on the paths every request takes
 * (who is signed in, answering), building and compiling the SQL again each time cost more than running it.
 * A transaction handle passed in gets statements of its own (correct, just not reused).
 */
export function preparedPerDb<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let statements = cache.get(db);
    if (statements === undefined) {
      statements = build(db);
      cache.set(db, statements);
    }
    return statements;
  };
}
