import { isDeepStrictEqual } from 'node:util';
import { TRPCError } from '@trpc/server';
import { and, count, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Answer, CodeAttempt, PracticeSession } from '../../db/schema';
import { acceptedForms, answerKey, gradeAnswer, scoreOfPoints, type AnswerKey } from '../../graders/answers/grade-answer';
import type { CodeFeedback, Graded, Response } from '../../graders/answers/response';
import { chapterOrder, chapterTitle, type ChapterSlug } from '../bank/chapters';
import type { Question } from '../bank/types';
import type { Context } from '../context';
import { filteredPool, type QuestionFilters } from './catalog';
import { deadlineOf, examView, finishIfTimeUp, finishMock, isTimeUp, TIME_UP_MESSAGE, type ExamView } from './mock-exam';
import { codeSeed, newSeed, shuffle } from './random';
import { applyReview, correctRating, ratingFor, ratingsOfAnswers } from './review';
import { startWithQuestions } from './progress';
import { preparedPerDb } from '../../db/prepared';
import type { Store } from '../../db/store';
import { withStore } from './with-store';
import type { Grade } from 'ts-fsrs';

export interface StartInput {
  chapters: ChapterSlug[];
  count: number;
  order: 'course' | 'random';
  filters?: QuestionFilters;
}

export interface ItemResult {
  answerId: number;
  /** the FSRS rating this answer gave the card (the learner may change it); null in a mock exam until it ends */
  rating: Grade | null;
  response: Response;
  verdict: Graded['verdict'];
  score: number;
  feedback: Graded['feedback'];
  key: AnswerKey;
  explanationHtml: string;
  timeSpentMs: number;
}

/** Tries a code item allows in practice before its model answer is shown (CodeRunner's penalty regime, without the penalty). */
export const MAX_CODE_ATTEMPTS = 3;

/** A code item's tries in practice and review (a mock exam has none: its code items are answered with choices). */
export interface CodeAttempts {
  /** tries that counted (a syntax error or a limit hit does not) */
  used: number;
  max: number;
  /** another try is allowed: the session is open, no try was right, the answer was not revealed, fewer than `max` */
  open: boolean;
  /** the learner asked for the model answer (「解答を見る」) */
  revealed: boolean;
  /** each counted try's verdict, in order (the first is the one statistics and FSRS use) */
  verdicts: ('correct' | 'incorrect')[];
  /** the latest try, shown while the learner tries again */
  last: { attempt: number; code: string; feedback: CodeFeedback } | null;
}

export interface SessionItem {
  position: number;
  questionId: string;
  chapter: string;
  chapterTitle: string;
  kind: Question['kind'] | 'removed';
  source: Question['source'] | null;
  forms: Response['type'][];
  promptHtml: string;
  choices: { id: string; html: string }[] | null;
  unit: string | null;
  /**
   * null until answered (and, in a mock exam, until it is finished; for a code item in practice, while it may be
   * tried again): the key never reaches the client before.
   */
  result: ItemResult | null;
  /** code items: what the editor and the browser grader need (the seed makes the cases reproducible) */
  code: { kind: 'code' | 'function'; template: string; graderKey: string; seed: number } | null;
  /** the right answer and 解説 of a question left unanswered when the session ended */
  solution: { key: AnswerKey; explanationHtml: string } | null;
  answered: boolean;
  /** a mock exam before its end: the learner's saved answer (without its verdict), so it can be shown and changed */
  savedResponse: Response | null;
  /** code items outside a mock exam: the tries so far; null otherwise */
  attempts: CodeAttempts | null;
}

/**
 * What answering changes in an item: the reply to an answer, merged by the client into the item it shows (the prompt
 * and choices it already has are not sent again: they were most of the reply's bytes).
 */
// `attempts` is optional: a mock exam's replies (which have none) may leave it out.
export type AnsweredItem = Pick<SessionItem, 'position' | 'questionId' | 'answered' | 'result' | 'savedResponse'> & Partial<Pick<SessionItem, 'attempts'>>;

export function answeredView(item: SessionItem): AnsweredItem {
  const answered = { position: item.position, questionId: item.questionId, answered: item.answered, result: item.result, savedResponse: item.savedResponse };
  return item.attempts ? { ...answered, attempts: item.attempts } : answered;
}

export interface SessionView {
  id: number;
  mode: PracticeSession['mode'];
  order: PracticeSession['order'];
  chapters: string[];
  total: number;
  answeredCount: number;
  /** first unanswered position; equals total when every question is answered */
  currentPosition: number;
  /** mean score over all questions (a mock exam's result) */
  score: number;
  correctCount: number;
  partialCount: number;
  /** mean score over the answered questions (partial answers count as partial); null when none is answered */
  answeredScore: number | null;
  startedAt: number;
  finishedAt: number | null;
  items: SessionItem[];
  /** mock exams: the server's timer, the flags and, after the end, the result; null for other modes */
  exam: ExamView | null;
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'セッションが見つかりません。' });

/** Picks `count` questions of the chapters (a seeded draw), ordered as the course or shuffled. */
export function drawQuestions(pool: Question[], count: number, order: StartInput['order'], seed: number): string[] {
  const drawn = shuffle(pool, seed).slice(0, count);
  if (order === 'random') return drawn.map((q) => q.id);
  const rank = new Map(pool.map((q, i) => [q.id, i]));
  return drawn.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0)).map((q) => q.id);
}

export async function startSession(ctx: Context, input: StartInput): Promise<{ sessionId: number }> {
  const { practiceSessions } = ctx.store.tables;
  const chapters = [...new Set(input.chapters)].sort((a, b) => chapterOrder(a) - chapterOrder(b));
  const filters = input.filters ?? {};
  const pool = await filteredPool(ctx, chapters, filters);
  if (pool.length === 0) {
    const filtered = (filters.kinds?.length ?? 0) > 0 || (filters.sources?.length ?? 0) > 0 || (filters.status ?? 'all') !== 'all';
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: filtered ? '条件に合う問題がありません。絞り込みを緩めてください。' : '選んだ章にはまだ問題がありません。別の章を選んでください。',
    });
  }
  const seed = newSeed();
  const questionIds = drawQuestions(pool, input.count, input.order, seed);
  // In a transaction: a commit that fails (disk full) throws here, so no id is returned for a row that is not stored.
  // (Outside one, SQLite's INSERT … RETURNING hands back the id and then drops the autocommit's error.)
  const [row] = await ctx.store.transaction((tx) =>
    tx.db
      .insert(practiceSessions)
      .values({ learnerId: ctx.learnerId, mode: 'practice', chapters, questionIds, order: input.order, seed })
      .returning({ id: practiceSessions.id }),
  );
  return { sessionId: row!.id };
}

/** The statements every answer runs, prepared once. */
const answerStatements = preparedPerDb((db, { answers, practiceSessions }) => {
  const p = (name: string) => sql.placeholder(name);
  return {
    ownSession: db
      .select()
      .from(practiceSessions)
      .where(and(eq(practiceSessions.id, p('sessionId')), eq(practiceSessions.learnerId, p('learnerId'))))
      .prepare('own_session'),
    /** practice and review: a question of a session is answered once (the unique index refuses a second) */
    insertOnce: db
      .insert(answers)
      .values({
        sessionId: p('sessionId'),
        learnerId: p('learnerId'),
        questionId: p('questionId'),
        questionHash: p('questionHash'),
        position: p('position'),
        response: p('response'),
        verdict: p('verdict'),
        score: p('score'),
        feedback: p('feedback'),
        seed: p('seed'),
        timeSpentMs: p('timeSpentMs'),
        createdAt: p('createdAt'),
        requestId: p('requestId'),
      })
      .onConflictDoNothing()
      .returning()
      .prepare('insert_answer_once'),
  };
});

export async function loadOwnSession(ctx: Context, sessionId: number): Promise<PracticeSession> {
  const [session] = await answerStatements(ctx.store).ownSession.execute({ sessionId, learnerId: ctx.learnerId });
  if (!session) throw notFound();
  return session;
}

function resultOf(q: Question, a: Answer, rating: Grade | null): ItemResult {
  return {
    answerId: a.id,
    rating,
    response: a.response as Response,
    verdict: a.verdict,
    score: a.score,
    feedback: a.feedback as Graded['feedback'],
    key: answerKey(q),
    explanationHtml: q.html.explanation,
    timeSpentMs: a.timeSpentMs,
  };
}

/** The counted tries at a code item of a session, in order. */
export function codeAttemptRows(store: Store, sessionId: number, questionId: string): Promise<CodeAttempt[]> {
  const { codeAttempts } = store.tables;
  return store.db
    .select()
    .from(codeAttempts)
    .where(and(eq(codeAttempts.sessionId, sessionId), eq(codeAttempts.questionId, questionId)))
    .orderBy(codeAttempts.attempt);
}

/** A code item's tries as the learner sees them; null in a mock exam, and for an item answered with a choice. */
export function codeAttemptsView(session: PracticeSession, answer: Answer | undefined, rows: readonly CodeAttempt[]): CodeAttempts | null {
  if (session.mode === 'mock') return null;
  const base = { max: MAX_CODE_ATTEMPTS, revealed: false, verdicts: [], last: null };
  if (!answer) return { ...base, used: 0, open: session.finishedAt === null };
  if ((answer.response as Response).type !== 'code') return null;
  const last = rows.at(-1);
  // An answer stored before tries were kept has no rows: it stays final, as it was then.
  const solved = answer.verdict === 'correct' || rows.some((r) => r.verdict === 'correct');
  const revealed = answer.revealedAt !== null;
  return {
    max: MAX_CODE_ATTEMPTS,
    used: Math.max(rows.length, 1),
    open: rows.length > 0 && rows.length < MAX_CODE_ATTEMPTS && !solved && !revealed && session.finishedAt === null,
    revealed,
    verdicts: rows.length > 0 ? rows.map((r) => r.verdict) : [answer.verdict === 'correct' ? 'correct' : 'incorrect'],
    last: last ? { attempt: last.attempt, code: last.code, feedback: (last.feedback as { code: CodeFeedback }).code } : null,
  };
}

/**
 * One question of a session as the learner sees it. `ratings` (answer id → rating) and `tries` (a code item's
 * counted tries) save a query per answer.
 */
export async function itemView(
  ctx: Context,
  session: PracticeSession,
  position: number,
  questionId: string,
  answer?: Answer,
  ratings?: ReadonlyMap<number, Grade>,
  tries?: readonly CodeAttempt[],
): Promise<SessionItem> {
  const q = ctx.bank.byId.get(questionId);
  const isCode = q?.kind === 'code' || q?.kind === 'function';
  const attempts = isCode ? codeAttemptsView(session, answer, answer && !tries ? await codeAttemptRows(ctx.store, session.id, questionId) : (tries ?? [])) : null;
  // Practice and review show the verdict at once (a code item once it may not be tried again); a mock exam only once it has ended.
  const reveal = answer !== undefined && (session.mode !== 'mock' || session.finishedAt !== null) && !attempts?.open;
  const savedResponse = answer !== undefined && session.mode === 'mock' && !reveal ? (answer.response as Response) : null;
  if (!q) {
    return {
      position, questionId, chapter: '', chapterTitle: '', kind: 'removed', source: null, forms: [],
      promptHtml: '<p>この問題は問題バンクから削除されました。</p>', choices: null, unit: null, result: null, solution: null, code: null,
      answered: answer !== undefined, savedResponse, attempts: null,
    };
  }
  const rating = reveal && answer ? ((ratings ?? (await ratingsOfAnswers(ctx.store, [answer.id]))).get(answer.id) ?? null) : null;
  return {
    position,
    questionId,
    chapter: q.chapter,
    chapterTitle: chapterTitle(q.chapter),
    kind: q.kind,
    source: q.source,
    // An exam has no editor: a code item is answered with its choices.
    forms: session.mode === 'mock' ? acceptedForms(q).filter((f) => f !== 'code') : acceptedForms(q),
    promptHtml: q.html.prompt,
    choices:
      (q.kind === 'choice' || q.kind === 'multi' || q.kind === 'code') && q.choices
        ? q.choices.map((c) => ({ id: c.id, html: q.html.choices[c.id] ?? '' }))
        : null,
    code: q.kind === 'code' || q.kind === 'function' ? { kind: q.kind, template: q.template, graderKey: q.grader ?? q.id, seed: codeSeed(session.seed, q.id) } : null,
    unit: q.kind === 'numeric' ? (q.unit ?? null) : null,
    result: reveal && answer ? resultOf(q, answer, rating) : null,
    solution: !answer && session.finishedAt !== null ? { key: answerKey(q), explanationHtml: q.html.explanation } : null,
    answered: answer !== undefined,
    savedResponse,
    attempts,
  };
}

/** The session as the learner sees it. Reading a mock exam whose time is up ends it (finishedAt = the deadline). */
export async function getSession(ctx: Context, sessionId: number, now = new Date()): Promise<SessionView> {
  const { answers, codeAttempts } = ctx.store.tables;
  const session = await finishIfTimeUp(ctx, await loadOwnSession(ctx, sessionId), now);
  // by position: the order the answers are shown and summed in, whichever store returns them
  const rows = await ctx.store.db.select().from(answers).where(eq(answers.sessionId, session.id)).orderBy(answers.position);
  const byQuestion = new Map(rows.map((a) => [a.questionId, a]));
  const ratings = await ratingsOfAnswers(ctx.store, rows.map((a) => a.id));
  const tries = new Map<string, CodeAttempt[]>();
  if (session.mode !== 'mock') {
    const all = await ctx.store.db.select().from(codeAttempts).where(eq(codeAttempts.sessionId, session.id)).orderBy(codeAttempts.attempt);
    for (const t of all) tries.set(t.questionId, [...(tries.get(t.questionId) ?? []), t]);
  }
  const items: SessionItem[] = [];
  for (const [i, id] of session.questionIds.entries()) items.push(await itemView(ctx, session, i, id, byQuestion.get(id), ratings, tries.get(id) ?? []));
  const firstOpen = items.findIndex((item) => !item.answered && item.kind !== 'removed');
  const total = session.questionIds.length;
  const scoreSum = rows.reduce((s, a) => s + a.score, 0);
  // A mock exam tells nothing of its verdicts before the end, not even the count.
  const hidden = session.mode === 'mock' && session.finishedAt === null;
  return {
    id: session.id,
    mode: session.mode,
    order: session.order,
    chapters: session.chapters,
    total,
    answeredCount: rows.length,
    currentPosition: firstOpen === -1 ? total : firstOpen,
    score: hidden || total === 0 ? 0 : scoreSum / total,
    correctCount: hidden ? 0 : rows.filter((a) => a.verdict === 'correct').length,
    partialCount: hidden ? 0 : rows.filter((a) => a.verdict === 'partial').length,
    answeredScore: hidden || rows.length === 0 ? null : scoreSum / rows.length,
    startedAt: session.startedAt.getTime(),
    finishedAt: session.finishedAt?.getTime() ?? null,
    items,
    exam: await examView(ctx, session, rows, now),
  };
}

export interface AnswerInput {
  sessionId: number;
  questionId: string;
  response: Response;
  timeSpentMs: number;
  /** the client's id of this save, the same on its retries (see recordAnswer) */
  requestId?: string;
}

/**
 * The session and question an answer is for, checked: the learner's own, unfinished session that has it and, for a
 * mock exam, before its deadline (a mock exam found past its deadline is ended here, and nothing else is written).
 */
export async function openQuestion(ctx: Context, sessionId: number, questionId: string, now = new Date()): Promise<{ session: PracticeSession; position: number; q: Question }> {
  const session = await loadOwnSession(ctx, sessionId);
  const endedEarly = session.finishedAt !== null && session.finishedAt.getTime() < (deadlineOf(session)?.getTime() ?? Infinity);
  if (isTimeUp(session, now) && !endedEarly) {
    await finishIfTimeUp(ctx, session, now);
    throw new TRPCError({ code: 'BAD_REQUEST', message: TIME_UP_MESSAGE });
  }
  if (session.finishedAt) throw new TRPCError({ code: 'BAD_REQUEST', message: 'このセッションは終了しています。' });
  const position = session.questionIds.indexOf(questionId);
  if (position === -1) throw new TRPCError({ code: 'BAD_REQUEST', message: 'この問題はこのセッションに含まれていません。' });
  const q = ctx.bank.byId.get(questionId);
  if (!q) throw new TRPCError({ code: 'BAD_REQUEST', message: 'この問題は問題バンクから削除されました。' });
  return { session, position, q };
}

/**
 * The same response, whatever the order of its keys (PostgreSQL's jsonb hands a stored response back with its keys
 * reordered); arrays keep their order: a retry sends the very same one.
 */
export function sameResponse(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

/**
 * Records a graded answer. Practice and review: once; a second answer to the same question of a session is refused,
 * unless it is the same response again: a retry of an answer whose reply was lost (its node died after COMMIT, the
 * network failed), maybe sent to another node, gets the stored result and changes nothing.
 * Mock exam: answering again replaces the stored answer, and the time spent on the question adds up, except on a retry
 * of the save stored last (same `requestId`), which adds nothing.
 */
export async function recordAnswer(
  ctx: Context,
  opened: { session: PracticeSession; position: number; q: Question },
  answer: { response: Response; graded: Graded; timeSpentMs: number; seed?: number; requestId?: string },
): Promise<AnsweredItem> {
  const { answers } = ctx.store.tables;
  const { session, position, q } = opened;
  const now = new Date();
  const timeSpentMs = Math.round(Math.min(Math.max(answer.timeSpentMs, 0), 86_400_000));
  const values = {
    sessionId: session.id,
    learnerId: ctx.learnerId,
    questionId: q.id,
    questionHash: q.contentHash,
    position,
    response: answer.response,
    verdict: answer.graded.verdict,
    score: answer.graded.score,
    feedback: answer.graded.feedback,
    seed: answer.seed ?? null,
    timeSpentMs,
    createdAt: now,
    requestId: answer.requestId ?? null,
  };
  if (session.mode === 'mock') {
    if (answer.response.type === 'code') throw new TRPCError({ code: 'BAD_REQUEST', message: '模擬試験ではコードの問題も選択肢で答えます。' });
    const [row] = await ctx.store.db
      .insert(answers)
      .values(values)
      .onConflictDoUpdate({
        target: [answers.sessionId, answers.questionId],
        set: {
          questionHash: q.contentHash,
          response: answer.response,
          verdict: answer.graded.verdict,
          score: answer.graded.score,
          feedback: answer.graded.feedback,
          seed: answer.seed ?? null,
          // A retry is told by the client's request id, not guessed from the stored row: the same response with the
          // same time may well be two real saves (a pick, another pick, back to the first), and a window of time
          // would be arbitrary. The id is random per save and kept by the client for that save's retries (with the
          // same time spent), so the row's id equal to the request's means this very save is stored already: its
          // time is not added again. NULL (a client that sends none) never equals anything: the time adds up.
          timeSpentMs: sql`case when ${answers.requestId} = excluded.request_id then ${answers.timeSpentMs} else ${ctx.store.sql.least(sql`${answers.timeSpentMs} + excluded.time_spent_ms`, 86_400_000)} end`,
          requestId: answer.requestId ?? null,
          createdAt: now,
        },
      })
      .returning();
    return answeredView(await itemView(ctx, session, position, q.id, row));
  }
  let rating: Grade | undefined;
  const written = await ctx.store.transaction(async (tx) => {
    // Prepared on the transaction's store: its connection, so inside this transaction.
    const [row] = await answerStatements(tx).insertOnce.execute(values);
    // Practice and review answers schedule the card at once; a mock exam's answers when the exam ends (finishMock).
    if (row) {
      rating = ratingFor(row.verdict, row.timeSpentMs, q.kind === 'code' || q.kind === 'function');
      await applyReview(tx, ctx.learnerId, q.id, rating, now, row.id);
      return { inserted: row };
    }
    // Already answered. A later statement: on PostgreSQL the insert above waited for a concurrent one to commit, and
    // this read (read committed) sees its row.
    const [stored] = await tx.db.select().from(answers).where(and(eq(answers.sessionId, session.id), eq(answers.questionId, q.id)));
    return { stored };
  });
  if (written.inserted) return answeredView(await itemView(ctx, session, position, q.id, written.inserted, new Map([[written.inserted.id, rating!]])));
  // The stored answer's own verdict, score and rating (its review was applied then, once), not a regrade.
  if (written.stored && sameResponse(written.stored.response, answer.response)) return answeredView(await itemView(ctx, session, position, q.id, written.stored));
  throw new TRPCError({ code: 'CONFLICT', message: 'この問題にはすでに回答しています。' });
}

/**
 * Runs an answer's checks and writes in the next group commit (db/group-commit.ts) and resolves once it is committed.
 * `work` gets the context on the group's transaction and must use it. A refusal (TRPCError) keeps what was written
 * before it (a mock exam found past its deadline stays ended) and rejects after the commit; any other error rolls the
 * answer's writes back.
 */
export async function commitAnswer<T>(ctx: Context, work: (ctx: Context) => Promise<T>): Promise<T> {
  const outcome = await ctx.store.grouped(async (tx) => {
    try {
      return { done: await work(withStore(ctx, tx)) };
    } catch (error) {
      if (error instanceof TRPCError) return { refused: error };
      throw error;
    }
  });
  if ('refused' in outcome) throw outcome.refused;
  return outcome.done;
}

/** Grades and records one answer. A format error (unreadable number, empty text) records nothing. */
export function answerQuestion(ctx: Context, input: AnswerInput): Promise<AnsweredItem> {
  return commitAnswer(ctx, async (ctx) => {
    const opened = await openQuestion(ctx, input.sessionId, input.questionId);
    if (input.response.type === 'code') throw new TRPCError({ code: 'BAD_REQUEST', message: 'コードは「提出」から採点してください。' });
    const outcome = gradeAnswer(opened.q, input.response);
    if (!outcome.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: outcome.message });
    return recordAnswer(ctx, opened, { response: input.response, graded: outcome.graded, timeSpentMs: input.timeSpentMs, requestId: input.requestId });
  });
}

/** Ends a session. A mock exam ends at the deadline at the latest, and its answers then enter the review schedule. */
export async function finishSession(ctx: Context, sessionId: number, now = new Date()): Promise<SessionView> {
  const { practiceSessions } = ctx.store.tables;
  const session = await loadOwnSession(ctx, sessionId);
  if (!session.finishedAt && session.mode === 'mock') {
    const deadline = deadlineOf(session);
    await finishMock(ctx, session, deadline && deadline.getTime() < now.getTime() ? deadline : now, now);
  } else if (!session.finishedAt) {
    await ctx.store.transaction((tx) =>
      tx.db
        .update(practiceSessions)
        .set({ finishedAt: new Date() })
        .where(and(eq(practiceSessions.id, session.id), isNull(practiceSessions.finishedAt))),
    );
  }
  return getSession(ctx, sessionId, now);
}

/**
 * 「破棄」: the learner gives up an unfinished practice or review session. It is marked discarded and ended, not deleted:
 * the answers already given were graded then and feed the statistics and the FSRS schedule (deleting them would rewrite
 * the learner's history and leave review logs pointing at nothing). A running mock exam is not discarded: it ends by
 * itself at its deadline, and 終了 hands it in. Discarding twice is harmless; a session that ended normally is refused.
 */
export async function discardSession(ctx: Context, sessionId: number, now = new Date()): Promise<{ sessionId: number; discardedAt: number }> {
  const { practiceSessions } = ctx.store.tables;
  const session = await loadOwnSession(ctx, sessionId);
  if (session.discardedAt) return { sessionId, discardedAt: session.discardedAt.getTime() };
  if (session.mode === 'mock') throw new TRPCError({ code: 'BAD_REQUEST', message: '模擬試験は破棄できません。試験を終了するか、制限時間まで待ってください。' });
  if (session.finishedAt) throw new TRPCError({ code: 'BAD_REQUEST', message: 'このセッションはすでに終了しているため、破棄できません。' });
  // Conditional on still being open, so a finish racing this call keeps its result.
  const [updated] = await ctx.store.transaction((tx) =>
    tx.db
      .update(practiceSessions)
      .set({ finishedAt: now, discardedAt: now })
      .where(and(eq(practiceSessions.id, session.id), isNull(practiceSessions.finishedAt)))
      .returning({ id: practiceSessions.id }),
  );
  if (!updated) throw new TRPCError({ code: 'BAD_REQUEST', message: 'このセッションはすでに終了しているため、破棄できません。' });
  return { sessionId, discardedAt: now.getTime() };
}

/** Marks a question of a mock exam 「見直し」 (or clears the mark); refused after the deadline like an answer. */
export async function flagQuestion(ctx: Context, input: { sessionId: number; questionId: string; flagged: boolean }, now = new Date()): Promise<{ flagged: string[] }> {
  const { practiceSessions } = ctx.store.tables;
  const { session, q } = await openQuestion(ctx, input.sessionId, input.questionId, now);
  return ctx.store.transaction(async (tx) => {
    const [row] = await tx.db.select({ flagged: practiceSessions.flagged }).from(practiceSessions).where(eq(practiceSessions.id, session.id));
    const current = row?.flagged ?? [];
    const rest = current.filter((id) => id !== q.id);
    // Kept in the session's question order.
    const flagged = session.questionIds.filter((id) => rest.includes(id) || (input.flagged && id === q.id));
    await tx.db.update(practiceSessions).set({ flagged }).where(eq(practiceSessions.id, session.id));
    return { flagged };
  });
}

export interface SessionSummaryRow {
  id: number;
  mode: PracticeSession['mode'];
  chapters: string[];
  total: number;
  answeredCount: number;
  startedAt: number;
  finishedAt: number | null;
  /** set when the learner discarded the session (finishedAt is then set too) */
  discardedAt: number | null;
}

/**
 * The learner's recent sessions, newest first (unfinished ones are offered for resuming). `unfinished`: only sessions
 * not ended, so older open ones still show when the recent ones are finished or discarded.
 */
export async function listSessions(ctx: Context, limit: number, options: { unfinished?: boolean } = {}): Promise<SessionSummaryRow[]> {
  const { answers, practiceSessions } = ctx.store.tables;
  const latest = await ctx.store.db
    .select()
    .from(practiceSessions)
    .where(and(eq(practiceSessions.learnerId, ctx.learnerId), options.unfinished ? isNull(practiceSessions.finishedAt) : undefined))
    .orderBy(desc(practiceSessions.startedAt), desc(practiceSessions.id))
    .limit(limit);
  const rows: PracticeSession[] = [];
  for (const s of latest) rows.push(await finishIfTimeUp(ctx, s)); // a mock exam past its deadline is over, not "in progress"
  const ids = rows.map((s) => s.id);
  const counts = new Map(
    ids.length === 0
      ? []
      : (
          await ctx.store.db
            .select({ sessionId: answers.sessionId, n: count() })
            .from(answers)
            .where(inArray(answers.sessionId, ids))
            .groupBy(answers.sessionId)
        ).map((r) => [r.sessionId, r.n] as const),
  );
  return rows.map((s) => ({
    id: s.id,
    mode: s.mode,
    chapters: s.chapters,
    total: s.questionIds.length,
    answeredCount: counts.get(s.id) ?? 0,
    startedAt: s.startedAt.getTime(),
    finishedAt: s.finishedAt?.getTime() ?? null,
    discardedAt: s.discardedAt?.getTime() ?? null,
  }));
}

/**
 * 「間違えた問題をもう一度」: a new practice session of the questions this session's answers got wrong or partly right
 * (a code item by its first try, the one that counts), still in the bank.
 */
export async function retryWrong(ctx: Context, sessionId: number): Promise<{ sessionId: number }> {
  const { answers } = ctx.store.tables;
  const session = await loadOwnSession(ctx, sessionId);
  if (session.mode === 'mock' && session.finishedAt === null) throw new TRPCError({ code: 'BAD_REQUEST', message: 'この模擬試験はまだ終わっていません。' });
  const wrong = new Set(
    (await ctx.store.db.select({ questionId: answers.questionId, verdict: answers.verdict }).from(answers).where(eq(answers.sessionId, session.id)))
      .filter((a) => a.verdict !== 'correct' && ctx.bank.byId.has(a.questionId))
      .map((a) => a.questionId),
  );
  if (wrong.size === 0) throw new TRPCError({ code: 'BAD_REQUEST', message: 'このセッションに間違えた問題はありません。' });
  return startWithQuestions(ctx, session.questionIds.filter((id) => wrong.has(id)));
}

/**
 * Self-assessment of a written answer: the learner confirms which rubric points it covers (the automatic match only
 * pre-ticked them, as a guide). The answer's score and verdict become the weighted share of the confirmed points, and
 * its FSRS rating is set from that verdict as the learner's own correction would be (review.correctRating recomputes
 * the card from its state before this answer). Confirming again replaces the confirmation; the automatic score is kept
 * as `autoScore`. A mock exam is confirmed once it has ended, on its result page.
 */
export function confirmWritten(ctx: Context, input: { answerId: number; met: boolean[] }): Promise<{ sessionId: number; item: AnsweredItem }> {
  return commitAnswer(ctx, async (ctx) => {
    const { answers } = ctx.store.tables;
    const [row] = await ctx.store.db.select().from(answers).where(and(eq(answers.id, input.answerId), eq(answers.learnerId, ctx.learnerId)));
    if (!row) throw new TRPCError({ code: 'NOT_FOUND', message: 'この回答が見つかりません。' });
    const feedback = row.feedback as Graded['feedback'];
    const rubric = feedback?.rubric;
    if ((row.response as Response).type !== 'written' || !feedback || !rubric) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: '記述式の回答ではないため、自己採点はできません。' });
    }
    const session = await loadOwnSession(ctx, row.sessionId);
    if (session.mode === 'mock' && session.finishedAt === null) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: '模擬試験の記述の自己採点は、試験の終了後に結果画面で行えます。' });
    }
    if (input.met.length !== rubric.length) {
      throw new TRPCError({ code: 'BAD_REQUEST', message: '採点の観点の数が合いません。ページを読み込み直してください。' });
    }
    const { score, verdict } = scoreOfPoints(rubric, input.met);
    const confirmed = { ...feedback, selfAssessment: { met: input.met, autoScore: feedback.selfAssessment?.autoScore ?? row.score, at: Date.now() } };
    const [updated] = await ctx.store.db.update(answers).set({ score, verdict, feedback: confirmed }).where(eq(answers.id, row.id)).returning();
    try {
      // in a savepoint: a refusal rolls back only what it wrote, the score change stays
      await ctx.store.transaction((tx) => correctRating(withStore(ctx, tx), row.id, ratingFor(verdict, row.timeSpentMs, false)));
    } catch (error) {
      // Answered again since (or no review yet): the later review keeps the card; the answer's score still changes.
      if (!(error instanceof TRPCError)) throw error;
    }
    return { sessionId: session.id, item: answeredView(await itemView(ctx, session, row.position, row.questionId, updated)) };
  });
}
