import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asc, getTableColumns, is } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDb, openDb, type Db } from '../../db/client';
import { copyPlan, copyToPg, CopyError } from '../../db/copy-to-pg';
import * as sqliteSchema from '../../db/schema';
import * as pgSchema from '../../db/schema-pg';
import { createTestDatabase, pgTestUrl, type TestDatabase } from './pg-test-url';

/*
 * Issue 16 §5: `npm run db:copy-to-pg` moves an SQLite database into PostgreSQL. An SQLite file with rows in every
 * table (Japanese text, nulls, seeds past 2^32, booleans, JSON, fractional default times) is copied into a database
 * of its own on a real server, then both sides are read through drizzle and compared row by row.
 */

const url = pgTestUrl('tests/db/copy-to-pg.test.ts');

const sqliteTables = Object.values(sqliteSchema as Record<string, unknown>).filter((v): v is SQLiteTable => is(v, SQLiteTable));
const pgTables = new Map(
  Object.values(pgSchema as Record<string, unknown>)
    .filter((v): v is PgTable => is(v, PgTable))
    .map((t) => [getPgTableConfig(t).name, t] as const),
);

/** The two rows an insert returned (noUncheckedIndexedAccess). */
function two<T>(rows: T[]): [T, T] {
  expect(rows).toHaveLength(2);
  return [rows[0]!, rows[1]!];
}

const BIG_SEED = 2 ** 40 + 7;
const t0 = new Date(1_733_390_000_123);

/** Rows in every table through drizzle, with the edge values the copy must carry. */
function fill(db: Db): void {
  const [local, signed] = two(db
    .insert(sqliteSchema.learners)
    .values([
      { name: 'ローカル学習者' },
      { name: '確認 太郎 🎌', email: 'taro@example.jp', passwordHash: 'scrypt$abc', dailyNewCards: 25, passTarget: 0.65, createdAt: t0 },
    ])
    .returning()
    .all());
  db.insert(sqliteSchema.questions)
    .values([
      { id: 'ch1-q1', chapter: '第1章 線形代数', kind: 'choice', source: 'questions/ch1/q1.md', contentHash: 'h1', syncedAt: t0 },
      { id: 'ch2-q1', chapter: '第2章', kind: 'code', source: 'questions/ch2/q1.md', contentHash: 'h2', retired: true, syncedAt: t0 },
    ])
    .run();
  const [s1, s2] = two(db
    .insert(sqliteSchema.practiceSessions)
    .values([
      { learnerId: local.id, mode: 'practice', chapters: ['第1章'], questionIds: ['ch1-q1', 'ch2-q1'], order: 'course', seed: BIG_SEED },
      {
        learnerId: signed.id,
        mode: 'mock',
        chapters: [],
        questionIds: ['ch1-q1'],
        order: 'random',
        seed: 0,
        timeLimitSec: 3600,
        flagged: ['ch1-q1'],
        startedAt: t0,
        finishedAt: new Date(t0.getTime() + 1000),
        discardedAt: new Date(t0.getTime() + 2000),
      },
    ])
    .returning()
    .all());
  // Ids with a gap: the copy keeps them, and the sequence must continue after the largest.
  const [a1] = two(db
    .insert(sqliteSchema.answers)
    .values([
      {
        id: 7,
        sessionId: s1.id,
        learnerId: local.id,
        questionId: 'ch1-q1',
        questionHash: 'h1',
        position: 0,
        response: { choice: ['a', 'c'], 自由記述: '「勾配消失」\n"引用"\\' },
        verdict: 'partial',
        score: 0.1 + 0.2,
        feedback: { matched: [1, 2], nested: { x: null } },
        seed: BIG_SEED,
        timeSpentMs: 12_345,
        revealedAt: t0,
      },
      { id: 42, sessionId: s2.id, learnerId: signed.id, questionId: 'ch1-q1', questionHash: 'h1', position: 0, response: '空欄', verdict: 'incorrect', score: 0, timeSpentMs: 0 },
    ])
    .returning()
    .all());
  db.insert(sqliteSchema.codeAttempts)
    .values({ sessionId: s1.id, learnerId: local.id, questionId: 'ch2-q1', attempt: 1, code: 'import numpy as np\nprint("こんにちは")', verdict: 'incorrect', score: 0.25, seed: -5, feedback: { code: { message: 'エラー' } } })
    .run();
  db.insert(sqliteSchema.reviewCards)
    .values([
      { learnerId: local.id, questionId: 'ch1-q1', due: t0, stability: 1e-9, difficulty: 5.5, elapsedDays: 0, scheduledDays: 3, learningSteps: 1, reps: 1, lapses: 0, state: 1, introducedAt: t0 },
      { learnerId: signed.id, questionId: 'ch2-q1', due: t0, stability: 123.456, difficulty: 1, elapsedDays: 2, scheduledDays: 9, learningSteps: 0, reps: 4, lapses: 2, state: 2, lastReview: t0, introducedAt: t0 },
    ])
    .run();
  db.insert(sqliteSchema.reviewLogs)
    .values([
      { learnerId: local.id, questionId: 'ch1-q1', answerId: a1.id, rating: 3, cardBefore: null, reviewedAt: t0 },
      { learnerId: local.id, questionId: 'ch1-q1', rating: 1, cardBefore: { due: '2026-01-01', stability: 2 }, reviewedAt: t0 },
    ])
    .run();
  // SQLite's default `unixepoch('subsec') * 1000` can leave a fraction in an INTEGER column; drizzle reads the Date
  // without it, and the copy must too (a bigint column refuses '….25').
  db.$client.prepare('UPDATE learners SET created_at = 1733390000123.25 WHERE id = ?').run(local.id);
  db.insert(sqliteSchema.authSessions).values({ tokenHash: 'ä'.repeat(64), learnerId: signed.id, expiresAt: new Date(8.64e15) }).run();
  db.insert(sqliteSchema.limitState).values({ key: 'sign-in-account:c@example.jp', state: { failures: 6, pending: 0, nextAt: 2, lastAt: 1 }, expiresAt: new Date(8.64e15) }).run();
}

/** Every row of every table on both sides, ordered by primary key, as plain values. */
async function readBoth(sqlite: Db, target: NodePgDatabase) {
  const out: { table: string; sqlite: unknown[]; pg: unknown[] }[] = [];
  for (const table of sqliteTables) {
    const name = getTableConfig(table).name;
    const pgTable = pgTables.get(name)!;
    const keys = Object.keys(getTableColumns(table));
    const order = (cols: Record<string, unknown>) => keys.map((k) => asc(cols[k] as never));
    const left = sqlite.select().from(table).orderBy(...order(getTableColumns(table))).all();
    const right = await target.select().from(pgTable).orderBy(...order(getTableColumns(pgTable)));
    out.push({ table: name, sqlite: left, pg: right });
  }
  return out;
}

describe('copy-to-pg: the plan', () => {
  it('covers every table of both schemas, parents before children', () => {
    const plan = copyPlan().map((t) => t.name);
    expect([...plan].sort()).toEqual(sqliteTables.map((t) => getTableConfig(t).name).sort());
    for (const name of plan) {
      for (const fk of getPgTableConfig(pgTables.get(name)!).foreignKeys) {
        expect(plan.indexOf(getPgTableConfig(fk.reference().foreignTable).name)).toBeLessThan(plan.indexOf(name));
      }
    }
    expect(plan.indexOf('answers')).toBeGreaterThan(plan.indexOf('practice_sessions'));
    expect(plan.indexOf('review_logs')).toBeGreaterThan(plan.indexOf('answers'));
  });
});

describe.skipIf(!url)('copy-to-pg on a real PostgreSQL server', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'kakunin-copy-'));
  const file = path.join(folder, 'source.db');
  let target = '';
  let database: TestDatabase;
  let pool: pg.Pool;
  let sqlite: Db;
  let db: NodePgDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(url!, 'kakunin_c');
    target = database.url;
    pool = new pg.Pool({ connectionString: target, max: 2 });
    db = drizzle({ client: pool });
    sqlite = openDb(file);
    migrateDb(sqlite);
    fill(sqlite);
  });

  afterAll(async () => {
    sqlite?.$client.close();
    rmSync(folder, { recursive: true, force: true });
    await pool?.end();
    await database?.drop();
  });

  it('copies every table row for row, keeps ids and resets the sequences', async () => {
    const report = await copyToPg({ from: file, to: target, batchSize: 1 });
    expect(report.map((r) => r.table).sort()).toEqual(sqliteTables.map((t) => getTableConfig(t).name).sort());
    for (const side of await readBoth(sqlite, db)) {
      expect(side.sqlite.length, `${side.table} has rows in the fixture`).toBeGreaterThan(0);
      expect(report.find((r) => r.table === side.table)?.rows).toBe(side.sqlite.length);
      expect(side.pg, side.table).toEqual(side.sqlite);
    }
    const answers = (await db.select().from(pgSchema.answers).orderBy(pgSchema.answers.id)).map((a) => a.id);
    expect(answers).toEqual([7, 42]);
    const session = (await db.select().from(pgSchema.practiceSessions).orderBy(pgSchema.practiceSessions.id).limit(1))[0]!;
    expect(session.seed).toBe(BIG_SEED);
    // Fresh ids after the copy: the identity sequences continue after the largest copied id.
    const learner = (await db.insert(pgSchema.learners).values({ name: '新規' }).returning())[0]!;
    expect(learner.id).toBe(3);
    const answer = (
      await db
      .insert(pgSchema.answers)
      .values({ sessionId: session.id, learnerId: 1, questionId: 'ch2-q1', questionHash: 'h2', position: 1, response: 1, verdict: 'correct', score: 1, timeSpentMs: 1 })
      .returning()
    )[0]!;
    expect(answer.id).toBe(43);
  });

  it('refuses a target that already holds rows, and leaves it as it was', async () => {
    const error = await copyToPg({ from: file, to: target }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CopyError);
    expect((error as Error).message).toMatch(/すでに行があります \(.*learners.*\).*--replace/);
    expect((await pool.query('SELECT count(*)::int AS n FROM learners')).rows[0].n).toBe(3);
  });

  it('--replace empties the target first and copies again', async () => {
    const report = await copyToPg({ from: file, to: target, replace: true });
    expect(report.find((r) => r.table === 'answers')?.rows).toBe(2);
    for (const side of await readBoth(sqlite, db)) expect(side.pg, side.table).toEqual(side.sqlite);
    const learner = (await db.insert(pgSchema.learners).values({ name: '再コピー後' }).returning())[0]!;
    expect(learner.id).toBe(3);
  });

  it('a count or checksum that differs after the copy fails it with the table named, and rolls everything back', async () => {
    const before = await readBoth(sqlite, db);
    // A trigger on the target that silently drops one answer and shortens a review log's question id: every statement
    // succeeds, only the checks after the copy can notice.
    await pool.query(`
      CREATE FUNCTION kakunin_test_lossy() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'answers' AND NEW.id = 42 THEN RETURN NULL; END IF;
        IF TG_TABLE_NAME = 'review_logs' THEN NEW.question_id := left(NEW.question_id, 3); END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER lossy BEFORE INSERT ON answers FOR EACH ROW EXECUTE FUNCTION kakunin_test_lossy();
      CREATE TRIGGER lossy BEFORE INSERT ON review_logs FOR EACH ROW EXECUTE FUNCTION kakunin_test_lossy();`);
    try {
      const error = await copyToPg({ from: file, to: target, replace: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CopyError);
      const message = (error as Error).message;
      expect(message).toMatch(/一致しません/);
      expect(message).toMatch(/\n  answers: SQLite \[2 /);
      expect(message).toMatch(/PostgreSQL \[1 /);
      expect(message).toMatch(/\n  review_logs: /);
      expect(message).not.toMatch(/learners:/);
    } finally {
      await pool.query('DROP TRIGGER lossy ON answers; DROP TRIGGER lossy ON review_logs; DROP FUNCTION kakunin_test_lossy()');
    }
    expect(await readBoth(sqlite, db)).toEqual(before);
  });

  it('a failure mid-copy (an orphaned row PostgreSQL refuses) leaves the target unchanged', async () => {
    const before = await readBoth(sqlite, db);
    // An answer whose session does not exist: SQLite with foreign keys off lets it in, PostgreSQL's key refuses it
    // after learners, questions and sessions were already written in the transaction.
    const broken = path.join(folder, 'broken.db');
    await sqlite.$client.backup(broken);
    const raw = openDb(broken);
    raw.$client.pragma('foreign_keys = OFF');
    raw.$client.prepare('UPDATE answers SET session_id = 999 WHERE id = 42').run();
    raw.$client.prepare("UPDATE learners SET name = '書き換え'").run();
    raw.$client.close();
    const error = await copyToPg({ from: broken, to: target, replace: true }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/foreign key/);
    const after = await readBoth(sqlite, db);
    expect(after).toEqual(before);
    expect((await pool.query('SELECT name FROM learners ORDER BY id')).rows.map((r) => r.name)).toEqual(['ローカル学習者', '確認 太郎 🎌', '再コピー後']);
  });
  it('reads one snapshot of the source while the app keeps writing to it', async () => {
    // Another connection (the running app) adds learners and answers between the copy's batches; without one read
    // transaction the later tables and the final checks would see rows the earlier ones did not.
    const writer = openDb(file);
    const before = writer.$client.prepare('SELECT count(*) AS n FROM learners').get() as { n: number };
    let added = 0;
    let writing = true;
    const write = () => {
      if (!writing) return;
      writer.insert(sqliteSchema.learners).values({ name: `並行 ${added}` }).run();
      added++;
      setImmediate(write);
    };
    setImmediate(write);
    try {
      const report = await copyToPg({ from: file, to: target, replace: true, batchSize: 1 });
      expect(report.find((r) => r.table === 'learners')?.rows).toBe(before.n);
    } finally {
      writing = false;
      writer.$client.close();
    }
    expect(added).toBeGreaterThan(0);
    const now = openDb(file);
    expect((now.$client.prepare('SELECT count(*) AS n FROM learners').get() as { n: number }).n).toBe(before.n + added);
    now.$client.close();
    expect((await pool.query('SELECT count(*)::int AS n FROM learners')).rows[0].n).toBe(before.n);
  });
});
