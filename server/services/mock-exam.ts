import { TRPCError } from '@trpc/server';
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Answer, PracticeSession } from '../../db/schema';
import type { Store } from '../../db/store';
import type { Bank } from '../bank/bank';
import { chapterOrder, chapterTitle } from '../bank/chapters';
import type { Question } from '../bank/types';
import type { Context } from '../context';
import { codeSeed, newSeed, shuffle } from './random';
import { reviewSessionAnswers } from './review';
// sessions.ts imports this module too; only functions are used across the cycle, at call time.
import { commitAnswer, openQuestion, type AnsweredItem } from './sessions';

/** The sizes the learner picks from (5 is a short trial run). */
export const MOCK_SIZES = [5, 20, 50, 100] as const;
export type MockSize = (typeof MOCK_SIZES)[number];

/** The E資格 pace: about 72 seconds a question. */
export const SECONDS_PER_QUESTION = 72;

export const TIME_UP_MESSAGE = '試験時間が終了しました。';

/**
 * The questions an exam may ask. An exam has no editor: a code item is asked in its multiple-choice form, so code
 * items without choices and whole-function items are left out.
 */
export function mockPool(bank: Bank): Question[] {
  return bank.questions.filter((q) => q.kind !== 'function' && (q.kind !== 'code' || (q.choices?.length ?? 0) > 0));
}

/**
 * How many questions each chapter gets: round(n × share of the pool), then the rounding fixed so the total is n
 * (the chapters rounded furthest the wrong way give or take one; ties broken by the seed). Every chapter ends at
 * floor or ceil of its exact share.
 */
export function allocateByChapter(available: ReadonlyMap<string, number>, n: number, seed: number): Map<string, number> {
  const total = [...available.values()].reduce((s, a) => s + a, 0);
  const want = Math.min(n, total);
  const chapters = shuffle([...available.keys()].sort((a, b) => chapterOrder(a) - chapterOrder(b)), seed);
  const exact = new Map(chapters.map((c) => [c, total === 0 ? 0 : (want * available.get(c)!) / total]));
  const quota = new Map(chapters.map((c) => [c, Math.min(Math.round(exact.get(c)!), available.get(c)!)]));
  let diff = want - [...quota.values()].reduce((s, q) => s + q, 0);
  // Stable sorts over the seeded chapter order: equal remainders are broken by the seed.
  while (diff > 0) {
    const c = [...chapters].filter((ch) => quota.get(ch)! < available.get(ch)!).sort((a, b) => exact.get(b)! - quota.get(b)! - (exact.get(a)! - quota.get(a)!))[0]!;
    quota.set(c, quota.get(c)! + 1);
    diff -= 1;
  }
  while (diff < 0) {
    const c = [...chapters].filter((ch) => quota.get(ch)! > 0).sort((a, b) => quota.get(b)! - exact.get(b)! - (quota.get(a)! - exact.get(a)!))[0]!;
    quota.set(c, quota.get(c)! - 1);
    diff += 1;
  }
  return quota;
}

/** A stratified, seeded draw of n questions across all chapters in proportion to the pool, in random order. */
export function drawMockQuestions(pool: readonly Question[], n: number, seed: number): string[] {
  const byChapter = new Map<string, Question[]>();
  for (const q of pool) byChapter.set(q.chapter, [...(byChapter.get(q.chapter) ?? []), q]);
  const quota = allocateByChapter(new Map([...byChapter].map(([c, qs]) => [c, qs.length])), n, seed);
  const drawn = [...byChapter].flatMap(([c, qs]) => shuffle(qs, codeSeed(seed, c)).slice(0, quota.get(c) ?? 0));
  return shuffle(drawn, seed).map((q) => q.id);
}

export async function startMock(ctx: Context, input: { size: number }, now = new Date()): Promise<{ sessionId: number }> {
  const { practiceSessions } = ctx.store.tables;
  const pool = mockPool(ctx.bank);
  if (pool.length === 0) throw new TRPCError({ code: 'BAD_REQUEST', message: '模擬試験に出せる問題がありません。' });
  const seed = newSeed();
  const questionIds = drawMockQuestions(pool, input.size, seed);
  const chapters = [...new Set(questionIds.map((id) => ctx.bank.byId.get(id)!.chapter))].sort((a, b) => chapterOrder(a) - chapterOrder(b));
  // In a transaction, so a failed commit throws rather than returning the id of a row that is not stored (sessions.ts).
  const [row] = await ctx.store.transaction((tx) =>
    tx.db
      .insert(practiceSessions)
      .values({
        learnerId: ctx.learnerId,
        mode: 'mock',
        chapters,
        questionIds,
        order: 'random',
        seed,
        timeLimitSec: SECONDS_PER_QUESTION * questionIds.length,
        startedAt: now,
      })
      .returning({ id: practiceSessions.id }),
  );
  return { sessionId: row!.id };
}

/**
 * Takes back the saved answer of a mock exam's question (the learner emptied the field or unticked every choice), so
 * the question counts as unanswered again. Checked like an answer: refused after the deadline and its grace.
 */
export function clearMockAnswer(ctx: Context, input: { sessionId: number; questionId: string }): Promise<AnsweredItem> {
  return commitAnswer(ctx, async (ctx) => {
    const { answers } = ctx.store.tables;
    const { session, position, q } = await openQuestion(ctx, input.sessionId, input.questionId);
    if (session.mode !== 'mock') throw new TRPCError({ code: 'BAD_REQUEST', message: '回答を取り消せるのは模擬試験だけです。' });
    await ctx.store.db.delete(answers).where(and(eq(answers.sessionId, session.id), eq(answers.questionId, q.id)));
    return { position, questionId: q.id, answered: false, result: null, savedResponse: null };
  });
}

/** When a timed session ends: startedAt + timeLimitSec; null without a limit. */
export function deadlineOf(session: PracticeSession): Date | null {
  return session.timeLimitSec === null ? null : new Date(session.startedAt.getTime() + session.timeLimitSec * 1000);
}

/**
 * How long after the deadline the server still accepts a save. A pick made in the exam's last second reaches the
 * server a little later: the request is on the network, and the learner's countdown runs behind the server's by the
 * latency of the reply it was computed from. Within the grace such a save is stored and the exam is not ended under
 * it; anything later is refused. The exam still ends at the deadline (finishedAt), and the client hands in only
 * after its own saves have settled.
 */
export const SAVE_GRACE_MS = 3_000;

/**
 * Past the deadline and its grace: answers and flags are refused, and reading the exam ends it (at the deadline).
 * Within the grace a mock exam is not ended by anyone but the learner's own hand-in.
 */
export function isTimeUp(session: PracticeSession, now: Date): boolean {
  const deadline = deadlineOf(session);
  return session.mode === 'mock' && deadline !== null && now.getTime() >= deadline.getTime() + SAVE_GRACE_MS;
}

/**
 * Ends a mock exam at `finishedAt` and puts its answers into the FSRS schedule. Only the call that actually sets
 * finishedAt schedules (the update is conditional, in the same transaction), so the answers are reviewed once.
 */
export function finishMock(ctx: Context, session: PracticeSession, finishedAt: Date, now = new Date()): Promise<boolean> {
  const { practiceSessions } = ctx.store.tables;
  return ctx.store.transaction(async (tx) => {
    // RETURNING tells both dialects' drivers the same thing (a run result's count is spelled differently)
    const changed = await tx.db
      .update(practiceSessions)
      .set({ finishedAt })
      .where(and(eq(practiceSessions.id, session.id), isNull(practiceSessions.finishedAt)))
      .returning({ id: practiceSessions.id });
    if (changed.length !== 1) return false;
    await reviewSessionAnswers(tx, session.learnerId, session.id, now, (id) => {
      const kind = ctx.bank.byId.get(id)?.kind;
      return kind === 'code' || kind === 'function';
    });
    return true;
  });
}

/** Ends a mock exam whose time is up (finishedAt = the deadline); returns the session as it now stands. */
export async function finishIfTimeUp(ctx: Context, session: PracticeSession, now = new Date()): Promise<PracticeSession> {
  if (session.finishedAt !== null || !isTimeUp(session, now)) return session;
  const { practiceSessions } = ctx.store.tables;
  const deadline = deadlineOf(session)!;
  await finishMock(ctx, session, deadline, now);
  const [row] = await ctx.store.db.select().from(practiceSessions).where(eq(practiceSessions.id, session.id));
  return row!;
}

export interface ExamChapterRow {
  slug: string;
  title: string;
  total: number;
  answered: number;
  correct: number;
  /** points (partial credit counts) / questions */
  score: number;
}

export interface ExamResult {
  /** the pass line reached: score ≥ passTarget */
  passed: boolean;
  /** questions more to answer right to reach the pass line (0 when passed) */
  shortBy: number;
  chapters: ExamChapterRow[];
  totalTimeMs: number;
}

export interface ExamView {
  timeLimitSec: number;
  /** ms since the epoch */
  deadline: number;
  /** computed on the server; 0 once the exam has ended */
  remainingMs: number;
  /** how long after the deadline a save is still accepted (SAVE_GRACE_MS): the client's hand-in waits for its saves at most this long */
  saveGraceMs: number;
  flagged: string[];
  /** the learner's pass line (share of the score) */
  passTarget: number;
  /** after the end only */
  result: ExamResult | null;
}

/** The learner sets their own pass line (the exam's is not published; 60–70% is the common estimate). */
export async function setPassTarget(ctx: Context, passTarget: number): Promise<{ passTarget: number }> {
  const { learners } = ctx.store.tables;
  await ctx.store.transaction((tx) => tx.db.update(learners).set({ passTarget }).where(eq(learners.id, ctx.learnerId)));
  return { passTarget };
}

export async function passTargetOf(store: Store, learnerId: number): Promise<number> {
  const { learners } = store.tables;
  const [row] = await store.db.select({ t: learners.passTarget }).from(learners).where(eq(learners.id, learnerId));
  return row?.t ?? 0.7;
}

/** The timer, the flags and (after the end) the result of a mock exam. */
export async function examView(ctx: Context, session: PracticeSession, rows: readonly Answer[], now = new Date()): Promise<ExamView | null> {
  if (session.mode !== 'mock') return null;
  const deadline = deadlineOf(session) ?? session.startedAt;
  const passTarget = await passTargetOf(ctx.store, session.learnerId);
  const finished = session.finishedAt !== null;
  return {
    timeLimitSec: session.timeLimitSec ?? 0,
    deadline: deadline.getTime(),
    remainingMs: finished ? 0 : Math.max(0, deadline.getTime() - now.getTime()),
    saveGraceMs: SAVE_GRACE_MS,
    flagged: session.flagged,
    passTarget,
    result: finished ? examResult(ctx, session, rows, passTarget) : null,
  };
}

function examResult(ctx: Context, session: PracticeSession, rows: readonly Answer[], passTarget: number): ExamResult {
  const byQuestion = new Map(rows.map((a) => [a.questionId, a]));
  const chapters = new Map<string, ExamChapterRow>();
  for (const id of session.questionIds) {
    const slug = ctx.bank.byId.get(id)?.chapter ?? '';
    const row = chapters.get(slug) ?? { slug, title: slug ? chapterTitle(slug) : '削除された問題', total: 0, answered: 0, correct: 0, score: 0 };
    const a = byQuestion.get(id);
    row.total += 1;
    if (a) {
      row.answered += 1;
      if (a.verdict === 'correct') row.correct += 1;
      row.score += a.score; // points for now, divided below
    }
    chapters.set(slug, row);
  }
  const total = session.questionIds.length;
  const points = rows.reduce((s, a) => s + a.score, 0);
  const needed = passTarget * total - points;
  return {
    passed: total > 0 && points / total >= passTarget - 1e-9,
    shortBy: Math.max(0, Math.ceil(needed - 1e-9)),
    chapters: [...chapters.values()]
      .sort((a, b) => chapterOrder(a.slug) - chapterOrder(b.slug))
      .map((c) => ({ ...c, score: c.total > 0 ? c.score / c.total : 0 })),
    totalTimeMs: rows.reduce((s, a) => s + a.timeSpentMs, 0),
  };
}

export interface MockOverview {
  /** questions an exam can draw from */
  poolSize: number;
  sizes: { size: MockSize; timeLimitSec: number }[];
  chapters: { slug: string; title: string; count: number }[];
  passTarget: number;
  /** the learner's latest mock exams, newest first */
  recent: { id: number; total: number; answeredCount: number; correctCount: number; score: number; startedAt: number; finishedAt: number | null; deadline: number }[];
}

/** What the /mock start page shows: sizes and their time, the chapter shares, the pass line, the latest exams. */
export async function mockOverview(ctx: Context, now = new Date()): Promise<MockOverview> {
  const { answers, practiceSessions } = ctx.store.tables;
  const pool = mockPool(ctx.bank);
  const counts = new Map<string, number>();
  for (const q of pool) counts.set(q.chapter, (counts.get(q.chapter) ?? 0) + 1);
  const latest = await ctx.store.db
    .select()
    .from(practiceSessions)
    .where(and(eq(practiceSessions.learnerId, ctx.learnerId), eq(practiceSessions.mode, 'mock')))
    .orderBy(desc(practiceSessions.startedAt), desc(practiceSessions.id))
    .limit(5);
  const rows: PracticeSession[] = [];
  for (const s of latest) rows.push(await finishIfTimeUp(ctx, s, now));
  const ids = rows.map((s) => s.id);
  const stats = new Map(
    ids.length === 0
      ? []
      : (
          await ctx.store.db
            .select({
            sessionId: answers.sessionId,
            n: count(),
            correct: sql<number>`sum(case when ${answers.verdict} = 'correct' then 1 else 0 end)`,
            points: sql<number>`sum(${answers.score})`,
          })
            .from(answers)
            .where(inArray(answers.sessionId, ids))
            .groupBy(answers.sessionId)
        ).map((r) => [r.sessionId, r] as const),
  );
  const passTarget = await passTargetOf(ctx.store, ctx.learnerId);
  return {
    poolSize: pool.length,
    sizes: MOCK_SIZES.map((size) => ({ size, timeLimitSec: SECONDS_PER_QUESTION * Math.min(size, pool.length) })),
    chapters: [...counts].map(([slug, n]) => ({ slug, title: chapterTitle(slug), count: n })),
    passTarget,
    recent: rows.map((s) => {
      const st = stats.get(s.id);
      const finished = s.finishedAt !== null;
      const total = s.questionIds.length;
      return {
        id: s.id,
        total,
        answeredCount: st?.n ?? 0,
        // verdicts stay hidden until the exam ends
        correctCount: finished ? Number(st?.correct ?? 0) : 0,
        score: finished && total > 0 ? Number(st?.points ?? 0) / total : 0,
        startedAt: s.startedAt.getTime(),
        finishedAt: s.finishedAt?.getTime() ?? null,
        deadline: (deadlineOf(s) ?? s.startedAt).getTime(),
      };
    }),
  };
}
