import path from 'node:path';
import { eq } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type Db } from '../../../db/client';
import { answers, learners, practiceSessions } from '../../../db/schema';
import { gradeCode } from '../../../graders/code/grade-code';
import { initBackend } from '../../../graders/numpy/backend-node';
import { GRADERS } from '../../../graders/references/index';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { GradingPool } from '../../../server/grading/pool';
import { createCaller } from '../../../server/root';
import { codeSeed } from '../../../server/services/random';

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
let pool: GradingPool;
let db: Db;

beforeAll(async () => {
  await initBackend('cpu');
  pool = new GradingPool({ size: 2, timeoutMs: 10_000 });
  db = createTestDb();
  syncBank(db, bank);
});
afterAll(async () => {
  await pool.close();
});

function caller(grade = (r: Parameters<GradingPool['run']>[0]) => pool.run(r)) {
  return createCaller(createContextInner({ db, bank, grade }));
}

async function sessionWith(chapter: 'birnn' | 'attention', api = caller()) {
  const { sessionId } = await api.sessions.start({ chapters: [chapter], count: 100, order: 'course' });
  return sessionId;
}

describe('submitting code', () => {
  it('grades on the server, records the verdict with its seed, and the seed reproduces the cases', async () => {
    const api = caller();
    const sessionId = await sessionWith('birnn', api);
    const view = await api.sessions.get({ sessionId });
    const item = view.items.find((i) => i.questionId === 'birnn-concat')!;
    const session = db.select().from(practiceSessions).where(eq(practiceSessions.id, sessionId)).get()!;
    expect(item.code).toEqual({ kind: 'code', template: expect.stringContaining('___'), graderKey: 'birnn-concat', seed: codeSeed(session.seed, 'birnn-concat') });
    expect(item.result).toBeNull();

    const code = 'np.concatenate([h_f, h_b[::-1]], axis=1)';
    const { item: answered, grading } = await api.sessions.submitCode({
      sessionId,
      questionId: 'birnn-concat',
      code,
      timeSpentMs: 3000,
      browser: { verdict: 'correct', backend: 'webgl', passed: 5, total: 5 },
    });
    expect(grading).toMatchObject({ recorded: true, backend: 'cpu', verdict: { verdict: 'correct', passed: 5, total: 5, seed: item.code!.seed } });
    expect(answered.result).toMatchObject({ verdict: 'correct', response: { type: 'code', code }, key: { code: 'np.concatenate([h_f, h_b[::-1]], axis=1)', choice: 'd' } });

    const row = db.select().from(answers).where(eq(answers.sessionId, sessionId)).get()!;
    expect(row).toMatchObject({ questionId: 'birnn-concat', verdict: 'correct', seed: item.code!.seed });
    expect(row.feedback).toMatchObject({ code: { verdict: 'correct', backend: 'cpu', browser: { backend: 'webgl' } } });

    // A regrade with the stored seed repeats the same cases.
    const q = bank.byId.get('birnn-concat')!;
    if (q.kind !== 'code') throw new Error('birnn-concat is a code item');
    const regrade = gradeCode(q, GRADERS.get('birnn-concat')!, code, row.seed!);
    expect(regrade.cases).toEqual(grading.verdict.cases);

    await expect(api.sessions.submitCode({ sessionId, questionId: 'birnn-concat', code, timeSpentMs: 1 })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('records a wrong value as incorrect with the shapes, and keeps a syntax error unrecorded', async () => {
    const api = caller();
    const sessionId = await sessionWith('birnn', api);
    const syntax = await api.sessions.submitCode({ sessionId, questionId: 'birnn-concat', code: 'np.concatenate([h_f, h_b[::-1]], axis=1', timeSpentMs: 1 });
    expect(syntax.grading).toMatchObject({ recorded: false, verdict: { verdict: 'error' } });
    expect(syntax.grading.verdict.cases[0]?.error).toMatchObject({ type: 'SyntaxError', where: 'answer', line: 1 });
    expect(syntax.item.answered).toBe(false);

    const wrong = await api.sessions.submitCode({ sessionId, questionId: 'birnn-concat', code: 'np.concatenate([h_f, h_b[::-1]], axis=0)', timeSpentMs: 1 });
    expect(wrong.grading.recorded).toBe(true);
    expect(wrong.grading.verdict.message).toContain('期待 (3, 8)、実際 (6, 4)');
    expect(wrong.item.result).toMatchObject({ verdict: 'incorrect', feedback: { code: { verdict: 'incorrect' } } });
  });

  it('stops an endless loop cleanly and costs no attempt', async () => {
    const api = caller();
    const sessionId = await sessionWith('attention', api);
    const endless = await api.sessions.submitCode({ sessionId, questionId: 'attention-softmax-function', code: 'def softmax(x):\n    while True:\n        pass', timeSpentMs: 1 });
    expect(endless.grading).toMatchObject({ recorded: false, verdict: { verdict: 'error' } });
    expect(endless.grading.verdict.message).toContain('TimeoutError');
    expect(db.select().from(answers).where(eq(answers.sessionId, sessionId)).all()).toHaveLength(0);
  });

  it('answers with a time-limit verdict when the thread has to be terminated', async () => {
    const strict = new GradingPool({ size: 1, timeoutMs: 300 });
    try {
      // The interpreter's own limits are lifted, so only the pool's hard timeout can stop the loop.
      const api = caller((r) => strict.run({ ...r, options: { caseTimeoutMs: 60_000, limits: { maxSteps: 1e12 } } }));
      const sessionId = await sessionWith('attention', api);
      const slow = await api.sessions.submitCode({ sessionId, questionId: 'attention-softmax-function', code: 'def softmax(x):\n    while True:\n        pass', timeSpentMs: 1 });
      expect(slow.grading).toMatchObject({ recorded: false, verdict: { verdict: 'error', cases: [{ error: { type: 'TimeoutError', limit: 'timeoutMs' } }] } });
      // The replaced thread grades the next submission normally.
      const good = await api.sessions.submitCode({
        sessionId,
        questionId: 'attention-softmax-function',
        code: bank.byId.get('attention-softmax-function')!.kind === 'function' ? (bank.byId.get('attention-softmax-function') as { solution: string }).solution : '',
        timeSpentMs: 1,
      });
      expect(good.grading.verdict.verdict).toBe('correct');
    } finally {
      await strict.close();
    }
  });

  it('refuses code for a question that is not a code item, and an oversized submission', async () => {
    const api = caller();
    const sessionId = await sessionWith('attention', api);
    const other = bank.questions.find((q) => q.chapter === 'attention' && q.kind === 'choice')!;
    await expect(api.sessions.submitCode({ sessionId, questionId: other.id, code: '1', timeSpentMs: 1 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'この問題はコードでは回答できません。',
    });
    await expect(api.sessions.submitCode({ sessionId, questionId: 'attention-softmax-function', code: 'x'.repeat(9000), timeSpentMs: 1 })).rejects.toBeInstanceOf(TRPCError);
  });
});

describe('submission rate limit', () => {
  it('refuses a learner past 30 submissions a minute, with a clear message', async () => {
    const learner = db.insert(learners).values({ name: 'busy' }).returning().get();
    const api = createCaller(createContextInner({ db, bank, learnerId: learner.id, grade: (r) => pool.run(r) }));
    const { sessionId } = await api.sessions.start({ chapters: ['attention'], count: 100, order: 'course' });
    const submit = () => api.sessions.submitCode({ sessionId, questionId: 'attention-softmax-function', code: 'def softmax(x)', timeSpentMs: 1 });
    for (let i = 0; i < 30; i++) expect((await submit()).grading.recorded).toBe(false); // syntax errors cost no attempt
    await expect(submit()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: '提出が多すぎます。1分ほど待ってからもう一度提出してください。' });
  });
});
