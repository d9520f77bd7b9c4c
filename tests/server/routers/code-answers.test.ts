import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store, Tables } from '../../../db/store';
import { gradeCode } from '../../../graders/code/grade-code';
import { initBackend } from '../../../graders/numpy/backend-node';
import { GRADERS } from '../../../graders/references/index';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { GradeTimeoutError, GradingPool } from '../../../server/grading/pool';
import { createCaller } from '../../../server/root';
import { codeSeed } from '../../../server/services/random';
import { expectTrpcError } from '../expect-trpc-error';
import { freshStore, STORES } from '../test-stores';

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
let pool: GradingPool;
let store: Store;
// the tables of the store under test
let answers: Tables['answers'];
let codeAttempts: Tables['codeAttempts'];
let learners: Tables['learners'];
let practiceSessions: Tables['practiceSessions'];
let reviewCards: Tables['reviewCards'];
let reviewLogs: Tables['reviewLogs'];

beforeAll(async () => {
  await initBackend('cpu');
  pool = new GradingPool({ size: 2, timeoutMs: 10_000 });
});
afterAll(async () => {
  await pool.close();
});

function caller(grade = (r: Parameters<GradingPool['run']>[0]) => pool.run(r)) {
  // a context made on the caller's first use (createContextInner is async: it may create the local learner)
  let context: ReturnType<typeof createContextInner> | undefined;
  return createCaller(() => (context ??= createContextInner({ store, bank, grade })));
}

async function sessionWith(chapter: 'birnn' | 'attention', api = caller()) {
  const { sessionId } = await api.sessions.start({ chapters: [chapter], count: 100, order: 'course' });
  return sessionId;
}

const WRONG_SOFTMAX = 'def softmax(x):\n    return x';
const RIGHT_SOFTMAX = 'def softmax(x):\n    e = np.exp(x - np.max(x, axis=-1, keepdims=True))\n    return e / np.sum(e, axis=-1, keepdims=True)';
/** Text only the model answer and the 解説 of attention-softmax-function contain. */
const SECRETS = ['"key"', 'explanationHtml', 'x = x - np.max(x, axis=-1, keepdims=True)', '分子・分母に同じ'];

/** A learner of their own (the submission rate limit is per learner) with a session of a chapter. */
async function learnerSession(name: string, chapter: 'attention' | 'birnn' = 'attention', grade?: Parameters<typeof createContextInner>[0]['grade']) {
  const learner = (await store.db.insert(learners).values({ name }).returning())[0]!;
  const api = createCaller(await createContextInner({ store, bank, learnerId: learner.id, grade: grade ?? ((r) => pool.run(r)) }));
  const { sessionId } = await api.sessions.start({ chapters: [chapter], count: 100, order: 'course' });
  return { api, sessionId, learnerId: learner.id };
}

const QID = 'attention-softmax-function';

describe.each(STORES)('code answers (%s)', (kind) => {
  // one store for the file, as the app has (each test has learners or sessions of its own)
  beforeAll(async () => {
    store = await freshStore(kind);
    // The submission limits are counted in memory per learner id (server/services/code-answers.ts), across stores:
    // PostgreSQL's learners get ids the SQLite run never gave, or they would start with its counts.
    if (kind === 'pg') await store.rows(sql`ALTER TABLE learners ALTER COLUMN id RESTART WITH 1000001`);
    ({ answers, codeAttempts, learners, practiceSessions, reviewCards, reviewLogs } = store.tables);
    await syncBank(store, bank);
  });

  describe('submitting code', () => {
    it('grades on the server, records the verdict with its seed, and the seed reproduces the cases', async () => {
      const api = caller();
      const sessionId = await sessionWith('birnn', api);
      const view = await api.sessions.get({ sessionId });
      const item = view.items.find((i) => i.questionId === 'birnn-concat')!;
      const session = (await store.db.select().from(practiceSessions).where(eq(practiceSessions.id, sessionId)))[0]!;
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

      const row = (await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)))[0]!;
      expect(row).toMatchObject({ questionId: 'birnn-concat', verdict: 'correct', seed: item.code!.seed });
      expect(row.feedback).toMatchObject({ code: { verdict: 'correct', backend: 'cpu', browser: { backend: 'webgl' } } });

      // A regrade with the stored seed repeats the same cases.
      const q = bank.byId.get('birnn-concat')!;
      if (q.kind !== 'code') throw new Error('birnn-concat is a code item');
      const regrade = gradeCode(q, GRADERS.get('birnn-concat')!, code, row.seed!);
      expect(regrade.cases).toEqual(grading.verdict.cases);

      // The same code again is a retry: the recorded grading comes back (tests/server/routers/code-retry.test.ts); other code is refused.
      expect((await api.sessions.submitCode({ sessionId, questionId: 'birnn-concat', code, timeSpentMs: 1 })).grading).toEqual(grading);
      await expectTrpcError(api.sessions.submitCode({ sessionId, questionId: 'birnn-concat', code: 'np.concatenate([h_f, h_b], axis=1)', timeSpentMs: 1 }), 'CONFLICT', 'この問題にはすでに正解しています。');
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
      // In practice a wrong value may be tried again: the verdict comes with the try, the model answer does not.
      expect(wrong.item.result).toBeNull();
      expect(wrong.item.attempts).toMatchObject({ used: 1, open: true, verdicts: ['incorrect'], last: { attempt: 1, feedback: { verdict: 'incorrect' } } });
    });

    it('stops an endless loop cleanly and costs no attempt', async () => {
      const api = caller();
      const sessionId = await sessionWith('attention', api);
      const endless = await api.sessions.submitCode({ sessionId, questionId: 'attention-softmax-function', code: 'def softmax(x):\n    while True:\n        pass', timeSpentMs: 1 });
      expect(endless.grading).toMatchObject({ recorded: false, verdict: { verdict: 'error' } });
      expect(endless.grading.verdict.message).toContain('TimeoutError');
      expect((await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)))).toHaveLength(0);
    });

    it('answers with a time-limit verdict when the thread has to be terminated', async () => {
      // 1.5 s: short enough for the test, long enough that the correct answer after the replacement never hits it on a busy machine.
      const strict = new GradingPool({ size: 1, timeoutMs: 1_500 });
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
      const learner = (await store.db.insert(learners).values({ name: 'busy' }).returning())[0]!;
      const api = createCaller(await createContextInner({ store, bank, learnerId: learner.id, grade: (r) => pool.run(r) }));
      const { sessionId } = await api.sessions.start({ chapters: ['attention'], count: 100, order: 'course' });
      const submit = () => api.sessions.submitCode({ sessionId, questionId: 'attention-softmax-function', code: 'def softmax(x)', timeSpentMs: 1 });
      for (let i = 0; i < 30; i++) expect((await submit()).grading.recorded).toBe(false); // syntax errors cost no attempt
      await expect(submit()).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', message: '提出が多すぎます。1分ほど待ってからもう一度提出してください。' });
    });
  });

  describe('trying a code item again in practice', () => {
    it('keeps the first try as the answer and schedules the card once: wrong, then right on the second try', async () => {
      const { api, sessionId, learnerId } = await learnerSession('retry');
      const submit = (code: string) => api.sessions.submitCode({ sessionId, questionId: QID, code, timeSpentMs: 5000 });

      const first = await submit(WRONG_SOFTMAX);
      expect(first.grading).toMatchObject({ recorded: true, attempt: 1, verdict: { verdict: 'incorrect' } });
      expect(first.item).toMatchObject({ answered: true, result: null, attempts: { used: 1, max: 3, open: true, revealed: false, verdicts: ['incorrect'], last: { attempt: 1, code: WRONG_SOFTMAX } } });
      // Neither the reply nor the session view carries the model answer while the item may be tried again.
      const view = await api.sessions.get({ sessionId });
      const item = view.items.find((i) => i.questionId === QID)!;
      expect(item).toMatchObject({ answered: true, result: null, solution: null, attempts: { used: 1, open: true } });
      for (const secret of SECRETS) {
        expect(JSON.stringify(first.item)).not.toContain(secret);
        expect(JSON.stringify(item)).not.toContain(secret);
      }
      expect((await store.db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, learnerId)))).toHaveLength(1);

      const second = await submit(RIGHT_SOFTMAX);
      expect(second.grading).toMatchObject({ recorded: true, attempt: 2, verdict: { verdict: 'correct' } });
      // Tries over: the result (the first try's verdict, the one that counts) and the model answer are shown.
      expect(second.item.result).toMatchObject({ verdict: 'incorrect', response: { type: 'code', code: WRONG_SOFTMAX }, key: { code: expect.stringContaining('x = x - np.max(x, axis=-1, keepdims=True)') } });
      expect(second.item.attempts).toMatchObject({ used: 2, open: false, verdicts: ['incorrect', 'correct'], last: { attempt: 2, code: RIGHT_SOFTMAX } });

      const rows = (await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)));
      expect(rows.map((r) => [r.questionId, r.verdict, r.score, (r.response as { code: string }).code])).toEqual([[QID, 'incorrect', 0, WRONG_SOFTMAX]]);
      const tries = (await store.db.select().from(codeAttempts).where(eq(codeAttempts.sessionId, sessionId)).orderBy(codeAttempts.attempt));
      expect(tries.map((t) => [t.learnerId, t.questionId, t.attempt, t.verdict, t.score, t.code])).toEqual([
        [learnerId, QID, 1, 'incorrect', 0, WRONG_SOFTMAX],
        [learnerId, QID, 2, 'correct', 1, RIGHT_SOFTMAX],
      ]);
      expect(tries.every((t) => t.seed === rows[0]!.seed)).toBe(true);
      expect(tries[1]!.feedback).toMatchObject({ code: { verdict: 'correct', backend: 'cpu' } });
      // FSRS saw one review, the first try's (Again), not the later right one.
      const logs = (await store.db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, learnerId)));
      expect(logs.map((l) => [l.questionId, l.rating, l.answerId])).toEqual([[QID, 1, rows[0]!.id]]);
      expect((await store.db.select().from(reviewCards).where(eq(reviewCards.learnerId, learnerId)))[0]).toMatchObject({ questionId: QID, reps: 1 });
      const summary = await api.sessions.get({ sessionId });
      expect(summary).toMatchObject({ answeredCount: 1, correctCount: 0, answeredScore: 0 });

      // A retry of the right try gets it back (tests/server/routers/code-retry.test.ts); other code is refused.
      expect((await submit(RIGHT_SOFTMAX)).grading).toEqual(second.grading);
      await expectTrpcError(submit(WRONG_SOFTMAX), 'CONFLICT', 'この問題にはすでに正解しています。');
      expect((await store.db.select().from(codeAttempts).where(eq(codeAttempts.sessionId, sessionId)))).toHaveLength(2);
    });

    it('shows the model answer after the third wrong try and refuses a fourth; a syntax error costs no try', async () => {
      const { api, sessionId } = await learnerSession('three');
      const submit = (code: string) => api.sessions.submitCode({ sessionId, questionId: QID, code, timeSpentMs: 1 });
      expect((await submit(WRONG_SOFTMAX)).item.attempts).toMatchObject({ used: 1, open: true });
      const syntax = await submit('def softmax(x):\n    return x +');
      expect(syntax.grading).toMatchObject({ recorded: false, attempt: null });
      expect(syntax.item).toMatchObject({ result: null, attempts: { used: 1, open: true } });
      expect((await submit('def softmax(x):\n    return x * 2')).item).toMatchObject({ result: null, attempts: { used: 2, open: true } });
      const third = await submit('def softmax(x):\n    return np.exp(x)');
      expect(third.item.attempts).toMatchObject({ used: 3, open: false, revealed: false, verdicts: ['incorrect', 'incorrect', 'incorrect'] });
      expect(third.item.result).toMatchObject({ verdict: 'incorrect', key: { code: expect.stringContaining('keepdims=True') } });
      expect(third.item.result!.explanationHtml).toContain('分子・分母に同じ');

      await expectTrpcError(submit(RIGHT_SOFTMAX), 'CONFLICT', 'この問題の提出は 3 回までです。解答と解説を確認してください。');
      expect((await store.db.select().from(codeAttempts).where(eq(codeAttempts.sessionId, sessionId)))).toHaveLength(3);
    });

    it('ends the tries when the learner asks for the model answer', async () => {
      const { api, sessionId } = await learnerSession('reveal');
      await expectTrpcError(api.sessions.revealCode({ sessionId, questionId: QID }), 'BAD_REQUEST', '解答は一度提出してから表示できます。');
      await api.sessions.submitCode({ sessionId, questionId: QID, code: WRONG_SOFTMAX, timeSpentMs: 1 });
      const revealed = await api.sessions.revealCode({ sessionId, questionId: QID });
      expect(revealed.attempts).toMatchObject({ used: 1, open: false, revealed: true });
      expect(revealed.result).toMatchObject({ verdict: 'incorrect', key: { code: expect.stringContaining('keepdims=True') } });
      expect((await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)))[0]!.revealedAt).toBeInstanceOf(Date);
      await expectTrpcError(
        api.sessions.submitCode({ sessionId, questionId: QID, code: RIGHT_SOFTMAX, timeSpentMs: 1 }),
        'CONFLICT',
        '解答を表示したため、この問題にはもう提出できません。',
      );
      const other = await learnerSession('reveal-other');
      await expectTrpcError(other.api.sessions.revealCode({ sessionId, questionId: QID }), 'NOT_FOUND', 'セッションが見つかりません。');
    });

    it('shows the tries that were left open once the session ends', async () => {
      const { api, sessionId } = await learnerSession('finish-open');
      await api.sessions.submitCode({ sessionId, questionId: QID, code: WRONG_SOFTMAX, timeSpentMs: 1 });
      const finished = await api.sessions.finish({ sessionId });
      const item = finished.items.find((i) => i.questionId === QID)!;
      expect(item.attempts).toMatchObject({ used: 1, open: false });
      expect(item.result).toMatchObject({ verdict: 'incorrect', key: { code: expect.stringContaining('keepdims=True') } });
    });
  });

  describe('the browser verdict reported after the server’s', () => {
    it('is logged when it differs and kept beside the server’s once, on the learner’s own answer only', async () => {
      const { api, sessionId } = await learnerSession('report');
      const report = (browser: { verdict: 'correct' | 'incorrect' | 'error'; backend: string; passed: number; total: number }, caller = api) =>
        caller.sessions.reportBrowserVerdict({ sessionId, questionId: QID, browser });
      await expectTrpcError(report({ verdict: 'correct', backend: 'webgl', passed: 5, total: 5 }), 'NOT_FOUND', 'この問題の採点済みの回答が見つかりません。');
      await api.sessions.submitCode({ sessionId, questionId: QID, code: WRONG_SOFTMAX, timeSpentMs: 1 });

      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        expect(await report({ verdict: 'correct', backend: 'webgl', passed: 5, total: 5 })).toEqual({ recorded: true, agrees: false });
        const lines = warn.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, unknown>);
        expect(lines).toEqual([
          expect.objectContaining({ event: 'grading-disagreement', questionId: QID, attempt: 1, browser: { verdict: 'correct', backend: 'webgl', passed: 5, total: 5 }, server: expect.objectContaining({ verdict: 'incorrect', backend: 'cpu' }) }),
        ]);
        const answer = (await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)))[0]!;
        expect(answer.feedback).toMatchObject({ code: { verdict: 'incorrect', browser: { verdict: 'correct', backend: 'webgl' } } });
        expect((await store.db.select().from(codeAttempts).where(eq(codeAttempts.sessionId, sessionId)))[0]!.feedback).toMatchObject({ code: { browser: { verdict: 'correct' } } });

        // Kept once: a second report changes nothing and logs nothing.
        expect(await report({ verdict: 'error', backend: 'wasm', passed: 0, total: 5 })).toEqual({ recorded: false, agrees: false });
        expect(warn).toHaveBeenCalledTimes(1);

        // The second try's browser verdict goes to that try; the answer (the first try) keeps its own.
        await api.sessions.submitCode({ sessionId, questionId: QID, code: 'def softmax(x):\n    return x * 2', timeSpentMs: 1 });
        expect(await report({ verdict: 'incorrect', backend: 'wasm', passed: 0, total: 5 })).toEqual({ recorded: true, agrees: true });
        expect(warn).toHaveBeenCalledTimes(1);
        const second = (await store.db.select().from(codeAttempts).where(and(eq(codeAttempts.sessionId, sessionId), eq(codeAttempts.attempt, 2))))[0]!;
        expect(second.feedback).toMatchObject({ code: { browser: { verdict: 'incorrect', backend: 'wasm' } } });
        expect((await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)))[0]!.feedback).toMatchObject({ code: { browser: { backend: 'webgl' } } });
      } finally {
        warn.mockRestore();
      }

      const other = await learnerSession('report-other');
      await expectTrpcError(report({ verdict: 'correct', backend: 'webgl', passed: 5, total: 5 }, other.api), 'NOT_FOUND', 'セッションが見つかりません。');
    });
  });

  describe('running the example on the server', () => {
    it('returns the example run and records nothing', async () => {
      const { api, sessionId } = await learnerSession('run', 'birnn');
      const ran = await api.sessions.runCode({ sessionId, questionId: 'birnn-concat', code: 'np.concatenate([h_f, h_b[::-1]], axis=1)' });
      expect(ran).toMatchObject({ backend: 'cpu', run: { ok: true, stdout: '' } });
      expect(ran.run.blanks.length).toBeGreaterThan(0);
      expect(ran.run.result).toBeDefined();
      const syntax = await api.sessions.runCode({ sessionId, questionId: 'birnn-concat', code: 'np.concatenate([h_f' });
      expect(syntax.run).toMatchObject({ ok: false, error: { type: 'SyntaxError', where: 'answer' } });
      expect((await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)))).toHaveLength(0);
      expect((await store.db.select().from(codeAttempts).where(eq(codeAttempts.sessionId, sessionId)))).toHaveLength(0);

      const choice = bank.questions.find((q) => q.chapter === 'birnn' && q.kind === 'choice')!;
      await expectTrpcError(api.sessions.runCode({ sessionId, questionId: choice.id, code: '1' }), 'BAD_REQUEST', 'この問題はコードでは回答できません。');
      const other = await learnerSession('run-other', 'birnn');
      await expectTrpcError(other.api.sessions.runCode({ sessionId, questionId: 'birnn-concat', code: '1' }), 'NOT_FOUND', 'セッションが見つかりません。');
    });

    it('answers a run the pool had to stop with a time-limit error, not an exception', async () => {
      const { api, sessionId } = await learnerSession('run-stopped', 'attention', async () => {
        throw new GradeTimeoutError(100);
      });
      const ran = await api.sessions.runCode({ sessionId, questionId: QID, code: 'def softmax(x):\n    while True:\n        pass' });
      expect(ran).toMatchObject({ backend: 'server', run: { ok: false, error: { type: 'TimeoutError', limit: 'timeoutMs' } } });
    });

    it('shares the submissions’ rate limit', async () => {
      const fakeRun = async () => ({ id: 0, ok: true as const, type: 'run' as const, run: { ok: true, blanks: [], stdout: '', inputs: {} }, backend: 'fake', elapsedMs: 1 });
      const { api, sessionId } = await learnerSession('run-limit', 'attention', fakeRun);
      for (let i = 0; i < 30; i++) await api.sessions.runCode({ sessionId, questionId: QID, code: RIGHT_SOFTMAX });
      await expectTrpcError(api.sessions.runCode({ sessionId, questionId: QID, code: RIGHT_SOFTMAX }), 'TOO_MANY_REQUESTS', '提出が多すぎます。1分ほど待ってからもう一度提出してください。');
      await expectTrpcError(
        api.sessions.submitCode({ sessionId, questionId: QID, code: RIGHT_SOFTMAX, timeSpentMs: 1 }),
        'TOO_MANY_REQUESTS',
        '提出が多すぎます。1分ほど待ってからもう一度提出してください。',
      );
    });
  });
});
