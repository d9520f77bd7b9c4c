// The progress page's queries on a long history: 100,000 answers of one learner over a year, in a temporary
// database file (WAL, as the app runs). Times each service call the page makes against a plain
// `SELECT count(*) FROM answers` measured in the same run, and the export → import round trip. Asserts nothing.
//
//   npx tsx bench/progress.ts [--answers 100000] [--runs 20] [--no-import]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDb, migrateDb, type Db } from '../db/client';
import { sqliteStore } from '../db/store-sqlite';
import { seededRandom } from '../graders/code/rng';
import { buildBank } from '../server/bank/bank';
import { syncBank } from '../server/bank/sync';
import { createContextInner, type Context } from '../server/context';
import { exportHistory, historyToJson, importHistory } from '../server/services/history';
import { historyToHumanCsv } from '../server/services/history-csv';
import { chapterOverview } from '../server/services/chapters';
import { questionCatalog } from '../server/services/catalog';
import { progressOverview, progressSummary, recentAnswers } from '../server/services/progress';
import { applyReview, ratingFor } from '../server/services/review';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const ANSWERS = opt('--answers', 100_000);
const RUNS = opt('--runs', 20);
const DAY = 86_400_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const noGrade = () => Promise.reject(new Error('no grading in this bench'));

async function time(fn: () => unknown, runs = RUNS): Promise<number> {
  await fn(); // warm: statements prepared, pages cached
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-bench-'));
try {
  const bank = buildBank(path.join(process.cwd(), 'questions'));
  const db: Db = openDb(path.join(dir, 'kakunin.db'));
  migrateDb(db);
  const store = sqliteStore(db);
  await syncBank(store, bank);
  const learnerId = Number(db.$client.prepare("INSERT INTO learners (name) VALUES ('bench')").run().lastInsertRowid);
  const ctx: Context = await createContextInner({ store, bank, learnerId, grade: noGrade });

  // ---- fill: sessions of 5–20 questions of one or two chapters, most days of the last year, getting better over time
  const next = seededRandom(42);
  const byChapter = new Map<string, string[]>();
  for (const q of bank.questions) byChapter.set(q.chapter, [...(byChapter.get(q.chapter) ?? []), q.id]);
  const chapters = [...byChapter.keys()];
  const kindOf = new Map(bank.questions.map((q) => [q.id, q.kind]));
  const now = Date.now();
  const start = now - 365 * DAY;
  const insertSession = db.$client.prepare(
    `INSERT INTO practice_sessions (learner_id, mode, chapters, question_ids, "order", seed, started_at, finished_at)
     VALUES (?, ?, ?, ?, 'random', ?, ?, ?)`,
  );
  const insertAnswer = db.$client.prepare(
    `INSERT INTO answers (session_id, learner_id, question_id, question_hash, position, response, verdict, score, feedback, seed, time_spent_ms, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?)`,
  );
  const last = new Map<string, { verdict: 'correct' | 'partial' | 'incorrect'; timeMs: number; at: number }>();
  const t0 = performance.now();
  let written = 0;
  let sessions = 0;
  db.$client.transaction(() => {
    while (written < ANSWERS) {
      const chapter = chapters[Math.floor(next() * chapters.length)]!;
      const pool = byChapter.get(chapter)!;
      const size = Math.min(pool.length, 5 + Math.floor(next() * 16), ANSWERS - written);
      const picked = [...pool].sort(() => next() - 0.5).slice(0, size);
      let at = start + Math.floor(((written / ANSWERS) * 365 + next() * 0.5) * DAY);
      const mode = next() < 0.15 ? 'review' : next() < 0.1 ? 'mock' : 'practice';
      const sessionId = Number(
        insertSession.run(ctx.learnerId, mode, JSON.stringify([chapter]), JSON.stringify(picked), Math.floor(next() * 2 ** 31), at, at + size * 60_000).lastInsertRowid,
      );
      sessions += 1;
      const skill = 0.4 + 0.5 * (written / ANSWERS);
      picked.forEach((questionId, position) => {
        const roll = next();
        const verdict = roll < skill ? 'correct' : roll < skill + 0.05 ? 'partial' : 'incorrect';
        const score = verdict === 'correct' ? 1 : verdict === 'partial' ? 0.5 : 0;
        const timeMs = 5_000 + Math.floor(next() * 115_000);
        at += timeMs;
        insertAnswer.run(sessionId, ctx.learnerId, questionId, bank.byId.get(questionId)!.contentHash, position, '{"type":"choice","choice":"a"}', verdict, score, timeMs, at);
        last.set(questionId, { verdict, timeMs, at });
        written += 1;
      });
    }
  })();
  // One card per answered question (the last review is what sets today's retrievability).
  await store.transaction(async (tx) => {
    for (const [questionId, l] of last) {
      const kind = kindOf.get(questionId);
      await applyReview(tx, ctx.learnerId, questionId, ratingFor(l.verdict, l.timeMs, kind === 'code' || kind === 'function'), new Date(l.at), null);
    }
  });
  db.$client.pragma('optimize');
  console.log(`filled ${written} answers in ${sessions} sessions over 365 days (${bank.questions.length} questions, ${last.size} cards) in ${(performance.now() - t0).toFixed(0)} ms`);

  // ---- the page's queries
  const baseline = await time(() => db.$client.prepare('SELECT count(*) FROM answers').get());
  // count(*) is answered from the b-tree's page counts; a scan that reads every row is the fairer yardstick.
  const scan = await time(() => db.$client.prepare('SELECT sum(score), sum(time_spent_ms) FROM answers').get());
  const rows: [string, number][] = [
    ['progress.overview (chapters, trend, daily, weakest)', await time(() => progressOverview(ctx))],
    ['progress.summary (home card)', await time(() => progressSummary(ctx))],
    ['progress.answers page 1', await time(() => recentAnswers(ctx, 1, 20))],
    ['progress.answers page 2500 (deep)', await time(() => recentAnswers(ctx, 2500, 20))],
    ['sessions.catalog (home page, every session start)', await time(() => questionCatalog(ctx))],
    ['chapters.overview (home page chapter cards)', await time(() => chapterOverview(ctx))],
  ];
  const page = await time(async () => {
    await progressOverview(ctx);
    await recentAnswers(ctx, 1, 20);
  });
  console.log(`\nbaselines (median of ${RUNS}): SELECT count(*) FROM answers ${baseline.toFixed(3)} ms; full scan SELECT sum(score), sum(time_spent_ms) FROM answers ${scan.toFixed(2)} ms`);
  console.log('query                                                  median ms   × count(*)   × full scan');
  for (const [name, ms] of [...rows, ['/progress page data (overview + answers page 1)', page] as [string, number]]) {
    console.log(`${name.padEnd(54)} ${ms.toFixed(2).padStart(9)}   ${(ms / baseline).toFixed(0).padStart(10)}   ${(ms / scan).toFixed(2).padStart(11)}`);
  }

  // ---- export → import round trip
  if (!args.includes('--no-import')) {
    let exported: Awaited<ReturnType<typeof exportHistory>> = [];
    const exportMs = await time(async () => (exported = await exportHistory(store, ctx.learnerId)), 3);
    let json = '';
    const jsonMs = await time(() => (json = historyToJson(exported)), 3);
    const csvMs = await time(() => historyToHumanCsv(exported, bank), 3);
    console.log(`\nexport ${exported.length} rows: query ${exportMs.toFixed(0)} ms, JSON ${jsonMs.toFixed(0)} ms (${(json.length / 1e6).toFixed(1)} MB), CSV ${csvMs.toFixed(0)} ms`);
    const fresh = openDb(path.join(dir, 'fresh.db'));
    migrateDb(fresh);
    const freshStore = sqliteStore(fresh);
    await syncBank(freshStore, bank);
    const freshLearner = Number(fresh.$client.prepare("INSERT INTO learners (name) VALUES ('bench')").run().lastInsertRowid);
    const freshCtx = await createContextInner({ store: freshStore, bank, learnerId: freshLearner, grade: noGrade });
    const t1 = performance.now();
    const result = await importHistory(freshCtx, JSON.parse(json));
    console.log(`import into a fresh database: ${result.imported} answers, ${result.sessions} sessions, ${result.cards} cards rebuilt in ${(performance.now() - t1).toFixed(0)} ms`);
    fresh.$client.close();
  }
  db.$client.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
