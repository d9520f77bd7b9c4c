/**
 * Readies the database for the server: applies migrations, validates the question bank (refusing to go on
 * with an invalid one) and mirrors it into the database.
 */
import { databasePath, migrateDb, openDb } from '../../db/client';
import { storeLabel } from '../../db/app-store';
import { sqliteStore } from '../../db/store-sqlite';
import { asDatabaseOpenError, DATABASE_EXIT_CODE } from '../../db/errors';
import { BankInvalidError, buildBank } from '../bank/bank';
import { syncBank } from '../bank/sync';

async function prepare(): Promise<void> {
  const bank = buildBank();
  if (process.env.KAKUNIN_DATABASE_URL) {
    // PostgreSQL: opening the store applies db/migrations-pg
    const { openPgStore } = await import('../../db/store-pg');
    const store = await openPgStore(process.env.KAKUNIN_DATABASE_URL, { max: 1 });
    const { upserted, retired } = await syncBank(store, bank);
    await store.close();
    console.log(`データベース ${storeLabel(databasePath())}: マイグレーション適用済み、問題 ${upserted} 問を同期（廃止 ${retired} 問）`);
    return;
  }
  const db = openDb();
  migrateDb(db);
  const { upserted, retired } = await syncBank(sqliteStore(db), bank);
  db.$client.close();
  console.log(`データベース ${databasePath()}: マイグレーション適用済み、問題 ${upserted} 問を同期（廃止 ${retired} 問）`);
}

prepare().catch((error: unknown) => {
  if (error instanceof BankInvalidError) {
    console.error(error.message);
    console.error('問題バンクを直してから起動してください (npm run --silent bank -- lint)。');
    process.exit(1);
  }
  // A database that cannot be opened or written (a PostgreSQL server out of reach): one line that says where (never
  // the password) and what to do, not the driver's stack trace.
  const unusable = asDatabaseOpenError(error, storeLabel(databasePath()));
  if (unusable) {
    console.error(unusable.message);
    process.exit(DATABASE_EXIT_CODE);
  }
  throw error;
});
