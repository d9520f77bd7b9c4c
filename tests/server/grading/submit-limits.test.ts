import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type Db } from '../../../db/client';
import { sqliteStore } from '../../../db/store-sqlite';
import { answers, learners } from '../../../db/schema';
import type { CodeVerdict } from '../../../graders/code/types';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner, type GradeRunner } from '../../../server/context';
import { GradeTimeoutError, GraderCrashError } from '../../../server/grading/pool';
import { createCaller } from '../../../server/root';
import { LIMIT_HITS_MESSAGE } from '../../../server/services/code-answers';
import { expectTrpcError } from '../expect-trpc-error';

// submitCode with a fake grader: what the service makes of a job the pool stopped, and the budget of limit hits.
const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
let db: Db;
beforeAll(async () => {
  db = createTestDb();
  await syncBank(sqliteStore(db), bank);
});

const QUESTION = 'attention-softmax-function';
const verdictOf = (verdict: CodeVerdict['verdict'], limit?: string): CodeVerdict => ({
  verdict,
  passed: verdict === 'correct' ? 5 : 0,
  total: 5,
  seed: 1,
  message: verdict,
  cases: verdict === 'correct' ? [] : [{ index: 0, visible: true, passed: false, error: { type: limit ? 'TimeoutError' : 'SyntaxError', message: 'x', line: 1, col: 1, where: 'answer', ...(limit ? { limit } : {}) } }],
});

async function learnerWith(grade: GradeRunner) {
  const learner = db.insert(learners).values({ name: 'limits' }).returning().get();
  const api = createCaller(await createContextInner({ store: sqliteStore(db), bank, learnerId: learner.id, grade }));
  const { sessionId } = await api.sessions.start({ chapters: ['attention'], count: 100, order: 'course' });
  const submit = () => api.sessions.submitCode({ sessionId, questionId: QUESTION, code: 'def softmax(x):\n    return x', timeSpentMs: 1 });
  return { learnerId: learner.id, sessionId, submit };
}

describe('a grading job the pool had to stop', () => {
  it('passes the learner to the pool, so it can queue per learner', async () => {
    const seen: (string | undefined)[] = [];
    const { learnerId, submit } = await learnerWith(async (r) => {
      seen.push(r.learner);
      return { id: 0, ok: true, type: 'grade', verdict: verdictOf('correct'), backend: 'fake', elapsedMs: 1 };
    });
    await submit();
    expect(seen).toEqual([String(learnerId)]);
  });

  it('answers a dead grading process with a MemoryError verdict that costs no attempt', async () => {
    const { sessionId, submit } = await learnerWith(() => Promise.reject(new GraderCrashError('exit SIGABRT')));
    const { grading } = await submit();
    const message = '解答がメモリを使いすぎたため、採点を打ち切りました（採点プロセスが停止しました）。大きな配列や文字列を作っていないか確認してください。';
    expect(grading).toMatchObject({ recorded: false, verdict: { verdict: 'error', message: `MemoryError: ${message}`, cases: [{ error: { type: 'MemoryError', message, limit: 'maxHeapMb' } }] } });
    expect(db.select().from(answers).where(eq(answers.sessionId, sessionId)).all()).toHaveLength(0);
  });
});

describe('budget of submissions that hit a limit', () => {
  it('refuses a learner after 6 limit hits in a minute (timeouts, dead processes), not others', async () => {
    let n = 0;
    const { submit } = await learnerWith(() => Promise.reject(n++ % 2 ? new GradeTimeoutError(5_000) : new GraderCrashError('exit 134')));
    for (let i = 0; i < 6; i++) expect((await submit()).grading.recorded).toBe(false);
    await expectTrpcError(submit(), 'TOO_MANY_REQUESTS', LIMIT_HITS_MESSAGE);
    expect(LIMIT_HITS_MESSAGE).toBe('時間やメモリの制限に達する提出が続いたため、しばらく提出を受け付けません。1分ほど待ってから、コードを見直して提出してください。');
    expect(n).toBe(6); // the refused one never reached the grader

    const other = await learnerWith(async () => ({ id: 0, ok: true, type: 'grade', verdict: verdictOf('error', 'maxSteps'), backend: 'fake', elapsedMs: 1 }));
    expect((await other.submit()).grading.recorded).toBe(false);
  });

  it("counts the interpreter's own limits, but not syntax errors", async () => {
    let verdict = verdictOf('error');
    const { submit } = await learnerWith(async () => ({ id: 0, ok: true, type: 'grade', verdict, backend: 'fake', elapsedMs: 1 }));
    for (let i = 0; i < 10; i++) await submit(); // syntax errors: no limit hit
    verdict = verdictOf('error', 'maxSteps');
    for (let i = 0; i < 6; i++) await submit();
    await expectTrpcError(submit(), 'TOO_MANY_REQUESTS', LIMIT_HITS_MESSAGE);
  });

  it('lets at most 6 of a parallel burst reach the grader', async () => {
    let graded = 0;
    const { submit } = await learnerWith(async () => {
      graded += 1;
      await new Promise((r) => setTimeout(r, 50));
      return { id: 0, ok: true, type: 'grade', verdict: verdictOf('error', 'timeoutMs'), backend: 'fake', elapsedMs: 1 };
    });
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => submit()));
    expect(graded).toBe(6);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(6);
  });
});
