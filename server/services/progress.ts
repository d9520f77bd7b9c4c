import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import type { Store } from '../../db/store';
import { CHAPTERS, chapterOrder, chapterTitle } from '../bank/chapters';
import type { Bank } from '../bank/bank';
import type { Context } from '../context';
import { newSeed } from './random';
import {
  cardMemories,
  chapterMastery,
  listedQuestion,
  MASTERY_LABEL,
  masteryRetrievabilities,
  startOfDay,
  TZ_OFFSET_MS,
  type CardMemory,
  type ListedQuestion,
  type MasteryLevel,
  type VerdictCounts,
} from './review';

/*
 * The learner's progress: per chapter, over time, and the weakest questions.
 * Aggregation happens in the database (a few grouped scans of the learner's answers), so the page stays fast with a long
 * history; the pure functions below turn those aggregates into what the page shows and are unit-tested on their own.
 *
 * Accuracy is the mean score (a partial answer counts with its partial score), as on the home page's chapter cards;
 * the verdicts are counted apart (正解 / 部分正解 / 不正解), so a 75点 answer is never shown as wrong.
 * "First try" takes the first answer of each question, "latest" its latest answer; both are averaged over questions.
 */

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
export const ACTIVITY_DAYS = 56;
export const TREND_WEEKS = 12;
export const WEAK_COUNT = 10;

/** Local midnight of Monday 2024-01-01 (any offset within ±12 h puts 12:00Z on that Monday); weeks count from it. */
const LOCAL_MONDAY = startOfDay(new Date('2024-01-01T12:00:00Z')).getTime();

/** The local calendar date of an instant, e.g. "11/28". */
export function localDateLabel(ms: number): string {
  const d = new Date(ms + TZ_OFFSET_MS);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The local date and time of an instant, e.g. "2026/11/28 10:01" (with seconds: "2026/11/28 10:01:05"). */
export function localDateTime(ms: number, seconds = false): string {
  const d = new Date(ms + TZ_OFFSET_MS);
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}${seconds ? `:${pad2(d.getUTCSeconds())}` : ''}`;
  return `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())} ${hm}`;
}

/** Local midnight of the Monday of the instant's week. */
export function startOfWeek(now: Date): Date {
  const day = startOfDay(now).getTime();
  const daysSinceMonday = ((Math.round((day - LOCAL_MONDAY) / DAY_MS) % 7) + 7) % 7;
  return new Date(day - daysSinceMonday * DAY_MS);
}

// ---------------------------------------------------------------------------------------------------------------
// Aggregates read from the database

/** One question's history for the learner. */
export interface QuestionStat {
  questionId: string;
  answers: number;
  /** answers graded 不正解 (a partial answer is not one) */
  incorrect: number;
  /** answers graded 部分正解 */
  partial: number;
  scoreSum: number;
  timeMs: number;
  firstScore: number;
  latestScore: number;
  lastAt: number;
  lastSessionId: number;
}

/** Aggregates come back as numbers from SQLite and as strings from PostgreSQL (bigint, numeric): read them as numbers. */
const num = (value: unknown): number => Number(value ?? 0);

/** `sum(verdict = …)` spelled the same on both dialects. */
const countVerdict = (verdict: string) => sql.raw(`sum(case when verdict = '${verdict}' then 1 else 0 end)`);

/**
 * Every answered question's counts, first and latest score: two grouped scans of the covering index
 * answers_learner_question_idx. Which row is the latest (first) answer is read by the dialect's own means
 * (store.sql.questionStats: SQLite's bare columns beside a single max()/min(); window functions were ten times slower).
 */
export async function questionStats(store: Store, learnerId: number): Promise<QuestionStat[]> {
  const { latest, first } = store.sql.questionStats(learnerId);
  const latestRows = await store.rows<Record<keyof Omit<QuestionStat, 'firstScore'>, unknown>>(latest);
  const firstRows = await store.rows<{ questionId: string; firstScore: unknown }>(first);
  const firstScore = new Map(firstRows.map((r) => [r.questionId, num(r.firstScore)]));
  return latestRows.map((r) => {
    const questionId = r.questionId as string;
    const latestScore = num(r.latestScore);
    return {
      questionId,
      answers: num(r.answers),
      incorrect: num(r.incorrect),
      partial: num(r.partial),
      scoreSum: num(r.scoreSum),
      timeMs: num(r.timeMs),
      lastAt: num(r.lastAt),
      latestScore,
      lastSessionId: num(r.lastSessionId),
      firstScore: firstScore.get(questionId) ?? latestScore,
    };
  });
}

/** Chapter of every question ever synced (retired ones included: their answers still count). */
async function chapterOfQuestions(store: Store): Promise<Map<string, string>> {
  const { questions } = store.tables;
  const rows = await store.db.select({ id: questions.id, chapter: questions.chapter }).from(questions);
  return new Map(rows.map((r) => [r.id, r.chapter]));
}

interface BucketRow {
  bucket: number;
  answers: number;
  scoreSum: number;
  correct: number;
  partial: number;
}

function bucketRow(r: Record<string, unknown>): BucketRow {
  return { bucket: num(r.bucket), answers: num(r.answers), scoreSum: num(r.scoreSum), correct: num(r.correct), partial: num(r.partial) };
}

/** Answers per day over the last `days` local days (index 0 = the oldest day, the last = today). */
async function dailyBuckets(store: Store, learnerId: number, firstDay: number, end: number): Promise<BucketRow[]> {
  const rows = await store.rows<Record<string, unknown>>(sql`
    SELECT CAST((created_at - ${firstDay}) / ${sql.raw(String(DAY_MS))} AS INTEGER) AS bucket, count(*) AS answers, sum(score) AS "scoreSum",
           ${countVerdict('correct')} AS correct, ${countVerdict('partial')} AS partial
    FROM answers WHERE learner_id = ${learnerId} AND created_at >= ${firstDay} AND created_at < ${end}
    GROUP BY bucket`);
  return rows.map(bucketRow);
}

/** Answers per week and question over the trend's weeks. */
async function weeklyByQuestion(store: Store, learnerId: number, firstWeek: number, end: number): Promise<(BucketRow & { questionId: string })[]> {
  const rows = await store.rows<Record<string, unknown>>(sql`
    SELECT CAST((created_at - ${firstWeek}) / ${sql.raw(String(WEEK_MS))} AS INTEGER) AS bucket, question_id AS "questionId", count(*) AS answers,
           sum(score) AS "scoreSum", ${countVerdict('correct')} AS correct, ${countVerdict('partial')} AS partial
    FROM answers WHERE learner_id = ${learnerId} AND created_at >= ${firstWeek} AND created_at < ${end}
    GROUP BY bucket, question_id`);
  return rows.map((r) => ({ ...bucketRow(r), questionId: r.questionId as string }));
}

// ---------------------------------------------------------------------------------------------------------------
// Pure aggregation

export interface ChapterProgress {
  slug: string;
  title: string;
  day: number;
  /** 1-based position in the course */
  number: number;
  questionCount: number;
  /** distinct questions of the current bank answered at least once */
  answeredQuestions: number;
  answers: number;
  /** mean score of each question's first answer; null before any answer */
  firstTryAccuracy: number | null;
  /** mean score of each question's latest answer; null before any answer */
  latestAccuracy: number | null;
  timeSpentMs: number;
  mastery: { score: number; level: MasteryLevel; label: string };
}

export interface Totals {
  questionCount: number;
  answeredQuestions: number;
  answers: number;
  /** answers by verdict */
  correct: number;
  partial: number;
  incorrect: number;
  /** mean score of every answer */
  accuracy: number | null;
  firstTryAccuracy: number | null;
  latestAccuracy: number | null;
  timeSpentMs: number;
}

const mean = (sum: number, n: number): number | null => (n > 0 ? sum / n : null);

/** Per-chapter numbers in course order, and the totals over all chapters. */
export function chapterProgress(
  bankQuestions: readonly { id: string; chapter: string }[],
  stats: readonly QuestionStat[],
  chapterOf: ReadonlyMap<string, string>,
  retrievability: ReadonlyMap<string, number>,
): { chapters: ChapterProgress[]; totals: Totals } {
  const inBank = new Set(bankQuestions.map((q) => q.id));
  const byChapter = new Map<string, QuestionStat[]>();
  for (const s of stats) {
    const chapter = chapterOf.get(s.questionId);
    if (chapter === undefined) continue;
    const list = byChapter.get(chapter) ?? [];
    list.push(s);
    byChapter.set(chapter, list);
  }
  const fold = (list: readonly QuestionStat[], questionCount: number) => {
    let answers = 0, partial = 0, incorrect = 0, scoreSum = 0, first = 0, latest = 0, timeMs = 0, answeredQuestions = 0;
    for (const s of list) {
      answers += s.answers;
      partial += s.partial;
      incorrect += s.incorrect;
      scoreSum += s.scoreSum;
      first += s.firstScore;
      latest += s.latestScore;
      timeMs += s.timeMs;
      if (inBank.has(s.questionId)) answeredQuestions += 1;
    }
    return {
      questionCount,
      answeredQuestions,
      answers,
      correct: answers - partial - incorrect,
      partial,
      incorrect,
      accuracy: mean(scoreSum, answers),
      firstTryAccuracy: mean(first, list.length),
      latestAccuracy: mean(latest, list.length),
      timeSpentMs: timeMs,
    };
  };
  const chapters = CHAPTERS.map((c, i): ChapterProgress => {
    const ids = bankQuestions.filter((q) => q.chapter === c.slug).map((q) => q.id);
    const { accuracy: _all, correct: _c, partial: _p, incorrect: _i, ...numbers } = fold(byChapter.get(c.slug) ?? [], ids.length);
    const mastery = chapterMastery(ids, retrievability);
    return { slug: c.slug, title: c.title, day: c.day, number: i + 1, ...numbers, mastery: { ...mastery, label: MASTERY_LABEL[mastery.level] } };
  });
  const known = stats.filter((s) => chapterOf.has(s.questionId));
  return { chapters, totals: fold(known, bankQuestions.length) };
}

export interface WeakQuestion extends ListedQuestion, VerdictCounts {
  /** points lost over all answers: 1 per wrong answer, 1 − score per partial one */
  lost: number;
  latestScore: number;
  /** null when the question has no review card */
  retrievability: number | null;
  /** still (re)learning after a wrong or partial answer: it comes back within minutes, whatever its retrievability */
  learning: boolean;
  lastAt: number;
  lastSessionId: number;
}

/**
 * The weakest questions of the current bank: those with a point lost at least once (a wrong or a partial answer);
 * the most points lost first (a 75点 answer loses a quarter of a wrong one), then the lowest retrievability (the most
 * likely forgotten; no card counts as 0), then the most recently answered.
 */
export function weakestQuestions(
  stats: readonly QuestionStat[],
  bank: Pick<Bank, 'byId'>,
  memories: ReadonlyMap<string, CardMemory>,
  n = WEAK_COUNT,
): WeakQuestion[] {
  return stats
    .filter((s) => s.incorrect + s.partial > 0 && bank.byId.has(s.questionId))
    .map((s) => ({ s, lost: s.answers - s.scoreSum, m: memories.get(s.questionId) }))
    .sort((a, b) => b.lost - a.lost || (a.m?.retrievability ?? 0) - (b.m?.retrievability ?? 0) || b.s.lastAt - a.s.lastAt || a.s.questionId.localeCompare(b.s.questionId))
    .slice(0, n)
    .map(({ s, lost, m }) => ({
      ...listedQuestion(bank, s.questionId),
      answers: s.answers,
      correct: s.answers - s.partial - s.incorrect,
      partial: s.partial,
      incorrect: s.incorrect,
      lost,
      latestScore: s.latestScore,
      retrievability: m?.retrievability ?? null,
      learning: m !== undefined && !m.graduated,
      lastAt: s.lastAt,
      lastSessionId: s.lastSessionId,
    }));
}

// ---------------------------------------------------------------------------------------------------------------
// Use cases

export interface DayActivity {
  dayStart: number;
  label: string;
  answers: number;
  correct: number;
  partial: number;
  /** mean score of the day's answers; null on a day without answers */
  accuracy: number | null;
}

export interface TrendPoint {
  answers: number;
  accuracy: number | null;
}

export interface TrendWeek {
  weekStart: number;
  label: string;
  all: TrendPoint;
  /** chapter slug → that chapter's answers that week */
  byChapter: Record<string, TrendPoint>;
}

export interface ProgressOverview {
  totals: Totals;
  chapters: ChapterProgress[];
  /** the last TREND_WEEKS weeks (Monday to Sunday, local time), oldest first */
  trend: TrendWeek[];
  /** the last ACTIVITY_DAYS days, oldest first, today last */
  daily: DayActivity[];
  weak: WeakQuestion[];
}

export async function progressOverview(ctx: Context, now = new Date()): Promise<ProgressOverview> {
  const stats = await questionStats(ctx.store, ctx.learnerId);
  const chapterOf = await chapterOfQuestions(ctx.store);
  const memories = await cardMemories(ctx.store, ctx.learnerId, now);
  const { chapters, totals } = chapterProgress(ctx.bank.questions, stats, chapterOf, masteryRetrievabilities(memories));

  const tomorrow = startOfDay(now).getTime() + DAY_MS;
  const firstDay = tomorrow - ACTIVITY_DAYS * DAY_MS;
  const days = new Map((await dailyBuckets(ctx.store, ctx.learnerId, firstDay, tomorrow)).map((b) => [b.bucket, b]));
  const daily = Array.from({ length: ACTIVITY_DAYS }, (_, i): DayActivity => {
    const b = days.get(i);
    const dayStart = firstDay + i * DAY_MS;
    return { dayStart, label: localDateLabel(dayStart), answers: b?.answers ?? 0, correct: b?.correct ?? 0, partial: b?.partial ?? 0, accuracy: b ? mean(b.scoreSum, b.answers) : null };
  });

  const firstWeek = startOfWeek(now).getTime() - (TREND_WEEKS - 1) * WEEK_MS;
  const weeks = Array.from({ length: TREND_WEEKS }, () => ({ answers: 0, scoreSum: 0, byChapter: new Map<string, { answers: number; scoreSum: number }>() }));
  for (const row of await weeklyByQuestion(ctx.store, ctx.learnerId, firstWeek, tomorrow)) {
    const week = weeks[row.bucket];
    const chapter = chapterOf.get(row.questionId);
    if (!week || chapter === undefined) continue;
    week.answers += row.answers;
    week.scoreSum += row.scoreSum;
    const c = week.byChapter.get(chapter) ?? { answers: 0, scoreSum: 0 };
    c.answers += row.answers;
    c.scoreSum += row.scoreSum;
    week.byChapter.set(chapter, c);
  }
  const trend = weeks.map((w, i): TrendWeek => {
    const weekStart = firstWeek + i * WEEK_MS;
    return {
      weekStart,
      label: localDateLabel(weekStart),
      all: { answers: w.answers, accuracy: mean(w.scoreSum, w.answers) },
      byChapter: Object.fromEntries([...w.byChapter].map(([slug, c]) => [slug, { answers: c.answers, accuracy: mean(c.scoreSum, c.answers) }])),
    };
  });

  return { totals, chapters, trend, daily, weak: weakestQuestions(stats, ctx.bank, memories) };
}

export interface ProgressSummary {
  answers: number;
  answeredQuestions: number;
  questionCount: number;
  /** mean score of every answer; null before the first one */
  accuracy: number | null;
}

/** The home page's card: a cheap count over the learner's answers. */
export async function progressSummary(ctx: Context): Promise<ProgressSummary> {
  const [row] = await ctx.store.rows<{ answers: unknown; answeredQuestions: unknown; scoreSum: unknown }>(
    sql`SELECT count(*) AS answers, count(DISTINCT question_id) AS "answeredQuestions", sum(score) AS "scoreSum" FROM answers WHERE learner_id = ${ctx.learnerId}`,
  );
  const answers = num(row?.answers);
  return {
    answers,
    answeredQuestions: num(row?.answeredQuestions),
    questionCount: ctx.bank.questions.length,
    accuracy: mean(num(row?.scoreSum), answers),
  };
}

export interface AnswerListRow extends ListedQuestion {
  answerId: number;
  sessionId: number;
  sessionMode: 'practice' | 'mock' | 'review';
  /** whether the question is still in the bank (can be practised) */
  inBank: boolean;
  verdict: 'correct' | 'partial' | 'incorrect';
  score: number;
  timeSpentMs: number;
  createdAt: number;
  /** local date and time, e.g. "2026/11/28 10:01" */
  createdAtText: string;
}

export interface AnswerPage {
  rows: AnswerListRow[];
  page: number;
  pageSize: number;
  total: number;
  pageCount: number;
}

/** The learner's answers, newest first, one page at a time. */
export async function recentAnswers(ctx: Context, page: number, pageSize: number): Promise<AnswerPage> {
  const [counted] = await ctx.store.rows<{ n: unknown }>(sql`SELECT count(*) AS n FROM answers WHERE learner_id = ${ctx.learnerId}`);
  const total = num(counted?.n);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, page), pageCount);
  const raw = await ctx.store.rows<Record<string, unknown>>(sql`
    SELECT a.id AS "answerId", a.session_id AS "sessionId", s.mode AS "sessionMode", a.question_id AS "questionId", q.chapter AS chapter,
           a.verdict AS verdict, a.score AS score, a.time_spent_ms AS "timeSpentMs", a.created_at AS "createdAt"
    FROM answers a JOIN practice_sessions s ON s.id = a.session_id LEFT JOIN questions q ON q.id = a.question_id
    WHERE a.id IN (SELECT id FROM answers WHERE learner_id = ${ctx.learnerId} ORDER BY created_at DESC, id DESC LIMIT ${pageSize} OFFSET ${(current - 1) * pageSize})
    ORDER BY a.created_at DESC, a.id DESC`);
  const rows = raw.map((r) => ({
    answerId: num(r.answerId),
    sessionId: num(r.sessionId),
    sessionMode: r.sessionMode as AnswerListRow['sessionMode'],
    questionId: r.questionId as string,
    chapter: (r.chapter as string | null) ?? null,
    verdict: r.verdict as AnswerListRow['verdict'],
    score: num(r.score),
    timeSpentMs: num(r.timeSpentMs),
    createdAt: num(r.createdAt),
  }));
  return {
    rows: rows.map((r) => {
      const listed = listedQuestion(ctx.bank, r.questionId);
      // A retired question keeps its chapter in the synced table.
      const chapter = listed.chapter || r.chapter || '';
      return {
        ...r,
        ...listed,
        chapter,
        chapterTitle: chapter ? chapterTitle(chapter) : '',
        inBank: ctx.bank.byId.has(r.questionId),
        createdAtText: localDateTime(r.createdAt),
      };
    }),
    page: current,
    pageSize,
    total,
    pageCount,
  };
}

/** Starts a practice session of exactly these questions (e.g. the weakest 10), in course order. */
export async function startWithQuestions(ctx: Context, questionIds: readonly string[]): Promise<{ sessionId: number }> {
  const { practiceSessions } = ctx.store.tables;
  const unique = [...new Set(questionIds)];
  const unknown = unique.filter((id) => !ctx.bank.byId.has(id));
  if (unknown.length > 0) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: `問題バンクにない問題が含まれています: ${unknown.slice(0, 5).join(', ')}` });
  }
  const rank = new Map(ctx.bank.questions.map((q, i) => [q.id, i]));
  const ids = unique.sort((a, b) => rank.get(a)! - rank.get(b)!);
  const chapters = [...new Set(ids.map((id) => ctx.bank.byId.get(id)!.chapter))].sort((a, b) => chapterOrder(a) - chapterOrder(b));
  // In a transaction, so a failed commit throws rather than returning the id of a row that is not stored (sessions.ts).
  const [row] = await ctx.store.transaction((tx) =>
    tx.db
      .insert(practiceSessions)
      .values({ learnerId: ctx.learnerId, mode: 'practice', chapters, questionIds: ids, order: 'course', seed: newSeed() })
      .returning({ id: practiceSessions.id }),
  );
  return { sessionId: row!.id };
}
