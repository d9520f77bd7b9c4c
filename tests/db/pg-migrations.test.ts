import path from 'node:path';
import { eq, is } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import journal from '../../db/migrations-pg/meta/_journal.json';
import * as schema from '../../db/schema-pg';
import { createTestDatabase, pgTestUrl, type TestDatabase } from './pg-test-url';

/*
 * Issue 16: the committed PostgreSQL migrations (db/migrations-pg) applied by drizzle's node-postgres migrator to a
 * real server build every table of db/schema-pg.ts, and drizzle reads back what it wrote with the types the SQLite
 * store gives. Each run works in a database of its own, dropped at the end: drizzle-kit writes foreign keys as
 * "public"."table", so a schema per run would not do.
 */

const url = pgTestUrl('tests/db/pg-migrations.test.ts');

const migrationsFolder = path.join(process.cwd(), 'db', 'migrations-pg');
const tables: PgTable[] = Object.values(schema).filter((value) => is(value, PgTable));

/** The server's error code (SQLSTATE) behind drizzle's DrizzleQueryError. */
function sqlState(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error as { code?: string }).code;
}

async function rejection(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the statement to fail');
}

describe.skipIf(!url)('PostgreSQL: db/migrations-pg on a real server', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let db: NodePgDatabase<typeof schema>;

  beforeAll(async () => {
    database = await createTestDatabase(url!, 'kakunin_t');
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    db = drizzle({ client: pool, schema });
  });

  afterAll(async () => {
    await pool?.end();
    if (database) expect(await database.drop()).toBe(true);
  });

  it('applies every committed migration once; applying again changes nothing', async () => {
    await migrate(db, { migrationsFolder });
    const applied = await pool.query('SELECT hash FROM drizzle.__drizzle_migrations ORDER BY id');
    expect(applied.rowCount).toBe(journal.entries.length);
    await migrate(db, { migrationsFolder });
    expect((await pool.query('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations')).rows[0].n).toBe(journal.entries.length);
  });

  it('builds every table of schema-pg.ts with its columns in order, their types and nullability', async () => {
    const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    const actual = new Map<string, string[]>();
    for (const r of rows) actual.set(r.table_name, [...(actual.get(r.table_name) ?? []), `${r.column_name} ${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`]);
    const expected = new Map(
      tables.map((t) => {
        const config = getTableConfig(t);
        return [config.name, config.columns.map((c) => `${c.name} ${c.getSQLType()}${c.notNull ? ' not null' : ''}`)] as const;
      }),
    );
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [table, columns] of expected) expect(actual.get(table), table).toEqual(columns);
  });

  it('builds the indexes, unique constraints and foreign keys schema-pg.ts declares', async () => {
    const indexes = await pool.query<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`);
    const byName = new Map(indexes.rows.map((r) => [r.indexname, r.indexdef]));
    const foreignKeys = await pool.query<{ conname: string; confdeltype: string }>(
      `SELECT conname, confdeltype FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace`,
    );
    const declaredForeignKeys = new Map<string, string>();
    for (const table of tables) {
      const config = getTableConfig(table);
      for (const index of config.indexes) {
        const columns = index.config.columns.map((c) => (c as { name: string }).name).join(', ');
        // pg_get_indexdef quotes names that are keywords; compare without quotes.
        expect(byName.get(index.config.name!)?.replaceAll('"', ''), `${config.name}: index ${index.config.name}`).toBe(
          `CREATE ${index.config.unique ? 'UNIQUE ' : ''}INDEX ${index.config.name} ON public.${config.name} USING btree (${columns})`,
        );
      }
      for (const column of config.columns.filter((c) => c.isUnique)) {
        expect(byName.get(column.uniqueName!), `${config.name}.${column.name}: unique`).toMatch(/^CREATE UNIQUE INDEX /);
      }
      for (const fk of config.foreignKeys) declaredForeignKeys.set(fk.getName(), fk.onDelete === 'cascade' ? 'c' : 'a');
    }
    expect(new Map(foreignKeys.rows.map((r) => [r.conname, r.confdeltype]))).toEqual(declaredForeignKeys);
  });

  it('stores and reads back rows through drizzle with the SQLite store’s types (Date, number, boolean, JSON)', async () => {
    const before = Date.now();
    const [learner] = await db.insert(schema.learners).values({ name: '受験者', email: 'pg@example.com' }).returning();
    const after = Date.now();
    expect(learner).toMatchObject({ name: '受験者', email: 'pg@example.com', passwordHash: null, dailyNewCards: 10, passTarget: 0.7 });
    // The default is the server's clock in epoch ms; the server runs beside the tests (or on a clock kept in sync).
    expect(learner!.createdAt).toBeInstanceOf(Date);
    expect(learner!.createdAt.getTime()).toBeGreaterThanOrEqual(before - 2000);
    expect(learner!.createdAt.getTime()).toBeLessThanOrEqual(after + 2000);

    const wideSeed = 2 ** 32; // an imported history's seed: past int4
    const [session] = await db
      .insert(schema.practiceSessions)
      .values({ learnerId: learner!.id, mode: 'mock', chapters: ['rnn', 'lstm'], questionIds: ['q-1', 'q-2'], order: 'random', seed: wideSeed, timeLimitSec: 3600 })
      .returning();
    expect(session).toMatchObject({ flagged: [], finishedAt: null, discardedAt: null, seed: wideSeed });

    const revealedAt = new Date(1_795_836_203_557);
    const response = { choices: [2, 0], text: '勾配消失', nested: { ok: true, n: null } };
    await db.insert(schema.answers).values({
      sessionId: session!.id,
      learnerId: learner!.id,
      questionId: 'q-1',
      questionHash: 'abc123',
      position: 0,
      response,
      verdict: 'partial',
      score: 0.1 + 0.2, // a double, not rounded to float4
      feedback: null,
      seed: wideSeed,
      timeSpentMs: 86_400_000,
      revealedAt,
    });
    await db.insert(schema.questions).values({ id: 'q-1', chapter: 'rnn', kind: 'choice', source: 'kakunin', contentHash: 'abc123', syncedAt: revealedAt });

    const [row] = await db.select().from(schema.answers).where(eq(schema.answers.sessionId, session!.id));
    expect(row).toEqual({
      id: expect.any(Number),
      sessionId: session!.id,
      learnerId: learner!.id,
      questionId: 'q-1',
      questionHash: 'abc123',
      position: 0,
      response,
      verdict: 'partial',
      score: 0.30000000000000004,
      feedback: null,
      seed: wideSeed,
      timeSpentMs: 86_400_000,
      createdAt: expect.any(Date),
      revealedAt,
      requestId: null,
    });
    const [question] = await db.select().from(schema.questions).where(eq(schema.questions.id, 'q-1'));
    expect(question).toEqual({ id: 'q-1', chapter: 'rnn', kind: 'choice', source: 'kakunin', contentHash: 'abc123', retired: false, syncedAt: revealedAt });
    // Times are stored as epoch milliseconds, so raw SQL can do arithmetic on them as it does on SQLite.
    const raw = await pool.query('SELECT revealed_at - created_at AS d, pg_typeof(revealed_at)::text AS t FROM answers');
    expect(raw.rows[0]).toEqual({ d: String(revealedAt.getTime() - row!.createdAt.getTime()), t: 'bigint' });

    // The constraints hold: one account per email, one answer per question and session, no answer without a session.
    expect(sqlState(await rejection(db.insert(schema.learners).values({ name: 'x', email: 'pg@example.com' })))).toBe('23505');
    const again = { ...row!, id: undefined, createdAt: undefined };
    expect(sqlState(await rejection(db.insert(schema.answers).values(again)))).toBe('23505');
    expect(sqlState(await rejection(db.insert(schema.answers).values({ ...again, sessionId: session!.id + 1000 })))).toBe('23503');
  });
});
