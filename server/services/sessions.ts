import { TRPCError } from '@trpc/server';
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { answers, practiceSessions, type Answer, type PracticeSession } from '../../db/schema';
import { acceptedForms, answerKey, gradeAnswer, type AnswerKey } from '../../graders/answers/grade-answer';
import type { Graded, Response } from '../../graders/answers/response';
import { chapterOrder, chapterTitle, type ChapterSlug } from '../bank/chapters';
import type { Question } from '../bank/types';
import type { Context } from '../context';
import { filteredPool, type QuestionFilters } from './catalog';
import { codeSeed, newSeed, shuffle } from './random';
import { applyReview, ratingFor, ratingOfAnswer } from './review';
import type { Db } from '../../db/client';
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
  /** null until answered (and, in a mock exam, until it is finished): the key never reaches the client before. */
  result: ItemResult | null;
  /** code items: what the editor and the browser grader need (the seed makes the cases reproducible) */
  code: { kind: 'code' | 'function'; template: string; graderKey: string; seed: number } | null;
  /** the right answer and 解説 of a question left unanswered when the session ended */
  solution: { key: AnswerKey; explanationHtml: string } | null;
  answered: boolean;
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
  score: number;
  correctCount: number;
  startedAt: number;
  finishedAt: number | null;
  items: SessionItem[];
}

const notFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'セッションが見つかりません。' });

/** Picks `count` questions of the chapters (a seeded draw), ordered as the course or shuffled. */
export function drawQuestions(pool: Question[], count: number, order: StartInput['order'], seed: number): string[] {
  const drawn = shuffle(pool, seed).slice(0, count);
  if (order === 'random') return drawn.map((q) => q.id);
  const rank = new Map(pool.map((q, i) => [q.id, i]));
  return drawn.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0)).map((q) => q.id);
}

export function startSession(ctx: Context, input: StartInput): { sessionId: number } {
  const chapters = [...new Set(input.chapters)].sort((a, b) => chapterOrder(a) - chapterOrder(b));
  const filters = input.filters ?? {};
  const pool = filteredPool(ctx, chapters, filters);
  if (pool.length === 0) {
    const filtered = (filters.kinds?.length ?? 0) > 0 || (filters.sources?.length ?? 0) > 0 || (filters.status ?? 'all') !== 'all';
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: filtered ? '条件に合う問題がありません。絞り込みを緩めてください。' : '選んだ章にはまだ問題がありません。別の章を選んでください。',
    });
  }
  const seed = newSeed();
  const questionIds = drawQuestions(pool, input.count, input.order, seed);
  const row = ctx.db
    .insert(practiceSessions)
    .values({ learnerId: ctx.learnerId, mode: 'practice', chapters, questionIds, order: input.order, seed })
    .returning({ id: practiceSessions.id })
    .get();
  return { sessionId: row.id };
}

function loadOwnSession(ctx: Context, sessionId: number): PracticeSession {
  const session = ctx.db
    .select()
    .from(practiceSessions)
    .where(and(eq(practiceSessions.id, sessionId), eq(practiceSessions.learnerId, ctx.learnerId)))
    .get();
  if (!session) throw notFound();
  return session;
}

function resultOf(ctx: Context, q: Question, a: Answer): ItemResult {
  return {
    answerId: a.id,
    rating: ratingOfAnswer(ctx.db, a.id),
    response: a.response as Response,
    verdict: a.verdict,
    score: a.score,
    feedback: a.feedback as Graded['feedback'],
    key: answerKey(q),
    explanationHtml: q.html.explanation,
    timeSpentMs: a.timeSpentMs,
  };
}

export function itemView(ctx: Context, session: PracticeSession, position: number, questionId: string, answer?: Answer): SessionItem {
  const q = ctx.bank.byId.get(questionId);
  const reveal = answer !== undefined && (session.mode === 'practice' || session.finishedAt !== null);
  if (!q) {
    return {
      position, questionId, chapter: '', chapterTitle: '', kind: 'removed', source: null, forms: [],
      promptHtml: '<p>この問題は問題バンクから削除されました。</p>', choices: null, unit: null, result: null, solution: null, code: null,
      answered: answer !== undefined,
    };
  }
  return {
    position,
    questionId,
    chapter: q.chapter,
    chapterTitle: chapterTitle(q.chapter),
    kind: q.kind,
    source: q.source,
    forms: acceptedForms(q),
    promptHtml: q.html.prompt,
    choices:
      (q.kind === 'choice' || q.kind === 'multi' || q.kind === 'code') && q.choices
        ? q.choices.map((c) => ({ id: c.id, html: q.html.choices[c.id] ?? '' }))
        : null,
    code: q.kind === 'code' || q.kind === 'function' ? { kind: q.kind, template: q.template, graderKey: q.grader ?? q.id, seed: codeSeed(session.seed, q.id) } : null,
    unit: q.kind === 'numeric' ? (q.unit ?? null) : null,
    result: reveal && answer ? resultOf(ctx, q, answer) : null,
    solution: !answer && session.finishedAt !== null ? { key: answerKey(q), explanationHtml: q.html.explanation } : null,
    answered: answer !== undefined,
  };
}

export function getSession(ctx: Context, sessionId: number): SessionView {
  const session = loadOwnSession(ctx, sessionId);
  const rows = ctx.db.select().from(answers).where(eq(answers.sessionId, session.id)).all();
  const byQuestion = new Map(rows.map((a) => [a.questionId, a]));
  const items = session.questionIds.map((id, i) => itemView(ctx, session, i, id, byQuestion.get(id)));
  const firstOpen = items.findIndex((item) => !item.answered && item.kind !== 'removed');
  const total = session.questionIds.length;
  const scoreSum = rows.reduce((s, a) => s + a.score, 0);
  return {
    id: session.id,
    mode: session.mode,
    order: session.order,
    chapters: session.chapters,
    total,
    answeredCount: rows.length,
    currentPosition: firstOpen === -1 ? total : firstOpen,
    score: total > 0 ? scoreSum / total : 0,
    correctCount: rows.filter((a) => a.verdict === 'correct').length,
    startedAt: session.startedAt.getTime(),
    finishedAt: session.finishedAt?.getTime() ?? null,
    items,
  };
}

export interface AnswerInput {
  sessionId: number;
  questionId: string;
  response: Response;
  timeSpentMs: number;
}

/** The session and question an answer is for, checked: the learner's own, unfinished session that has it. */
export function openQuestion(ctx: Context, sessionId: number, questionId: string): { session: PracticeSession; position: number; q: Question } {
  const session = loadOwnSession(ctx, sessionId);
  if (session.finishedAt) throw new TRPCError({ code: 'BAD_REQUEST', message: 'このセッションは終了しています。' });
  const position = session.questionIds.indexOf(questionId);
  if (position === -1) throw new TRPCError({ code: 'BAD_REQUEST', message: 'この問題はこのセッションに含まれていません。' });
  const q = ctx.bank.byId.get(questionId);
  if (!q) throw new TRPCError({ code: 'BAD_REQUEST', message: 'この問題は問題バンクから削除されました。' });
  return { session, position, q };
}

/** Records a graded answer once; a second answer to the same question of a session is refused. */
export function recordAnswer(
  ctx: Context,
  opened: { session: PracticeSession; position: number; q: Question },
  answer: { response: Response; graded: Graded; timeSpentMs: number; seed?: number },
): SessionItem {
  const { session, position, q } = opened;
  const now = new Date();
  const inserted = ctx.db.transaction((tx) => {
    const row = tx
      .insert(answers)
      .values({
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
        timeSpentMs: Math.round(Math.min(Math.max(answer.timeSpentMs, 0), 86_400_000)),
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning()
      .get();
    // Practice and review answers schedule the card at once; a mock exam's answers when the exam ends.
    if (row && session.mode !== 'mock') {
      applyReview(tx as unknown as Db, ctx.learnerId, q.id, ratingFor(row.verdict, row.timeSpentMs, q.kind === 'code' || q.kind === 'function'), now, row.id);
    }
    return row;
  });
  if (!inserted) throw new TRPCError({ code: 'CONFLICT', message: 'この問題にはすでに回答しています。' });
  return itemView(ctx, session, position, q.id, inserted);
}

/** Grades and records one answer. A format error (unreadable number, empty text) records nothing. */
export function answerQuestion(ctx: Context, input: AnswerInput): SessionItem {
  const opened = openQuestion(ctx, input.sessionId, input.questionId);
  if (input.response.type === 'code') throw new TRPCError({ code: 'BAD_REQUEST', message: 'コードは「提出」から採点してください。' });
  const outcome = gradeAnswer(opened.q, input.response);
  if (!outcome.ok) throw new TRPCError({ code: 'BAD_REQUEST', message: outcome.message });
  return recordAnswer(ctx, opened, { response: input.response, graded: outcome.graded, timeSpentMs: input.timeSpentMs });
}

export function finishSession(ctx: Context, sessionId: number): SessionView {
  const session = loadOwnSession(ctx, sessionId);
  if (!session.finishedAt) {
    ctx.db
      .update(practiceSessions)
      .set({ finishedAt: new Date() })
      .where(and(eq(practiceSessions.id, session.id), isNull(practiceSessions.finishedAt)))
      .run();
  }
  return getSession(ctx, sessionId);
}

export interface SessionSummaryRow {
  id: number;
  chapters: string[];
  total: number;
  answeredCount: number;
  startedAt: number;
  finishedAt: number | null;
}

/** The learner's recent sessions, newest first (unfinished ones are offered for resuming). */
export function listSessions(ctx: Context, limit: number): SessionSummaryRow[] {
  const rows = ctx.db
    .select()
    .from(practiceSessions)
    .where(eq(practiceSessions.learnerId, ctx.learnerId))
    .orderBy(desc(practiceSessions.startedAt), desc(practiceSessions.id))
    .limit(limit)
    .all();
  const ids = rows.map((s) => s.id);
  const counts = new Map(
    ids.length === 0
      ? []
      : ctx.db
          .select({ sessionId: answers.sessionId, n: count() })
          .from(answers)
          .where(inArray(answers.sessionId, ids))
          .groupBy(answers.sessionId)
          .all()
          .map((r) => [r.sessionId, r.n] as const),
  );
  return rows.map((s) => ({
    id: s.id,
    chapters: s.chapters,
    total: s.questionIds.length,
    answeredCount: counts.get(s.id) ?? 0,
    startedAt: s.startedAt.getTime(),
    finishedAt: s.finishedAt?.getTime() ?? null,
  }));
}
