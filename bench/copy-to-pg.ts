// How fast `npm run db:copy-to-pg` moves a database: builds an SQLite file through the app's migrations with
// N answers (default 100,000; 20 per session, 100 learners, a review log and a realistic JSON response and feedback
// per answer), copies it into a fresh PostgreSQL database, prints the per-table report and rows/s, drops it.
// Usage: KAKUNIN_TEST_DATABASE_URL="$(bash .ci/postgres.sh)" npx tsx bench/copy-to-pg.ts [answers] [batch size]

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrateDb, openDb } from '../db/client';
import { copyToPg, formatReport, pgMigrationsFolder } from '../db/copy-to-pg';

const url = process.env.KAKUNIN_TEST_DATABASE_URL;
if (!url) throw new Error('KAKUNIN_TEST_DATABASE_URL is not set (export KAKUNIN_TEST_DATABASE_URL="$(bash .ci/postgres.sh)")');
const answers = Number(process.argv[2] ?? 100_000);
const batchSize = process.argv[3] ? Number(process.argv[3]) : undefined;
const perSession = 20;
const learners = 100;

const folder = mkdtempSync(path.join(tmpdir(), 'kakunin-bench-copy-'));
const file = path.join(folder, 'source.db');
const db = openDb(file);
migrateDb(db);
const sqlite = db.$client;
const t0 = 1_733_390_000_000;
sqlite.transaction(() => {
  const learner = sqlite.prepare('INSERT INTO learners (name, email, created_at) VALUES (?, ?, ?)');
  for (let l = 1; l <= learners; l++) learner.run(`学習者 ${l}`, `l${l}@example.jp`, t0);
  const question = sqlite.prepare('INSERT INTO questions (id, chapter, kind, source, content_hash, retired, synced_at) VALUES (?, ?, ?, ?, ?, 0, ?)');
  for (let q = 0; q < 200; q++) question.run(`q${q}`, `第${q % 10}章`, 'choice', `questions/c/q${q}.md`, 'h'.repeat(64), t0);
  const session = sqlite.prepare(
    `INSERT INTO practice_sessions (learner_id, mode, chapters, question_ids, "order", seed, started_at, finished_at) VALUES (?, 'practice', ?, ?, 'random', ?, ?, ?)`,
  );
  const answer = sqlite.prepare(
    `INSERT INTO answers (session_id, learner_id, question_id, question_hash, position, response, verdict, score, feedback, seed, time_spent_ms, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const log = sqlite.prepare('INSERT INTO review_logs (learner_id, question_id, answer_id, rating, card_before, reviewed_at) VALUES (?, ?, ?, ?, ?, ?)');
  const sessions = Math.ceil(answers / perSession);
  let written = 0;
  for (let s = 1; s <= sessions; s++) {
    const l = ((s - 1) % learners) + 1;
    const ids = Array.from({ length: perSession }, (_, i) => `q${(s * 7 + i) % 200}`);
    session.run(l, JSON.stringify(['第1章', '第2章']), JSON.stringify(ids), 2 ** 32 + s, t0 + s * 60_000, t0 + s * 60_000 + 900_000);
    for (let i = 0; i < perSession && written < answers; i++, written++) {
      const when = t0 + s * 60_000 + i * 30_000;
      const { lastInsertRowid } = answer.run(s, l, ids[i], 'h'.repeat(64), i, JSON.stringify({ choice: ['a', 'c'], text: '勾配消失問題' }), i % 3 ? 'correct' : 'incorrect', i % 3 ? 1 : 0, JSON.stringify({ matched: [1, 2], message: '正解です' }), null, 10_000 + i, when);
      log.run(l, ids[i], lastInsertRowid, 3, JSON.stringify({ due: when, stability: 2.5, difficulty: 5, reps: 1 }), when);
    }
  }
})();
sqlite.pragma('wal_checkpoint(TRUNCATE)');
sqlite.close();
const mb = statSync(file).size / 2 ** 20;

const database = `kakunin_b_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(`CREATE DATABASE "${database}"`);
const target = new URL(url);
target.pathname = `/${database}`;
try {
  // Migrations on an empty database first, so the timing below is the copy alone.
  const pool = new pg.Pool({ connectionString: target.toString(), max: 1 });
  await migrate(drizzle({ client: pool }), { migrationsFolder: pgMigrationsFolder });
  await pool.end();
  const started = performance.now();
  const report = await copyToPg({ from: file, to: target.toString(), batchSize });
  const seconds = (performance.now() - started) / 1000;
  const rows = report.reduce((n, r) => n + r.rows, 0);
  console.log(formatReport(report));
  console.log(
    `source ${mb.toFixed(1)} MiB, ${answers} answers, ${rows} rows in ${seconds.toFixed(2)} s (checks included): ` +
      `${Math.round(rows / seconds)} rows/s, ${Math.round(answers / seconds)} answers/s`,
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
  rmSync(folder, { recursive: true, force: true });
}
