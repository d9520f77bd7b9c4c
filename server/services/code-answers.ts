import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { answers } from '../../db/schema';
import type { CodeFeedback } from '../../graders/answers/response';
import type { CodeVerdict, CodeVerdictKind } from '../../graders/code/types';
import type { Context } from '../context';
import { RateLimiter } from '../auth/rate-limit';
import { GradeTimeoutError, PoolBusyError } from '../grading/pool';
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

/** A syntax error or a resource limit says nothing about the learner's understanding: such a run costs no attempt. */
function costsNoAttempt(verdict: CodeVerdict): boolean {
  if (verdict.verdict !== 'error') return false;
  const error = verdict.cases.find((c) => c.error)?.error;
  return !error || error.type === 'SyntaxError' || error.limit !== undefined;
}

function timeoutVerdict(seed: number, error: GradeTimeoutError): CodeVerdict {
  return {
    verdict: 'error',
    passed: 0,
    total: 0,
    seed,
    message: `TimeoutError: ${error.message}`,
    cases: [{ index: 0, visible: true, passed: false, error: { type: 'TimeoutError', message: error.message, line: 1, col: 1, where: 'answer', limit: 'timeoutMs' } }],
  };
}

/** Grades a code answer on the server (the authoritative verdict) and records it with its seed. */
export async function submitCode(ctx: Context, input: SubmitCodeInput): Promise<{ item: AnsweredItem; grading: CodeGrading }> {
  if (!submissions.hit(String(ctx.learnerId))) {
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
  let verdict: CodeVerdict;
  let backend = 'server';
  let elapsedMs = 0;
  try {
    const reply = await ctx.grade({ type: 'grade', item: { id: q.id, kind: q.kind, template: q.template }, graderKey, code: input.code, seed });
    if (!reply.ok || reply.type !== 'grade') throw new Error(reply.ok ? 'unexpected reply' : reply.error);
    ({ verdict, backend, elapsedMs } = reply);
  } catch (error) {
    if (error instanceof PoolBusyError) throw new TRPCError({ code: 'TOO_MANY_REQUESTS', message: error.message });
    if (!(error instanceof GradeTimeoutError)) throw error;
    verdict = timeoutVerdict(seed, error);
  }

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
