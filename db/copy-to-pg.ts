/**
 * Copies an SQLite database of Kakunin into PostgreSQL (issue 16 §5). The tables come from the schema objects
 * (schema.ts and schema-pg.ts), so a new table cannot be forgotten. The SQLite file is read in one read
 * transaction (a consistent snapshot while the app keeps writing); everything written to PostgreSQL happens in one
 * transaction that commits only after every table's row count and checksum match, so a failure leaves the target
 * as it was. Only the migrations (db/migrations-pg) are applied before, in their own transaction, as the app would.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { is } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { getTableConfig as getPgTableConfig, PgTable, type PgColumn } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import * as pgSchema from './schema-pg';
import * as sqliteSchema from './schema';

export const pgMigrationsFolder = path.join(process.cwd(), 'db', 'migrations-pg');

/** A problem the operator must fix (non-empty target, mismatch, schema drift): the CLI prints the message only. */
export class CopyError extends Error {
  override name = 'CopyError';
}

export interface TableCopy {
  table: string;
  rows: number;
  ms: number;
}

export interface CopyOptions {
  /** the SQLite file (opened read-only) */
  from: string;
  /** postgres:// URL of the target database */
  to: string;
  /** empty the target's tables first (in the same transaction) instead of refusing */
  replace?: boolean;
  /** rows per INSERT (one statement per batch, one array parameter per column) */
  batchSize?: number;
}

interface TablePlan {
  name: string;
  columns: PgColumn[];
  identity: string | undefined;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table of schema-pg.ts, parents before children (foreign keys), checked against schema.ts. */
export function copyPlan(): TablePlan[] {
  const pgTables = Object.values(pgSchema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable));
  const sqliteNames = Object.values(sqliteSchema as Record<string, unknown>)
    .filter((value): value is SQLiteTable => is(value, SQLiteTable))
    .map((t) => getSqliteTableConfig(t).name)
    .sort();
  const pgNames = pgTables.map((t) => getPgTableConfig(t).name).sort();
  if (sqliteNames.join() !== pgNames.join()) {
    throw new CopyError(`schema.ts and schema-pg.ts list different tables: ${sqliteNames.join(', ')} / ${pgNames.join(', ')}`);
  }
  const configs = new Map(pgTables.map((t) => [getPgTableConfig(t).name, getPgTableConfig(t)]));
  const ordered: TablePlan[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new CopyError(`foreign keys form a cycle through ${name}`);
    state.set(name, 'visiting');
    const config = configs.get(name)!;
    for (const fk of config.foreignKeys) {
      const parent = getPgTableConfig(fk.reference().foreignTable).name;
      if (parent !== name) visit(parent);
    }
    state.set(name, 'done');
    const identity = config.columns.find((c) => c.generatedIdentity !== undefined)?.name;
    ordered.push({ name, columns: config.columns, identity });
  };
  for (const name of [...configs.keys()].sort()) visit(name);
  return ordered;
}

/** The PostgreSQL type of a column for the unnest() array parameter. */
const sqlType = (column: PgColumn) => column.getSQLType();

/** Epoch-ms columns (schema-pg's customType over bigint). SQLite's default `unixepoch('subsec') * 1000` can store a
 * fraction; drizzle reads it as a Date, which drops the fraction, so the copy truncates the same way. */
const isEpochMs = (column: PgColumn) => column.columnType === 'PgCustomColumn' && sqlType(column) === 'bigint';

/** One SQLite value (read with safeIntegers) as the text or value node-postgres sends for the PostgreSQL column. */
function convert(column: PgColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (sqlType(column)) {
    case 'boolean':
      return typeof value === 'bigint' ? value !== 0n : Boolean(value);
    case 'bigint':
    case 'integer':
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'number' && isEpochMs(column)) return Math.trunc(value).toString();
      return String(value); // a non-integer is rejected by PostgreSQL with the column's name
    case 'double precision':
      return typeof value === 'bigint' ? Number(value) : value;
    default:
      // text and jsonb: SQLite keeps JSON columns as their text, which PostgreSQL parses into jsonb
      return typeof value === 'bigint' ? value.toString() : value;
  }
}

/**
 * A cheap checksum of one table on either side: its row count, and per column the sum of integers (mod a prime, so
 * it cannot overflow), of booleans, and of text lengths in characters. Doubles and JSON are left out (summation
 * order and jsonb's normal form would differ without the data differing); row-by-row equality is the tests' job.
 */
function checksumSql(plan: TablePlan, dialect: 'sqlite' | 'pg'): string {
  const parts = ['count(*)'];
  for (const column of plan.columns) {
    const name = quote(column.name);
    const type = sqlType(column);
    if (type === 'integer' || type === 'bigint') {
      parts.push(dialect === 'sqlite' ? `coalesce(sum(CAST(${name} AS INTEGER) % 1000000007), 0)` : `coalesce(sum(${name} % 1000000007), 0)`);
    } else if (type === 'boolean') {
      parts.push(dialect === 'sqlite' ? `coalesce(sum(${name} <> 0), 0)` : `coalesce(sum(${name}::int), 0)`);
    } else if (type === 'text') {
      parts.push(`coalesce(sum(length(${name})), 0)`);
    }
  }
  return `SELECT ${parts.map((p, i) => `${p} AS c${i}`).join(', ')} FROM ${quote(plan.name)}`;
}

const checksumText = (row: Record<string, unknown>) => Object.values(row).map((v) => String(v)).join(' ');

export async function copyToPg(options: CopyOptions): Promise<TableCopy[]> {
  const plan = copyPlan();
  const batchSize = options.batchSize ?? 2000;
  const source = new Database(options.from, { readonly: true, fileMustExist: true });
  // A read transaction on the source, begun before anything else: every SELECT below sees the database as it was
  // when the command started, whatever the app writes meanwhile.
  source.exec('BEGIN');
  try {
    source.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (error) {
    source.close();
    throw error;
  }
  const client = new pg.Client({ connectionString: options.to });
  try {
    await client.connect();
  } catch (error) {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    throw error;
  }
  try {
    // Migrations first, in drizzle's own transaction: it cannot nest inside ours. An up-to-date target is untouched.
    await migrate(drizzle({ client }), { migrationsFolder: pgMigrationsFolder });

    await client.query('BEGIN');
    try {
      const names = plan.map((t) => quote(t.name)).join(', ');
      await client.query(`LOCK TABLE ${names} IN ACCESS EXCLUSIVE MODE`);
      if (options.replace) {
        await client.query(`TRUNCATE ${names} RESTART IDENTITY`);
      } else {
        const filled: string[] = [];
        for (const t of plan) {
          const { rows } = await client.query(`SELECT EXISTS (SELECT 1 FROM ${quote(t.name)}) AS filled`);
          if (rows[0].filled) filled.push(t.name);
        }
        if (filled.length > 0) {
          throw new CopyError(
            `コピー先のテーブルにすでに行があります (${filled.join(', ')})。空のデータベースを指定するか、--replace で中身を入れ替えてください。`,
          );
        }
      }

      const report: TableCopy[] = [];
      for (const t of plan) {
        const started = performance.now();
        const columnList = t.columns.map((c) => quote(c.name)).join(', ');
        const select = source.prepare(`SELECT rowid AS "__rowid", ${columnList} FROM ${quote(t.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`).safeIntegers(true);
        const insert =
          `INSERT INTO ${quote(t.name)} (${columnList}) OVERRIDING SYSTEM VALUE ` +
          `SELECT * FROM unnest(${t.columns.map((c, i) => `$${i + 1}::${sqlType(c)}[]`).join(', ')})`;
        let after = -(2n ** 63n);
        let rows = 0;
        for (;;) {
          const batch = select.all(after, batchSize) as Record<string, unknown>[];
          if (batch.length === 0) break;
          const params = t.columns.map((c) => batch.map((row) => convert(c, row[c.name])));
          await client.query(insert, params);
          rows += batch.length;
          after = batch[batch.length - 1]!.__rowid as bigint;
          if (batch.length < batchSize) break;
        }
        if (t.identity) {
          // The next generated id follows the copied ones (an empty table starts at 1).
          await client.query(
            `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quote(t.identity)}), 0) + 1, false) FROM ${quote(t.name)}`,
            [quote(t.name), t.identity],
          );
        }
        report.push({ table: t.name, rows, ms: Math.round(performance.now() - started) });
      }

      const mismatches: string[] = [];
      for (const t of plan) {
        const expected = checksumText(source.prepare(checksumSql(t, 'sqlite')).safeIntegers(true).get() as Record<string, unknown>);
        const actual = checksumText((await client.query(checksumSql(t, 'pg'))).rows[0]);
        if (expected !== actual) mismatches.push(`${t.name}: SQLite [${expected}] / PostgreSQL [${actual}]`);
      }
      if (mismatches.length > 0) {
        throw new CopyError(`コピー後の件数・チェックサムが一致しません（何も書き込んでいません）:\n  ${mismatches.join('\n  ')}`);
      }
      await client.query('COMMIT');
      return report;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await client.end();
  }
}

/** The per-table report as aligned lines. */
export function formatReport(report: TableCopy[]): string {
  const width = Math.max(5, ...report.map((r) => r.table.length));
  const lines = [`${'table'.padEnd(width)}  ${'rows'.padStart(9)}  ${'ms'.padStart(7)}`];
  for (const r of report) lines.push(`${r.table.padEnd(width)}  ${String(r.rows).padStart(9)}  ${String(r.ms).padStart(7)}`);
  const rows = report.reduce((n, r) => n + r.rows, 0);
  const ms = report.reduce((n, r) => n + r.ms, 0);
  lines.push(`${'total'.padEnd(width)}  ${String(rows).padStart(9)}  ${String(ms).padStart(7)}`);
  return lines.join('\n');
}
