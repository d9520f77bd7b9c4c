import { TRPCError } from '@trpc/server';
import { and, asc, count, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { createEmptyCard, fsrs, Rating, State, type Card, type Grade } from 'ts-fsrs';
import { preparedPerDb } from '../../db/prepared';
import type { ReviewCard } from '../../db/schema';
import type { Store } from '../../db/store';
import type { Context } from '../context';
import { chapterOrder, chapterTitle } from '../bank/chapters';
import type { Bank } from '../bank/bank';
import { newSeed } from './random';

/**
 * Scheduling without fuzz (the same answers give the same due dates). One short learning step: a question answered
 * wrong comes back in today's review a minute later; one answered right graduates to days at once.
 */
const scheduler = fsrs({ enable_fuzz: false, request_retention: 0.9, learning_steps: ['1m'], relearning_steps: ['10m'] });

/** Japan by default: "today" for a learner of this course. */
export const TZ_OFFSET_MS = Number(process.env.KAKUNIN_TZ_OFFSET_MIN ?? 540) * 60_000;

export function startOfDay(now: Date): Date {
  const local = now.getTime() + TZ_OFFSET_MS;
  return new Date(local - (((local % 86_400_000) + 86_400_000) % 86_400_000) - TZ_OFFSET_MS);
}

export const RATING_LABEL: Record<Grade, string> = { [Rating.Again]: 'もう一度', [Rating.Hard]: '難しい', [Rating.Good]: '正解', [Rating.Easy]: '簡単' };

/** Seconds under which a right answer counts as fast (Easy): quick to read for choices, longer for code. */
const FAST_MS = { choice: 8_000, code: 40_000 } as const;

/** The FSRS rating an answer earns: wrong → Again, partial → Hard, right → Good, right and fast → Easy. */
export function ratingFor(verdict: 'correct' | 'partial' | 'incorrect', timeSpentMs: number, isCode: boolean): Grade {
  if (verdict === 'incorrect') return Rating.Again;
  if (verdict === 'partial') return Rating.Hard;
  return timeSpentMs > 0 && timeSpentMs < (isCode ? FAST_MS.code : FAST_MS.choice) ? Rating.Easy : Rating.Good;
}

function toCard(row: ReviewCard): Card {
  return {
    due: row.due,
    stability: row.stability,
    difficulty: row.difficulty,
    elapsed_days: row.elapsedDays,
    scheduled_days: row.scheduledDays,
    learning_steps: row.learningSteps,
    reps: row.reps,
    lapses: row.lapses,
    state: row.state,
    ...(row.lastReview ? { last_review: row.lastReview } : {}),
  };
}

function cardColumns(card: Card) {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsedDays: card.elapsed_days,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ?? null,
  };
}

/** A card as JSON for the log (dates as ms), and back. */
function serialise(card: Card): Record<string, unknown> {
  return { ...card, due: card.due.getTime(), last_review: card.last_review?.getTime() ?? null };
}
function deserialise(json: Record<string, unknown>): Card {
  const { last_review, due, ...rest } = json as Record<string, unknown> & { due: number; last_review: number | null };
  return { ...(rest as unknown as Card), due: new Date(due), ...(last_review ? { last_review: new Date(last_review) } : {}) };
}

/** Every practice answer schedules its card: the three statements of a review, prepared once. */
const reviewStatements = preparedPerDb((db, { reviewCards, reviewLogs }) => {
  const p = (name: string) => sql.placeholder(name);
  const card = {
    due: p('due'),
    stability: p('stability'),
    difficulty: p('difficulty'),
    elapsedDays: p('elapsedDays'),
    scheduledDays: p('scheduledDays'),
    learningSteps: p('learningSteps'),
    reps: p('reps'),
    lapses: p('lapses'),
    state: p('state'),
    lastReview: p('lastReview'),
  };
  // On conflict the card takes the new values: `excluded.<column>` is the row the insert proposed.
  const fromInsert = Object.fromEntries(
    (Object.keys(card) as (keyof typeof card)[]).map((key) => [key, sql`excluded.${sql.identifier(reviewCards[key].name)}`]),
  ) as Record<keyof typeof card, SQL>;
  return {
    card: db
      .select()
      .from(reviewCards)
      .where(and(eq(reviewCards.learnerId, p('learnerId')), eq(reviewCards.questionId, p('questionId'))))
      .prepare('review_card'),
    saveCard: db
      .insert(reviewCards)
      .values({ learnerId: p('learnerId'), questionId: p('questionId'), introducedAt: p('now'), ...card })
      .onConflictDoUpdate({ target: [reviewCards.learnerId, reviewCards.questionId], set: fromInsert })
      .prepare('save_review_card'),
    log: db
      .insert(reviewLogs)
      .values({ learnerId: p('learnerId'), questionId: p('questionId'), answerId: p('answerId'), rating: p('rating'), cardBefore: p('cardBefore'), reviewedAt: p('now') })
      .prepare('log_review'),
  };
});

/** Applies one review to the learner's card of the question (creating it on the first review) and logs it. Writes: pass a transaction's store. */
export async function applyReview(store: Store, learnerId: number, questionId: string, rating: Grade, now: Date, answerId: number | null): Promise<Card> {
  const statements = reviewStatements(store);
  const [row] = await statements.card.execute({ learnerId, questionId });
  const before = row ? toCard(row) : createEmptyCard(now);
  const { card } = scheduler.next(before, now, rating);
  await statements.saveCard.execute({ learnerId, questionId, now, ...cardColumns(card) });
  await statements.log.execute({ learnerId, questionId, answerId, rating, cardBefore: row ? serialise(before) : null, now });
  return card;
}

/**
 * The learner corrects the rating of their latest review of a question after reading the 解説 (e.g. "I knew it: Easy").
 * The card is recomputed from its state before that review.
 */
export async function correctRating(ctx: Context, answerId: number, rating: Grade): Promise<{ rating: Grade; due: number }> {
  const { reviewCards, reviewLogs } = ctx.store.tables;
  const [log] = await ctx.store.db
    .select()
    .from(reviewLogs)
    .where(and(eq(reviewLogs.answerId, answerId), eq(reviewLogs.learnerId, ctx.learnerId)))
    .orderBy(desc(reviewLogs.id))
    .limit(1);
  if (!log) throw new TRPCError({ code: 'NOT_FOUND', message: 'この回答の復習記録が見つかりません。' });
  const [latest] = await ctx.store.db
    .select({ id: reviewLogs.id })
    .from(reviewLogs)
    .where(and(eq(reviewLogs.learnerId, ctx.learnerId), eq(reviewLogs.questionId, log.questionId)))
    .orderBy(desc(reviewLogs.reviewedAt), desc(reviewLogs.id))
    .limit(1);
  if (latest?.id !== log.id) throw new TRPCError({ code: 'BAD_REQUEST', message: 'その後にこの問題をもう一度解いているため、評価は変更できません。' });
  const before = log.cardBefore ? deserialise(log.cardBefore as Record<string, unknown>) : createEmptyCard(log.reviewedAt);
  const { card } = scheduler.next(before, log.reviewedAt, rating);
  await ctx.store.transaction(async (tx) => {
    await tx.db.update(reviewCards).set(cardColumns(card)).where(and(eq(reviewCards.learnerId, ctx.learnerId), eq(reviewCards.questionId, log.questionId)));
    await tx.db.update(reviewLogs).set({ rating }).where(eq(reviewLogs.id, log.id));
  });
  return { rating, due: card.due.getTime() };
}

/**
 * The rating applied to each of these answers, if any (shown next to the verdict so the learner can change it).
 * One query for a whole session, not one per answer.
 */
export async function ratingsOfAnswers(store: Store, answerIds: readonly number[]): Promise<Map<number, Grade>> {
  if (answerIds.length === 0) return new Map();
  const { reviewLogs } = store.tables;
  const logs = await store.db
    .select({ answerId: reviewLogs.answerId, rating: reviewLogs.rating })
    .from(reviewLogs)
    .where(inArray(reviewLogs.answerId, [...answerIds]))
    .orderBy(asc(reviewLogs.id));
  // Ordered by id: the latest log of an answer wins.
  return new Map(logs.map((l) => [l.answerId!, l.rating as Grade]));
}

/** A question as lists show it to the learner: its title and chapter, never its id or raw LaTeX. */
export interface ListedQuestion {
  questionId: string;
  title: string;
  chapter: string;
  chapterTitle: string;
}

export function listedQuestion(bank: Pick<Bank, 'byId'>, questionId: string): ListedQuestion {
  const q = bank.byId.get(questionId);
  const chapter = q?.chapter ?? '';
  return { questionId, title: q?.title ?? '（問題バンクから削除された問題）', chapter, chapterTitle: chapter ? chapterTitle(chapter) : '' };
}

/** The learner's answers to one question by verdict (a partial answer is neither right nor wrong). */
export interface VerdictCounts {
  answers: number;
  correct: number;
  partial: number;
  incorrect: number;
}

/** Per question, one grouped scan of the covering index answers_learner_question_idx. */
export async function verdictCounts(store: Store, learnerId: number): Promise<Map<string, VerdictCounts>> {
  const { answers } = store.tables;
  // case-when, not SQLite's sum(verdict = …): the same on both dialects; sums are mapped to numbers (pg's are strings)
  const countOf = (verdict: string) => sql<number>`sum(case when ${answers.verdict} = ${verdict} then 1 else 0 end)`.mapWith(Number);
  const rows = await store.db
    .select({ questionId: answers.questionId, answers: count(), correct: countOf('correct'), partial: countOf('partial'), incorrect: countOf('incorrect') })
    .from(answers)
    .where(eq(answers.learnerId, learnerId))
    .groupBy(answers.questionId);
  return new Map(rows.map(({ questionId, ...c }) => [questionId, c]));
}

const NO_ANSWERS: VerdictCounts = { answers: 0, correct: 0, partial: 0, incorrect: 0 };

export type DueQuestion = ListedQuestion & VerdictCounts & { due: number };

export interface ReviewQueue {
  /** due by the end of today (Japan time), oldest first: a question answered wrong comes back the same day */
  due: DueQuestion[];
  /** the cards due on each of the next 7 days (index 0 = today, including the overdue ones), soonest first */
  upcoming: { dayStart: number; questions: (ListedQuestion & { due: number })[] }[];
  /** `questions`: the new questions today's review would bring, in course order */
  newCardsToday: { limit: number; introduced: number; available: number; questions: ListedQuestion[] };
}

export async function reviewQueue(ctx: Context, now = new Date()): Promise<ReviewQueue> {
  const { learners, reviewCards } = ctx.store.tables;
  const today = startOfDay(now);
  const weekEnd = new Date(today.getTime() + 7 * 86_400_000);
  // ties of due broken by question id: the same order on both dialects
  const rows = (
    await ctx.store.db
      .select({ questionId: reviewCards.questionId, due: reviewCards.due })
      .from(reviewCards)
      .where(and(eq(reviewCards.learnerId, ctx.learnerId), lte(reviewCards.due, weekEnd)))
      .orderBy(asc(reviewCards.due), asc(reviewCards.questionId))
  ).filter((r) => ctx.bank.byId.has(r.questionId));
  const upcoming = Array.from({ length: 7 }, (_, i) => ({ dayStart: today.getTime() + i * 86_400_000, questions: [] as (ListedQuestion & { due: number })[] }));
  for (const r of rows) {
    const day = Math.max(0, Math.floor((r.due.getTime() - today.getTime()) / 86_400_000));
    upcoming[day]?.questions.push({ ...listedQuestion(ctx.bank, r.questionId), due: r.due.getTime() });
  }
  const tomorrow = today.getTime() + 86_400_000;
  const counts = await verdictCounts(ctx.store, ctx.learnerId);
  const due = rows
    .filter((r) => r.due.getTime() < tomorrow)
    .map((r) => ({ ...listedQuestion(ctx.bank, r.questionId), ...(counts.get(r.questionId) ?? NO_ANSWERS), due: r.due.getTime() }));
  const limit = (await ctx.store.db.select({ n: learners.dailyNewCards }).from(learners).where(eq(learners.id, ctx.learnerId)))[0]?.n ?? 10;
  const introduced =
    (await ctx.store.db.select({ n: count() }).from(reviewCards).where(and(eq(reviewCards.learnerId, ctx.learnerId), gte(reviewCards.introducedAt, today))))[0]?.n ?? 0;
  const seen = (await ctx.store.db.select({ n: count() }).from(reviewCards).where(eq(reviewCards.learnerId, ctx.learnerId)))[0]?.n ?? 0;
  const available = Math.max(0, Math.min(limit - introduced, ctx.bank.questions.length - seen));
  const questions = (await newCards(ctx, available)).map((id) => listedQuestion(ctx.bank, id));
  return { due, upcoming, newCardsToday: { limit, introduced, available, questions } };
}

/** Never-reviewed questions in course order, as today's new cards. */
async function newCards(ctx: Context, n: number): Promise<string[]> {
  if (n <= 0) return [];
  const { reviewCards } = ctx.store.tables;
  const seen = new Set((await ctx.store.db.select({ q: reviewCards.questionId }).from(reviewCards).where(eq(reviewCards.learnerId, ctx.learnerId))).map((r) => r.q));
  return ctx.bank.questions.filter((q) => !seen.has(q.id)).slice(0, n).map((q) => q.id);
}

/** Starts 今日の復習: the due cards, oldest first, then today's new cards. */
export async function startReview(ctx: Context, now = new Date()): Promise<{ sessionId: number }> {
  const { practiceSessions } = ctx.store.tables;
  const queue = await reviewQueue(ctx, now);
  const questionIds = [...queue.due.slice(0, 100).map((d) => d.questionId), ...queue.newCardsToday.questions.map((q) => q.questionId)];
  if (questionIds.length === 0) throw new TRPCError({ code: 'BAD_REQUEST', message: '今日の復習はありません。新しい問題を解くと復習が予定されます。' });
  const chapters = [...new Set(questionIds.map((id) => ctx.bank.byId.get(id)!.chapter))].sort((a, b) => chapterOrder(a) - chapterOrder(b));
  // In a transaction, so a failed commit throws rather than returning the id of a row that is not stored (sessions.ts).
  const [row] = await ctx.store.transaction((tx) =>
    tx.db
      .insert(practiceSessions)
      .values({ learnerId: ctx.learnerId, mode: 'review', chapters, questionIds, order: 'course', seed: newSeed() })
      .returning({ id: practiceSessions.id }),
  );
  return { sessionId: row!.id };
}

export async function setDailyNewCards(ctx: Context, n: number): Promise<{ dailyNewCards: number }> {
  const { learners } = ctx.store.tables;
  await ctx.store.transaction((tx) => tx.db.update(learners).set({ dailyNewCards: n }).where(eq(learners.id, ctx.learnerId)));
  return { dailyNewCards: n };
}

/** Answers of a finished mock exam enter the schedule once the exam ends (answers were revisable until then). */
export async function reviewSessionAnswers(store: Store, learnerId: number, sessionId: number, now: Date, isCode: (questionId: string) => boolean): Promise<void> {
  const { answers } = store.tables;
  // by id: the order they were answered, as SQLite's rowid scan gave them
  const rows = await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)).orderBy(answers.id);
  for (const a of rows) await applyReview(store, learnerId, a.questionId, ratingFor(a.verdict, a.timeSpentMs, isCode(a.questionId)), now, a.id);
}

/** What FSRS predicts about one card now. */
export interface CardMemory {
  /** probability of recalling the answer now (0..1), as ts-fsrs's get_retrievability but over fractional days */
  retrievability: number;
  /** answered right and in the review phase; false while (re)learning after a wrong or partial answer */
  graduated: boolean;
}

/**
 * FSRS's forgetting curve for every card the learner has reviewed (never-reviewed questions are absent). As ts-fsrs's
 * get_retrievability, every state but New has one, learning cards included: right after any answer the learner has
 * just seen the 解説, so recall is near 1, and it falls fast where stability is low (a wrong answer). Elapsed time is
 * counted in fractional days (get_retrievability floors to whole days, which reads 100% all through the first day).
 */
export async function cardMemories(store: Store, learnerId: number, now = new Date()): Promise<Map<string, CardMemory>> {
  const { reviewCards } = store.tables;
  const rows = await store.db.select().from(reviewCards).where(eq(reviewCards.learnerId, learnerId));
  return new Map(
    rows.map((r): [string, CardMemory] => {
      if (r.state === State.New || !r.lastReview) return [r.questionId, { retrievability: 0, graduated: false }];
      const elapsedDays = Math.max(0, (now.getTime() - r.lastReview.getTime()) / 86_400_000);
      return [r.questionId, { retrievability: scheduler.forgetting_curve(elapsedDays, r.stability), graduated: r.state === State.Review }];
    }),
  );
}

/** Retrievability of each of the learner's cards now (0..1). */
export async function retrievabilities(store: Store, learnerId: number, now = new Date()): Promise<Map<string, number>> {
  return new Map([...(await cardMemories(store, learnerId, now))].map(([id, m]) => [id, m.retrievability]));
}

/** What counts towards mastery: a card still (re)learning is not yet remembered, however fresh its last answer. */
export function masteryRetrievabilities(memories: ReadonlyMap<string, CardMemory>): Map<string, number> {
  return new Map([...memories].map(([id, m]) => [id, m.graduated ? m.retrievability : 0]));
}

export type MasteryLevel = 'none' | 'learning' | 'familiar' | 'mastered';
export const MASTERY_LABEL: Record<MasteryLevel, string> = { none: '未学習', learning: '学習中', familiar: '定着しつつある', mastered: '習得' };

/**
 * A chapter's mastery: the mean over all its questions of masteryRetrievabilities (never reviewed or still learning
 * counts 0), so it rises only as more of the chapter is answered right and stays remembered.
 */
export function chapterMastery(questionIds: readonly string[], retrievability: ReadonlyMap<string, number>): { score: number; level: MasteryLevel } {
  if (questionIds.length === 0) return { score: 0, level: 'none' };
  const score = questionIds.reduce((s, id) => s + (retrievability.get(id) ?? 0), 0) / questionIds.length;
  const level: MasteryLevel = score === 0 ? 'none' : score < 0.4 ? 'learning' : score < 0.75 ? 'familiar' : 'mastered';
  return { score, level };
}
