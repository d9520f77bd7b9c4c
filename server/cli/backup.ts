/**
 * `npm run db:backup [-- <file>]`: a consistent copy of the live database with SQLite's online backup API (safe
 * while the server runs and writes). Default file: data/backups/kakunin-<timestamp>.db.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath } from '../../db/client';

const source = databasePath();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const target = path.resolve(process.argv[2] ?? path.join(path.dirname(source), 'backups', `kakunin-${stamp}.db`));
mkdirSync(path.dirname(target), { recursive: true });

const db = new Database(source, { readonly: true, fileMustExist: true });
try {
  await db.backup(target);
  const copy = new Database(target);
  copy.pragma('journal_mode = DELETE'); // one self-contained file, ready to copy elsewhere
  const check = copy.pragma('integrity_check', { simple: true });
  const answers = copy.prepare('SELECT count(*) AS n FROM answers').get() as { n: number };
  copy.close();
  if (check !== 'ok') throw new Error(`integrity_check of the copy: ${String(check)}`);
  console.log(`バックアップしました: ${target}（回答 ${answers.n} 件、integrity_check ok）`);
} finally {
  db.close();
}
