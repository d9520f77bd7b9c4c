/**
 * `npm run db:copy-to-pg -- [--from <sqlite file>] [--to <postgres://…>] [--replace]`: copies the app's SQLite
 * database into PostgreSQL (db/copy-to-pg.ts). Defaults: --from the app's database (KAKUNIN_DB or
 * data/kakunin.db), --to KAKUNIN_DATABASE_URL. Safe while the app runs (the source is read in one snapshot).
 */
import { parseArgs } from 'node:util';
import { databasePath } from '../../db/client';
import { CopyError, copyToPg, formatReport } from '../../db/copy-to-pg';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    replace: { type: 'boolean', default: false },
  },
});

const from = values.from ?? databasePath();
const to = values.to ?? process.env.KAKUNIN_DATABASE_URL;
if (!to) {
  console.error('コピー先がありません: --to postgres://… か KAKUNIN_DATABASE_URL を指定してください。');
  process.exit(2);
}

try {
  const report = await copyToPg({ from, to, replace: values.replace });
  console.log(formatReport(report));
  console.log(`${from} を PostgreSQL にコピーしました（全テーブルの件数とチェックサムが一致）。`);
} catch (error) {
  if (error instanceof CopyError) console.error(error.message);
  // A statement PostgreSQL refused (a value, a foreign key): the transaction was rolled back, so say that.
  else console.error(`コピーに失敗しました（コピー先は変更されていません）: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
