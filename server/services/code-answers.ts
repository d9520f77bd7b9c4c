import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import type { Answer, CodeAttempt, PracticeSession } from '../../db/schema';
import type { CodeFeedback, Response } from '../../graders/answers/response';
import type { ExampleRun } from '../../graders/code/grade-code';
import type { CodeError, CodeVerdict, CodeVerdictKind } from '../../graders/code/types';
import type { Context } from '../context';
import { storeLimitState } from '../../db/limit-state';
import type { Store } from '../../db/store';
import { RateLimiter } from '../auth/rate-limit';
import { LimitBudget } from '../grading/limit-budget';
import { GradeTimeoutError, GraderCrashError, PoolBusyError } from '../grading/pool';
import { codeSeed } from './random';
import {
  answeredView,
  codeAttemptRows,
  codeAttemptsView,
  commitAnswer,
  itemView,
  loadOwnSession,
  MAX_CODE_ATTEMPTS,
  openQuestion,
  recordAnswer,
  type AnsweredItem,
} from './sessions';

export interface SubmitCodeInput {
  sessionId: number;
  questionId: string;
  code: string;
  timeSpentMs: number;
  /** the browser's own verdict, kept beside the server's for comparison */
  browser?: BrowserVerdict;
}

export interface BrowserVerdict {
  verdict: CodeVerdictKind;
  backend: string;
  passed: number;
  total: number;
}

export interface CodeGrading {
  verdict: CodeVerdict;
  backend: string;
  elapsedMs: number;
  /** false when the answer was not recorded: it did not parse, or hit a time/step/memory limit (no attempt used) */
  recorded: boolean;
  /** the counted try this was (1 … MAX_CODE_ATTEMPTS); null when not recorded */
  attempt: number | null;
}

/** Code submissions per learner and minute: generous for a person, a wall for a script hammering the graders. */
const SUBMISSIONS_PER_MINUTE = Number(process.env.KAKUNIN_SUBMISSIONS_PER_MINUTE ?? 30);

/**
 * Submissions per learner and minute that hit a limit (time, memory, a grading process that died): they cost no
 * attempt but the most grading time, so they have a budget of their own, well below the one above.
 */
const LIMIT_HITS_PER_MINUTE = Number(process.env.KAKUNIN_LIMIT_HITS_PER_MINUTE ?? 6);

/** The submission limits of a store: counted in its limit_state table, so every app process on it shares them. */
const limitsOfStore = new WeakMap<Store, { submissions: RateLimiter; limitHits: LimitBudget }>();

function submissionLimits(store: Store): { submissions: RateLimiter; limitHits: LimitBudget } {
  let limits = limitsOfStore.get(store);
  if (!limits) {
    const state = storeLimitState(store);
    limits = {
      submissions: new RateLimiter(SUBMISSIONS_PER_MINUTE, 60_000, { name: 'code-submissions', state }),
      limitHits: new LimitBudget(LIMIT_HITS_PER_MINUTE, 60_000, { name: 'code-limit-hits', state }),
    };
    limitsOfStore.set(store, limits);
  }
  return limits;
}

export const LIMIT_HITS_MESSAGE = '時間やメモリの制限に達する提出が続いたため、しばらく提出を受け付けません。1分ほど待ってから、コードを見直して提出してください。';

/** A syntax error or a resource limit says nothing about the learner's understanding: such a run costs no attempt. */
function costsNoAttempt(verdict: CodeVerdict): boolean {
  if (verdict.verdict !== 'error') return false;
  const error = verdict.cases.find((c) => c.error)?.error;
  return !error || error.type === 'SyntaxError' || error.limit !== undefined;
}

function hitLimit(verdict: CodeVerdict): boolean {
  return verdict.verdict === 'error' && verdict.cases.some((c) => c.error?.limit !== undefined);
}

/** The error of a job the pool had to stop: the hard time limit, or the grading process died (memory). */
function stoppedError(type: 'TimeoutError' | 'MemoryError', message: string, limit: string): CodeError {
  return { type, message, line: 1, col: 1, where: 'answer', limit };
}

function stoppedVerdict(seed: number, type: 'TimeoutError' | 'MemoryError', message: string, limit: string): CodeVerdict {
  return { verdict: 'error', passed: 0, total: 0, seed, message: `${type}: ${message}`, cases: [{ index: 0, visible: true, passed: false, error: stoppedError(type, message, limit) }] };
}

/** The per-learner limits every grading job passes (submissions and example runs share them). */
async function admit(store: Store, learner: string): Promise<void> {
  const { submissions, limitHits } = submissionLimits(store);
  if ((await limitHits.used(learner)) >= limitHits.limit) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: LIMIT_HITS_MESSAGE });
  if (!(await submissions.hit(learner))) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: '提出が多すぎます。1分ほど待ってからもう一度提出してください。' });
  }
}

/** A code item of the learner's open practice or review session (a mock exam answers code items with choices). */
async function openCodeQuestion(ctx: Context, sessionId: number, questionId: string) {
  const opened = await openQuestion(ctx, sessionId, questionId);
  const { session, q } = opened;
  if (q.kind !== 'code' && q.kind !== 'function') throw new TRPCError({ code: 'BAD_REQUEST', message: 'この問題はコードでは回答できません。' });
  if (session.mode === 'mock') throw new TRPCError({ code: 'BAD_REQUEST', message: '模擬試験ではコードの問題も選択肢で答えます。' });
  return { ...opened, q };
}

async function answerOf(ctx: Context, sessionId: number, questionId: string): Promise<Answer | undefined> {
  const { answers } = ctx.store.tables;
  const [row] = await ctx.store.db.select().from(answers).where(and(eq(answers.sessionId, sessionId), eq(answers.questionId, questionId)));
  return row;
}

/** Refuses another try when the item's tries are over, saying why. */
function refuseClosedTries(session: PracticeSession, answer: Answer | undefined, rows: readonly CodeAttempt[]): void {
  if (!answer) return;
  const view = codeAttemptsView(session, answer, rows);
  if (view?.open) return;
  const conflict = (message: string) => new TRPCError({ code: 'CONFLICT', message });
  if (!view || rows.length === 0) throw conflict('この問題にはすでに回答しています。');
  if (view.verdicts.includes('correct')) throw conflict('この問題にはすでに正解しています。');
  if (view.revealed) throw conflict('解答を表示したため、この問題にはもう提出できません。');
  throw conflict(`この問題の提出は ${MAX_CODE_ATTEMPTS} 回までです。解答と解説を確認してください。`);
}

/**
 * The latest counted try again, when `code` is its code: a retry whose reply was lost (its node died after COMMIT, the
 * network failed), maybe sent to another node, gets that try's grading back and uses up no attempt. The same code
 * resubmitted on purpose is answered the same way: the seed is the session's, so grading it again could only repeat
 * the verdict, at the cost of a try. Null when there is no such try.
 */
async function recordedTry(
  ctx: Context,
  opened: { session: PracticeSession; position: number; q: { id: string } },
  code: string,
  rows?: readonly CodeAttempt[],
): Promise<{ item: AnsweredItem; grading: CodeGrading } | null> {
  const { session, position, q } = opened;
  const tries = rows ?? (await codeAttemptRows(ctx.store, session.id, q.id));
  const last = tries.at(-1);
  if (!last || last.code !== code) return null;
  const feedback = (last.feedback as { code: CodeFeedback }).code;
  const verdict: CodeVerdict = { verdict: feedback.verdict, passed: feedback.passed, total: feedback.total, message: feedback.message, cases: feedback.cases, seed: last.seed };
  const item = answeredView(await itemView(ctx, session, position, q.id, await answerOf(ctx, session.id, q.id), undefined, tries));
  return { item, grading: { verdict, backend: feedback.backend, elapsedMs: feedback.elapsedMs, recorded: true, attempt: last.attempt } };
}

/** One grading job; a job the pool stopped (time limit, dead process) is an error verdict, not an exception. */
async function gradeOnServer(ctx: Context, request: Parameters<Context['grade']>[0] & { seed: number }): Promise<Omit<CodeGrading, 'recorded' | 'attempt'>> {
  try {
    const reply = await ctx.grade(request);
    if (!reply.ok || reply.type !== 'grade') throw new Error(reply.ok ? 'unexpected reply' : reply.error);
    return { verdict: reply.verdict, backend: reply.backend, elapsedMs: reply.elapsedMs };
  } catch (error) {
    if (error instanceof PoolBusyError) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
    if (error instanceof GradeTimeoutError) return { verdict: stoppedVerdict(request.seed, 'TimeoutError', error.message, 'timeoutMs'), backend: 'server', elapsedMs: 0 };
    if (error instanceof GraderCrashError) return { verdict: stoppedVerdict(request.seed, 'MemoryError', error.message, 'maxHeapMb'), backend: 'server', elapsedMs: 0 };
    throw error;
  }
}

function logDisagreement(questionId: string, seed: number | null, attempt: number, browser: BrowserVerdict, server: Pick<CodeFeedback, 'verdict' | 'passed' | 'total' | 'backend'>): void {
  console.warn(JSON.stringify({ event: 'grading-disagreement', questionId, seed, attempt, browser, server: { verdict: server.verdict, passed: server.passed, total: server.total, backend: server.backend } }));
}

/**
 * Grades a code answer on the server (the authoritative verdict) and records it with its seed. In practice a wrong
 * value may be tried again, up to MAX_CODE_ATTEMPTS counted tries: every try is kept in code_attempts, the first one
 * is also the answer statistics and FSRS read.
 */
export async function submitCode(ctx: Context, input: SubmitCodeInput): Promise<{ item: AnsweredItem; grading: CodeGrading }> {
  const learner = String(ctx.learnerId);
  await admit(ctx.store, learner);
  const { limitHits } = submissionLimits(ctx.store);
  const { session, position, q } = await openCodeQuestion(ctx, input.sessionId, input.questionId);
  const tries = await codeAttemptRows(ctx.store, session.id, q.id);
  const retried = await recordedTry(ctx, { session, position, q }, input.code, tries);
  if (retried) return retried;
  // Refused before any grading work when the tries are over.
  refuseClosedTries(session, await answerOf(ctx, session.id, q.id), tries);

  const seed = codeSeed(session.seed, q.id);
  const graderKey = q.grader ?? q.id;
  // Reserved while grading (parallel submissions cannot all pass the check), settled with whether it hit a limit.
  const reservation = await limitHits.begin(learner);
  if (reservation === null) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: LIMIT_HITS_MESSAGE });
  let graded: Omit<CodeGrading, 'recorded' | 'attempt'>;
  try {
    graded = await gradeOnServer(ctx, { type: 'grade', item: { id: q.id, kind: q.kind, template: q.template }, graderKey, code: input.code, seed, learner });
  } catch (error) {
    await limitHits.end(learner, reservation, false);
    throw error;
  }
  await limitHits.end(learner, reservation, hitLimit(graded.verdict));
  const { verdict, backend, elapsedMs } = graded;

  if (costsNoAttempt(verdict)) {
    if (input.browser && input.browser.verdict !== verdict.verdict) logDisagreement(q.id, seed, 0, input.browser, { ...verdict, backend });
    const item = answeredView(await itemView(ctx, session, position, q.id, await answerOf(ctx, session.id, q.id)));
    return { item, grading: { verdict, backend, elapsedMs, recorded: false, attempt: null } };
  }
  const feedback: CodeFeedback = {
    verdict: verdict.verdict,
    message: verdict.message,
    passed: verdict.passed,
    total: verdict.total,
    cases: verdict.cases,
    backend,
    elapsedMs,
    browser: input.browser ?? null,
  };
  const correct = verdict.verdict === 'correct';
  // The session may have ended, or another try landed, while the code ran: check again, in the same commit as the write.
  const written = await commitAnswer(ctx, async (ctx) => {
    const { codeAttempts } = ctx.store.tables;
    const opened = await openCodeQuestion(ctx, input.sessionId, input.questionId);
    const before = await answerOf(ctx, session.id, q.id);
    const rows = await codeAttemptRows(ctx.store, session.id, q.id);
    // The same submission sent twice at once: the first one recorded it while this one was being graded.
    const recorded = await recordedTry(ctx, opened, input.code, rows);
    if (recorded) return { retry: true as const, recorded };
    refuseClosedTries(opened.session, before, rows);
    const attempt = rows.length + 1;
    if (!before) {
      await recordAnswer(ctx, opened, {
        response: { type: 'code', code: input.code },
        graded: { verdict: correct ? 'correct' : 'incorrect', score: correct ? 1 : 0, feedback: { code: feedback } },
        timeSpentMs: input.timeSpentMs,
        seed,
      });
    }
    const [inserted] = await ctx.store.db
      .insert(codeAttempts)
      .values({ sessionId: session.id, learnerId: ctx.learnerId, questionId: q.id, attempt, code: input.code, verdict: correct ? 'correct' : 'incorrect', score: correct ? 1 : 0, seed, feedback: { code: feedback } })
      .onConflictDoNothing()
      .returning();
    if (!inserted) {
      // Another node recorded this try's number meanwhile (PostgreSQL: the insert waited for its commit).
      const recordedElsewhere = await recordedTry(ctx, opened, input.code);
      if (recordedElsewhere) return { retry: true as const, recorded: recordedElsewhere };
      throw new TRPCError({ code: 'CONFLICT', message: '同時に送られた別の提出が先に記録されました。結果を確かめてから、もう一度提出してください。' });
    }
    const answer = before ?? (await answerOf(ctx, session.id, q.id));
    return { retry: false as const, item: answeredView(await itemView(ctx, opened.session, opened.position, q.id, answer, undefined, [...rows, inserted])), attempt };
  });
  if (written.retry) return written.recorded;
  const { item, attempt } = written;
  if (input.browser && input.browser.verdict !== verdict.verdict) logDisagreement(q.id, seed, attempt, input.browser, feedback);
  return { item, grading: { verdict, backend, elapsedMs, recorded: true, attempt } };
}

/** 「解答を見る」: ends the tries at a code item (after at least one) and returns it with its model answer and 解説. */
export function revealCode(ctx: Context, input: { sessionId: number; questionId: string }): Promise<AnsweredItem> {
  return commitAnswer(ctx, async (ctx) => {
    const { answers } = ctx.store.tables;
    const { session, position, q } = await openCodeQuestion(ctx, input.sessionId, input.questionId);
    const answer = await answerOf(ctx, session.id, q.id);
    if (!answer || (answer.response as Response).type !== 'code') {
      throw new TRPCError({ code: 'BAD_REQUEST', message: '解答は一度提出してから表示できます。' });
    }
    const rows = await codeAttemptRows(ctx.store, session.id, q.id);
    // Only open tries are ended by it: a solved item keeps "solved", not "revealed".
    if (!codeAttemptsView(session, answer, rows)?.open) return answeredView(await itemView(ctx, session, position, q.id, answer, undefined, rows));
    const [revealed] = await ctx.store.db
      .update(answers)
      .set({ revealedAt: new Date() })
      .where(and(eq(answers.id, answer.id), isNull(answers.revealedAt)))
      .returning();
    return answeredView(await itemView(ctx, session, position, q.id, revealed ?? (await answerOf(ctx, session.id, q.id)), undefined, rows));
  });
}

/**
 * The browser's verdict of a recorded try that arrived after the server's: logged when it differs, and kept beside
 * the server's (`feedback.code.browser`) when none is there yet. Only the learner's own answers.
 */
export async function reportBrowserVerdict(
  ctx: Context,
  input: { sessionId: number; questionId: string; attempt?: number; browser: BrowserVerdict },
): Promise<{ recorded: boolean; agrees: boolean }> {
  const { answers, codeAttempts } = ctx.store.tables;
  const session = await loadOwnSession(ctx, input.sessionId);
  const answer = await answerOf(ctx, session.id, input.questionId);
  const missing = () => new TRPCError({ code: 'NOT_FOUND', message: 'この問題の採点済みの回答が見つかりません。' });
  if (!answer || answer.learnerId !== ctx.learnerId || (answer.response as Response).type !== 'code') throw missing();
  const rows = await codeAttemptRows(ctx.store, session.id, input.questionId);
  const target = input.attempt === undefined ? rows.at(-1) : rows.find((r) => r.attempt === input.attempt);
  if (input.attempt !== undefined && !target && input.attempt !== 1) throw missing();
  const attempt = target?.attempt ?? 1;
  const server = ((target ?? answer).feedback as { code?: CodeFeedback } | null)?.code;
  if (!server) throw missing();
  const agrees = server.verdict === input.browser.verdict;
  // Filled once per try, and logged only then: a client cannot flood the log.
  if (server.browser) return { recorded: false, agrees };
  if (!agrees) logDisagreement(input.questionId, answer.seed, attempt, input.browser, server);
  const withBrowser = (feedback: unknown) => {
    const f = feedback as { code: CodeFeedback };
    return { ...f, code: { ...f.code, browser: f.code.browser ?? input.browser } };
  };
  await ctx.store.transaction(async (tx) => {
    if (target) await tx.db.update(codeAttempts).set({ feedback: withBrowser(target.feedback) }).where(eq(codeAttempts.id, target.id));
    const answerCode = (answer.feedback as { code?: CodeFeedback } | null)?.code;
    if (attempt === 1 && answerCode && !answerCode.browser) await tx.db.update(answers).set({ feedback: withBrowser(answer.feedback) }).where(eq(answers.id, answer.id));
  });
  return { recorded: true, agrees };
}

/**
 * 実行 on the server: the example case only, nothing compared or recorded. The page's fallback when the browser is
 * slow or fails; it shares the submissions' rate limit.
 */
export async function runCode(ctx: Context, input: { sessionId: number; questionId: string; code: string }): Promise<{ run: ExampleRun; backend: string; elapsedMs: number }> {
  const learner = String(ctx.learnerId);
  await admit(ctx.store, learner);
  const { limitHits } = submissionLimits(ctx.store);
  const { session, q } = await openCodeQuestion(ctx, input.sessionId, input.questionId);
  const seed = codeSeed(session.seed, q.id);
  const reservation = await limitHits.begin(learner);
  if (reservation === null) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: LIMIT_HITS_MESSAGE });
  const stopped = (error: CodeError): ExampleRun => ({ ok: false, blanks: [], stdout: '', error, inputs: {} });
  let result: { run: ExampleRun; backend: string; elapsedMs: number };
  try {
    const reply = await ctx.grade({ type: 'run', item: { id: q.id, kind: q.kind, template: q.template }, graderKey: q.grader ?? q.id, code: input.code, seed, learner });
    if (!reply.ok || reply.type !== 'run') throw new Error(reply.ok ? 'unexpected reply' : reply.error);
    result = { run: reply.run, backend: reply.backend, elapsedMs: reply.elapsedMs };
  } catch (error) {
    if (error instanceof GradeTimeoutError) result = { run: stopped(stoppedError('TimeoutError', error.message, 'timeoutMs')), backend: 'server', elapsedMs: 0 };
    else if (error instanceof GraderCrashError) result = { run: stopped(stoppedError('MemoryError', error.message, 'maxHeapMb')), backend: 'server', elapsedMs: 0 };
    else {
      await limitHits.end(learner, reservation, false);
      if (error instanceof PoolBusyError) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
      throw error;
    }
  }
  await limitHits.end(learner, reservation, result.run.error?.limit !== undefined);
  return result;
}
