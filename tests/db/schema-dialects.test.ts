import { getTableName, is, sql, SQL, StringChunk } from 'drizzle-orm';
import {
  getTableConfig as getPgTableConfig,
  integer as pgInteger,
  PgTable,
  pgTable,
  text as pgText,
  index as pgIndex,
  real as pgReal,
  doublePrecision,
} from 'drizzle-orm/pg-core';
import {
  getTableConfig as getSqliteTableConfig,
  integer as sqliteInteger,
  real as sqliteReal,
  SQLiteTable,
  sqliteTable,
  text as sqliteText,
  index as sqliteIndex,
} from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as sqliteSchema from '../../db/schema';
import * as pgSchema from '../../db/schema-pg';

/*
 * Issue 16: one schema, two dialects. db/schema.ts (SQLite) and db/schema-pg.ts (PostgreSQL) must describe the same
 * tables: same exports and table names, columns in the same order with the same nullability, defaults, keys,
 * unique constraints, indexes and foreign keys, and column types that store the same values (the mapping below).
 * Every difference becomes one line that names the table and the column, so a column added to one file only fails
 * here as "answers: column foo only in schema-pg.ts".
 */

/** A column type as both dialects must agree on it: what values it stores and how TypeScript sees them. */
type Kind = 'integer' | 'bigint' | 'epoch-ms' | 'boolean' | 'float64' | 'text' | 'json';
/** A column type with no entry in TYPE_MAP: reported as a difference, never equal to a mapped kind. */
type Unmapped = `unmapped: ${string}`;

/** The type mapping: each SQLite column type and the PostgreSQL column type that stores the same values. */
const TYPE_MAP: Record<Kind, { sqlite: string; pg: string; stores: string }> = {
  integer: { sqlite: 'integer', pg: 'integer', stores: 'ids and small counts (int4 is enough)' },
  bigint: { sqlite: 'integer', pg: 'bigint (mode number)', stores: 'integers that pass 2^31 (WIDE_INTEGERS)' },
  'epoch-ms': { sqlite: "integer mode 'timestamp_ms'", pg: 'bigint as Date (epochMs)', stores: 'a time in epoch milliseconds' },
  boolean: { sqlite: "integer mode 'boolean'", pg: 'boolean', stores: 'true/false' },
  float64: { sqlite: 'real (8 bytes)', pg: 'double precision', stores: 'scores, FSRS parameters' },
  text: { sqlite: 'text (with or without enum)', pg: 'text (same enum)', stores: 'strings' },
  json: { sqlite: "text mode 'json'", pg: 'jsonb', stores: 'a JSON value' },
};

/** SQLite integers whose values can pass int4's range, so PostgreSQL stores them as bigint: seeds reach 2^32. */
const WIDE_INTEGERS = new Set(['practice_sessions.seed', 'answers.seed', 'code_attempts.seed']);

/** SQL defaults with the same meaning in each dialect (by their SQL text). */
const SQL_DEFAULTS: { meaning: string; sqlite: string; pg: string }[] = [
  {
    meaning: 'now in epoch ms',
    sqlite: "(unixepoch('subsec') * 1000)",
    pg: '(floor(extract(epoch from statement_timestamp()) * 1000))::bigint',
  },
  { meaning: 'an empty JSON array', sqlite: "'[]'", pg: "'[]'::jsonb" },
];

interface ColumnShape {
  kind: Kind | Unmapped;
  enumValues: readonly string[] | undefined;
  notNull: boolean;
  primary: boolean;
  /** the key is made by the database (SQLite autoincrement, PostgreSQL identity) */
  autoId: boolean;
  /** the name of a column-level unique constraint */
  unique: string | undefined;
  default: string | undefined;
  defaultFn: boolean;
}

interface TableShape {
  name: string;
  columns: { name: string; shape: ColumnShape }[];
  /** each entry keyed by name: its description as one comparable string */
  primaryKeys: Map<string, string>;
  uniqueConstraints: Map<string, string>;
  indexes: Map<string, string>;
  foreignKeys: Map<string, string>;
  checks: Map<string, string>;
}

type Dialect = 'sqlite' | 'pg';
const FILE: Record<Dialect, string> = { sqlite: 'schema.ts', pg: 'schema-pg.ts' };

function sqlText(value: SQL): string {
  return value.queryChunks.map((chunk) => (is(chunk, StringChunk) ? chunk.value.join('') : '?')).join('');
}

function describeDefault(dialect: Dialect, column: { hasDefault: boolean; default: unknown }): string | undefined {
  if (!column.hasDefault || column.default === undefined) return undefined;
  if (!is(column.default, SQL)) return JSON.stringify(column.default);
  const text = sqlText(column.default);
  const known = SQL_DEFAULTS.find((d) => d[dialect] === text);
  return known ? `sql: ${known.meaning}` : `sql not in SQL_DEFAULTS: ${text}`;
}

const list = (names: readonly (string | undefined)[]) => `(${names.join(', ')})`;

function sqliteKind(table: string, column: ReturnType<typeof getSqliteTableConfig>['columns'][number]): Kind | Unmapped {
  const key = `${table}.${column.name}`;
  switch (column.columnType) {
    case 'SQLiteInteger':
      return WIDE_INTEGERS.has(key) ? 'bigint' : 'integer';
    case 'SQLiteTimestamp':
      if ((column as unknown as { mode: string }).mode === 'timestamp_ms') return 'epoch-ms';
      break;
    case 'SQLiteBoolean':
      return 'boolean';
    case 'SQLiteReal':
      return 'float64';
    case 'SQLiteText':
      return 'text';
    case 'SQLiteTextJson':
      return 'json';
  }
  return `unmapped: ${column.columnType} (${column.getSQLType()})`;
}

function pgKind(column: ReturnType<typeof getPgTableConfig>['columns'][number]): Kind | Unmapped {
  switch (column.columnType) {
    case 'PgInteger':
      return 'integer';
    case 'PgBigInt53':
      return 'bigint';
    case 'PgCustomColumn': {
      // epochMs: a bigint column that reads and writes a Date as epoch milliseconds (pg returns int8 as a string).
      const ms = 1_795_836_203_557;
      const read = column.mapFromDriverValue(String(ms));
      if (column.getSQLType() === 'bigint' && read instanceof Date && read.getTime() === ms && column.mapToDriverValue(new Date(ms)) === ms) {
        return 'epoch-ms';
      }
      break;
    }
    case 'PgBoolean':
      return 'boolean';
    case 'PgDoublePrecision':
      return 'float64';
    case 'PgText':
      return 'text';
    case 'PgJsonb':
      return 'json';
  }
  return `unmapped: ${column.columnType} (${column.getSQLType()})`;
}

function describeSqlite(table: SQLiteTable): TableShape {
  const config = getSqliteTableConfig(table);
  return {
    name: config.name,
    columns: config.columns.map((c) => ({
      name: c.name,
      shape: {
        kind: sqliteKind(config.name, c),
        enumValues: c.enumValues,
        notNull: c.notNull,
        primary: c.primary,
        autoId: (c as unknown as { autoIncrement?: boolean }).autoIncrement === true,
        unique: c.isUnique ? c.uniqueName : undefined,
        default: describeDefault('sqlite', c),
        defaultFn: c.defaultFn !== undefined || c.onUpdateFn !== undefined,
      },
    })),
    primaryKeys: new Map(config.primaryKeys.map((k) => [k.getName(), list(k.columns.map((c) => c.name))])),
    uniqueConstraints: new Map(config.uniqueConstraints.map((u) => [u.getName() ?? '(unnamed)', list(u.columns.map((c) => c.name))])),
    indexes: new Map(
      config.indexes.map((i) => [
        i.config.name,
        `${i.config.unique ? 'unique ' : ''}${list(i.config.columns.map((c) => (is(c, SQL) ? `sql ${sqlText(c)}` : c.name)))}${i.config.where ? ` where ${sqlText(i.config.where)}` : ''}`,
      ]),
    ),
    foreignKeys: new Map(
      config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return [
          fk.getName(),
          `${list(ref.columns.map((c) => c.name))} → ${getTableName(ref.foreignTable)}${list(ref.foreignColumns.map((c) => c.name))} on delete ${fk.onDelete ?? 'no action'} on update ${fk.onUpdate ?? 'no action'}`,
        ];
      }),
    ),
    checks: new Map(config.checks.map((c) => [c.name, sqlText(c.value)])),
  };
}

function describePg(table: PgTable): TableShape {
  const config = getPgTableConfig(table);
  return {
    name: config.schema ? `${config.schema}.${config.name}` : config.name,
    columns: config.columns.map((c) => ({
      name: c.name,
      shape: {
        kind: pgKind(c),
        enumValues: c.enumValues,
        notNull: c.notNull,
        primary: c.primary,
        autoId: c.generatedIdentity !== undefined,
        unique: c.isUnique ? c.uniqueName : undefined,
        default: describeDefault('pg', c),
        defaultFn: c.defaultFn !== undefined || c.onUpdateFn !== undefined,
      },
    })),
    primaryKeys: new Map(config.primaryKeys.map((k) => [k.getName(), list(k.columns.map((c) => c.name))])),
    uniqueConstraints: new Map(config.uniqueConstraints.map((u) => [u.getName() ?? '(unnamed)', list(u.columns.map((c) => c.name))])),
    indexes: new Map(
      config.indexes.map((i) => [
        i.config.name ?? '(unnamed)',
        `${i.config.unique ? 'unique ' : ''}${list(i.config.columns.map((c) => (is(c, SQL) ? `sql ${sqlText(c)}` : (c as { name?: string }).name)))}${i.config.where ? ` where ${sqlText(i.config.where)}` : ''}`,
      ]),
    ),
    foreignKeys: new Map(
      config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return [
          fk.getName(),
          `${list(ref.columns.map((c) => c.name))} → ${getTableName(ref.foreignTable)}${list(ref.foreignColumns.map((c) => c.name))} on delete ${fk.onDelete ?? 'no action'} on update ${fk.onUpdate ?? 'no action'}`,
        ];
      }),
    ),
    checks: new Map(config.checks.map((c) => [c.name, sqlText(c.value)])),
  };
}

function diffNamed(table: string, what: string, sqlite: Map<string, string>, pg: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [name, description] of sqlite) {
    const other = pg.get(name);
    if (other === undefined) out.push(`${table}: ${what} ${name} only in schema.ts`);
    else if (other !== description) out.push(`${table}: ${what} ${name} is ${description} in schema.ts but ${other} in schema-pg.ts`);
  }
  for (const name of pg.keys()) if (!sqlite.has(name)) out.push(`${table}: ${what} ${name} only in schema-pg.ts`);
  return out;
}

function diffTables(sqlite: TableShape, pg: TableShape): string[] {
  const table = sqlite.name;
  if (sqlite.name !== pg.name) return [`table ${sqlite.name} in schema.ts is named ${pg.name} in schema-pg.ts`];
  const out: string[] = [];
  const sqliteNames = sqlite.columns.map((c) => c.name);
  const pgNames = pg.columns.map((c) => c.name);
  for (const name of sqliteNames) if (!pgNames.includes(name)) out.push(`${table}: column ${name} only in schema.ts`);
  for (const name of pgNames) if (!sqliteNames.includes(name)) out.push(`${table}: column ${name} only in schema-pg.ts`);
  const common = sqliteNames.filter((n) => pgNames.includes(n));
  const pgOrder = pgNames.filter((n) => sqliteNames.includes(n));
  if (common.join() !== pgOrder.join()) out.push(`${table}: columns in another order: schema.ts ${list(common)}, schema-pg.ts ${list(pgOrder)}`);
  for (const name of common) {
    const a = sqlite.columns.find((c) => c.name === name)!.shape;
    const b = pg.columns.find((c) => c.name === name)!.shape;
    for (const key of Object.keys(a) as (keyof ColumnShape)[]) {
      const left = JSON.stringify(a[key]);
      const right = JSON.stringify(b[key]);
      if (left !== right) {
        const mapped = a.kind in TYPE_MAP ? TYPE_MAP[a.kind as Kind] : undefined;
        const hint = key === 'kind' && mapped ? ` (TYPE_MAP: ${a.kind} is ${mapped.sqlite} ↔ ${mapped.pg})` : '';
        out.push(`${table}.${name}: ${key} is ${left} in schema.ts but ${right} in schema-pg.ts${hint}`);
      }
    }
  }
  out.push(...diffNamed(table, 'primary key', sqlite.primaryKeys, pg.primaryKeys));
  out.push(...diffNamed(table, 'unique constraint', sqlite.uniqueConstraints, pg.uniqueConstraints));
  out.push(...diffNamed(table, 'index', sqlite.indexes, pg.indexes));
  out.push(...diffNamed(table, 'foreign key', sqlite.foreignKeys, pg.foreignKeys));
  out.push(...diffNamed(table, 'check', sqlite.checks, pg.checks));
  return out;
}

function tablesOf<T>(module: Record<string, unknown>, isTable: (value: unknown) => value is T): Map<string, T> {
  return new Map(Object.entries(module).filter((entry): entry is [string, T] => isTable(entry[1])));
}

const isSqliteTable = (value: unknown): value is SQLiteTable => is(value, SQLiteTable);
const isPgTable = (value: unknown): value is PgTable => is(value, PgTable);

/** Every difference between the two schema modules' tables, one line each. */
function diffSchemas(sqliteModule: Record<string, unknown>, pgModule: Record<string, unknown>): string[] {
  const sqliteTables = tablesOf(sqliteModule, isSqliteTable);
  const pgTables = tablesOf(pgModule, isPgTable);
  const out: string[] = [];
  for (const [key, table] of sqliteTables) {
    const twin = pgTables.get(key);
    if (twin) out.push(...diffTables(describeSqlite(table), describePg(twin)));
    else out.push(`table ${getTableName(table)} (export ${key}) only in schema.ts`);
  }
  for (const [key, table] of pgTables) if (!sqliteTables.has(key)) out.push(`table ${getTableName(table)} (export ${key}) only in schema-pg.ts`);
  return out;
}

// Compile time: the rows read and written have the same TypeScript types, so services can be shared.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type SqliteSchema = typeof sqliteSchema;
type PgSchema = typeof pgSchema;
type RowTypesMatch = {
  [K in keyof SqliteSchema]: K extends keyof PgSchema
    ? [Same<SqliteSchema[K]['$inferSelect'], PgSchema[K]['$inferSelect']>, Same<SqliteSchema[K]['$inferInsert'], PgSchema[K]['$inferInsert']>]
    : [false, false];
};
const sameExports: Same<keyof SqliteSchema, keyof PgSchema> = true;
const rowTypesMatch: RowTypesMatch = {
  learners: [true, true],
  questions: [true, true],
  practiceSessions: [true, true],
  answers: [true, true],
  codeAttempts: [true, true],
  reviewCards: [true, true],
  reviewLogs: [true, true],
  authSessions: [true, true],
  limitState: [true, true],
};

describe('db/schema.ts and db/schema-pg.ts describe the same tables', () => {
  it('have no difference in tables, columns, types, defaults, keys, indexes or foreign keys', () => {
    expect(diffSchemas(sqliteSchema, pgSchema)).toEqual([]);
  });

  it('compare every table that either file exports', () => {
    const tables = [...tablesOf(sqliteSchema, isSqliteTable).values()].map((t) => getTableName(t)).sort();
    expect(tables).toEqual(['answers', 'auth_sessions', 'code_attempts', 'learners', 'limit_state', 'practice_sessions', 'questions', 'review_cards', 'review_logs']);
    expect([...tablesOf(pgSchema, isPgTable).keys()].sort()).toEqual([...tablesOf(sqliteSchema, isSqliteTable).keys()].sort());
    expect(sameExports).toBe(true);
    expect(Object.values(rowTypesMatch).flat().every(Boolean)).toBe(true);
  });

  it('map every column through the type table (seeds are bigint, times epoch-ms bigint, reals double precision)', () => {
    const pgAnswers = describePg(pgSchema.answers);
    const kinds = Object.fromEntries(pgAnswers.columns.map((c) => [c.name, c.shape.kind]));
    expect(kinds).toMatchObject({ id: 'integer', seed: 'bigint', created_at: 'epoch-ms', score: 'float64', response: 'json', verdict: 'text' });
    expect(pgAnswers.columns.find((c) => c.name === 'verdict')!.shape.enumValues).toEqual(['correct', 'partial', 'incorrect']);
    expect(getPgTableConfig(pgSchema.learners).columns.find((c) => c.name === 'pass_target')!.getSQLType()).toBe('double precision');
    // Every kind in the mapping is in use, so the table stays honest.
    const used = new Set(Object.values(sqliteSchema).filter(isSqliteTable).flatMap((t) => describeSqlite(t).columns.map((c) => c.shape.kind)));
    expect([...used].sort()).toEqual(Object.keys(TYPE_MAP).sort());
  });
});

describe('the comparison fails on a difference and names it', () => {
  const base = {
    sqlite: () =>
      sqliteTable(
        'things',
        {
          id: sqliteInteger('id').primaryKey({ autoIncrement: true }),
          name: sqliteText('name').notNull(),
          score: sqliteReal('score').notNull().default(0.5),
        },
        (t) => [sqliteIndex('things_name_idx').on(t.name, t.score)],
      ),
    pg: () =>
      pgTable(
        'things',
        {
          id: pgInteger('id').primaryKey().generatedByDefaultAsIdentity(),
          name: pgText('name').notNull(),
          score: doublePrecision('score').notNull().default(0.5),
        },
        (t) => [pgIndex('things_name_idx').on(t.name, t.score)],
      ),
  };

  it('accepts the two versions of the same table', () => {
    expect(diffSchemas({ things: base.sqlite() }, { things: base.pg() })).toEqual([]);
  });

  it.each([
    {
      change: 'a column added to schema-pg.ts only',
      pg: pgTable('things', {
        id: pgInteger('id').primaryKey().generatedByDefaultAsIdentity(),
        name: pgText('name').notNull(),
        score: doublePrecision('score').notNull().default(0.5),
        note: pgText('note'),
      }, (t) => [pgIndex('things_name_idx').on(t.name, t.score)]),
      expected: ['things: column note only in schema-pg.ts'],
    },
    {
      change: 'a nullable column, a real as 4 bytes, another default',
      pg: pgTable('things', {
        id: pgInteger('id').primaryKey().generatedByDefaultAsIdentity(),
        name: pgText('name'),
        score: pgReal('score').notNull().default(1),
      }, (t) => [pgIndex('things_name_idx').on(t.name, t.score)]),
      expected: [
        'things.name: notNull is true in schema.ts but false in schema-pg.ts',
        'things.score: kind is "float64" in schema.ts but "unmapped: PgReal (real)" in schema-pg.ts (TYPE_MAP: float64 is real (8 bytes) ↔ double precision)',
        'things.score: default is "0.5" in schema.ts but "1" in schema-pg.ts',
      ],
    },
    {
      change: 'an index on other columns, a key the database does not make',
      pg: pgTable('things', {
        id: pgInteger('id').primaryKey(),
        name: pgText('name').notNull(),
        score: doublePrecision('score').notNull().default(0.5),
      }, (t) => [pgIndex('things_name_idx').on(t.score, t.name)]),
      expected: [
        'things.id: autoId is true in schema.ts but false in schema-pg.ts',
        'things: index things_name_idx is (name, score) in schema.ts but (score, name) in schema-pg.ts',
      ],
    },
  ])('$change', ({ pg, expected }) => {
    expect(diffSchemas({ things: base.sqlite() }, { things: pg })).toEqual(expected);
  });

  it('names a table exported by one file only', () => {
    expect(diffSchemas({ things: base.sqlite() }, {})).toEqual(['table things (export things) only in schema.ts']);
    expect(diffSchemas({}, { things: base.pg() })).toEqual(['table things (export things) only in schema-pg.ts']);
  });

  it('names an SQL default that has no counterpart in SQL_DEFAULTS', () => {
    const sqlite = sqliteTable('t', { tag: sqliteText('tag').notNull().default(sql`'none'`) });
    const pg = pgTable('t', { tag: pgText('tag').notNull().default(sql`'none'::text`) });
    expect(diffSchemas({ t: sqlite }, { t: pg })).toEqual([
      `t.tag: default is "sql not in SQL_DEFAULTS: 'none'" in schema.ts but "sql not in SQL_DEFAULTS: 'none'::text" in schema-pg.ts`,
    ]);
  });
});
