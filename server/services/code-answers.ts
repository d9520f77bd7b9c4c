import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { answers } from '../../db/schema';
import type { CodeFeedback } from '../../graders/answers/response';
import type { CodeVerdict, CodeVerdictKind } from '../../graders/code/types';
import type { Context } from '../context';
import { RateLimiter } from '../auth/rate-limit';
import { LimitBudget } from '../grading/limit-budget';
import { GradeTimeoutError, GraderCrashError, PoolBusyError } from '../grading/pool';
import { codeSeed } from './random';
import { answeredView, commitAnswer, itemView, openQuestion, recordAnswer, type AnsweredItem } from './sessions';

export interface SubmitCodeInput {
  sessionId: number;
  questionId: string;
  code: string;
  timeSpentMs: number;
  /** the browser's own verdict, kept beside the server's for comparison */
  browser?: { verdict: CodeVerdictKind; backend: string; passed: number; total: number };
}

export interface CodeGrading {
  verdict: CodeVerdict;
  backend: string;
  elapsedMs: number;
  /** false when the answer was not recorded: it did not parse, or hit a time/step/memory limit (no attempt used) */
  recorded: boolean;
}

/** Code submissions per learner and minute: generous for a person, a wall for a script hammering the graders. */
const submissions = new RateLimiter(Number(process.env.KAKUNIN_SUBMISSIONS_PER_MINUTE ?? 30), 60_000);

/**
 * Submissions per learner and minute that hit a limit (time, memory, a grading process that died): they cost no
 * attempt but the most grading time, so they have a budget of their own, well below the one above.
 */
const limitHits = new LimitBudget(Number(process.env.KAKUNIN_LIMIT_HITS_PER_MINUTE ?? 6), 60_000);

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

/** The verdict of a job the pool had to stop: the hard time limit, or the grading process died (memory). */
function stoppedVerdict(seed: number, type: 'TimeoutError' | 'MemoryError', message: string, limit: string): CodeVerdict {
  return {
    verdict: 'error',
    passed: 0,
    total: 0,
    seed,
    message: `${type}: ${message}`,
    cases: [{ index: 0, visible: true, passed: false, error: { type, message, line: 1, col: 1, where: 'answer', limit } }],
  };
}

/** One grading job; a job the pool stopped (time limit, dead process) is an error verdict, not an exception. */
async function gradeOnServer(ctx: Context, request: Parameters<Context['grade']>[0] & { seed: number }): Promise<Omit<CodeGrading, 'recorded'>> {
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

/** Grades a code answer on the server (the authoritative verdict) and records it with its seed. */
export async function submitCode(ctx: Context, input: SubmitCodeInput): Promise<{ item: AnsweredItem; grading: CodeGrading }> {
  const learner = String(ctx.learnerId);
  if (limitHits.used(learner) >= limitHits.limit) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: LIMIT_HITS_MESSAGE });
  if (!submissions.hit(learner)) {
    throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: '提出が多すぎます。1分ほど待ってからもう一度提出してください。' });
  }
  const opened = openQuestion(ctx, input.sessionId, input.questionId);
  const { session, position, q } = opened;
  if (q.kind !== 'code' && q.kind !== 'function') throw new TRPCError({ code: 'BAD_REQUEST', message: 'この問題はコードでは回答できません。' });
  // A mock exam has no editor: its code items are answered with their choices (refused before any grading work).
  if (session.mode === 'mock') throw new TRPCError({ code: 'BAD_REQUEST', message: '模擬試験ではコードの問題も選択肢で答えます。' });
  const existing = ctx.db.select({ id: answers.id }).from(answers).where(and(eq(answers.sessionId, session.id), eq(answers.questionId, q.id))).get();
  if (existing) throw new TRPCError({ code: 'CONFLICT', message: 'この問題にはすでに回答しています。' });

  const seed = codeSeed(session.seed, q.id);
  const graderKey = q.grader ?? q.id;
  // Reserved while grading (parallel submissions cannot all pass the check), settled with whether it hit a limit.
  if (!limitHits.begin(learner)) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: LIMIT_HITS_MESSAGE });
  let graded: Omit<CodeGrading, 'recorded'>;
  try {
    graded = await gradeOnServer(ctx, { type: 'grade', item: { id: q.id, kind: q.kind, template: q.template }, graderKey, code: input.code, seed, learner });
  } catch (error) {
    limitHits.end(learner, false);
    throw error;
  }
  limitHits.end(learner, hitLimit(graded.verdict));
  const { verdict, backend, elapsedMs } = graded;

  if (input.browser && input.browser.verdict !== verdict.verdict) {
    console.warn(JSON.stringify({ event: 'grading-disagreement', questionId: q.id, seed, browser: input.browser, server: { verdict: verdict.verdict, passed: verdict.passed, total: verdict.total, backend } }));
  }
  if (costsNoAttempt(verdict)) {
    return { item: answeredView(itemView(ctx, session, position, q.id)), grading: { verdict, backend, elapsedMs, recorded: false } };
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
  // The session may have ended while the code ran: check again, in the same commit as the write.
  const item = await commitAnswer(ctx, () =>
    recordAnswer(ctx, openQuestion(ctx, input.sessionId, input.questionId), {
      response: { type: 'code', code: input.code },
      graded: { verdict: correct ? 'correct' : 'incorrect', score: correct ? 1 : 0, feedback: { code: feedback } },
      timeSpentMs: input.timeSpentMs,
      seed,
    }),
  );
  return { item, grading: { verdict, backend, elapsedMs, recorded: true } };
}
