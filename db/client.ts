import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DatabaseOpenError, openFailureCode } from './errors';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations');

/** The database file: KAKUNIN_DB, or data/kakunin.db under the project. */
export function databasePath(): string {
  return process.env.KAKUNIN_DB ?? path.join(process.cwd(), 'data', 'kakunin.db');
}

/** Pragmas in one place. WAL + NORMAL: a commit survives a process crash; only an OS crash may lose the last ones. */
function configure(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

/** Runs `open` and turns a failure of the file itself (read-only, missing folder rights, disk full) into a DatabaseOpenError. */
function explainOpenFailure<T>(file: string, open: () => T): T {
  try {
    return open();
  } catch (error) {
    const code = openFailureCode(error);
    throw code === undefined ? error : new DatabaseOpenError(file, code, error);
  }
}

/**
 * Opens the database (creating its folder). A file or folder that cannot be written fails here, at start, with a
 * DatabaseOpenError that says which path and what to do; writing the pragmas (WAL) is the first write.
 */
export function openDb(file: string = databasePath()): Db {
  return explainOpenFailure(file, () => {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    const sqlite = new Database(file);
    try {
      configure(sqlite);
    } catch (error) {
      sqlite.close();
      throw error;
    }
    return drizzle({ client: sqlite, schema }) as Db;
  });
}

export function migrateDb(db: Db): void {
  explainOpenFailure(db.$client.name, () => migrate(db, { migrationsFolder }));
}

/** A fresh, migrated in-memory database for tests. */
export function createTestDb(): Db {
  const db = openDb(':memory:');
  migrateDb(db);
  return db;
}

let shared: Db | undefined;

/**
 * The app's database, opened on first use (never at import: `next build` imports server modules).
 * Migrations are applied by `npm start` before the server runs; applying them here too keeps `next dev` working.
 */
export function getDb(): Db {
  if (!shared) {
    shared = openDb();
    migrateDb(shared);
  }
  return shared;
}
