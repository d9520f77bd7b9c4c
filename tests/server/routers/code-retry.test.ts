import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store';
import { openPgStore, PgStore } from '../../../db/store-pg';
import type { CodeVerdict } from '../../../graders/code/types';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner, type GradeRunner } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { expectTrpcError } from '../expect-trpc-error';
import { freshStore, STORES } from '../test-stores';

/*
 * Issue 16: a code submission whose reply was lost is sent again, maybe to another node. The same code as the latest
 * counted try gets that try's grading back: no second grading, no attempt used up.
 */

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
const QUESTION = 'birnn-concat';
const RIGHT = 'np.concatenate([h_f, h_b[::-1]], axis=1)';

let store: Store;
let api: ReturnType<typeof createCaller>;
let learnerId: number;
let others: PgStore[] = [];
/** codes the grader was asked to grade */
let graded: string[] = [];
/** A learner of its own for each test: the submission rate limit counts per learner id, in this process. */
let nextLearner = 1000;

/** A stand-in grader: RIGHT is right, `syntax…` a syntax error (no attempt), anything else wrong. */
const grade: GradeRunner = async (request) => {
  graded.push(request.code);
  const error = request.code.startsWith('syntax');
  const right = request.code === RIGHT;
  const verdict: CodeVerdict = {
    verdict: error ? 'error' : right ? 'correct' : 'incorrect',
    passed: right ? 5 : 0,
    total: 5,
    seed: request.seed,
    message: error ? 'SyntaxError: 構文が正しくありません' : right ? '正解です' : `不正解: ${request.code}`,
    cases: error
      ? [{ index: 0, visible: true, passed: false, error: { type: 'SyntaxError', message: '構文が正しくありません', line: 1, col: 1, where: 'answer' } }]
      : [{ index: 0, visible: true, passed: right }],
  };
  return { id: 0, ok: true, type: 'grade', backend: 'stub', elapsedMs: 7, verdict };
};

function callerOn(s: Store) {
  const context = createContextInner({ store: s, bank, learnerId, grade });
  return createCaller(() => context);
}

async function rows() {
  const { answers, codeAttempts, reviewCards, reviewLogs } = store.tables;
  return {
    answers: await store.db.select().from(answers).orderBy(answers.id),
    attempts: await store.db.select().from(codeAttempts).orderBy(codeAttempts.id),
    cards: await store.db.select().from(reviewCards),
    logs: await store.db.select().from(reviewLogs).orderBy(reviewLogs.id),
  };
}

describe.each(STORES)('a retried code submission (%s)', (kind) => {
  let sessionId: number;
  const submit = (code: string, on = api) => on.sessions.submitCode({ sessionId, questionId: QUESTION, code, timeSpentMs: 5000 });

  beforeEach(async () => {
    store = await freshStore(kind);
    await syncBank(store, bank);
    learnerId = nextLearner++;
    await store.db.insert(store.tables.learners).values({ id: learnerId, name: `学習者 ${learnerId}` });
    api = callerOn(store);
    graded = [];
    sessionId = (await api.sessions.start({ chapters: ['birnn'], count: 100, order: 'course' })).sessionId;
  });
  afterEach(async () => {
    for (const other of others) await other.close();
    others = [];
  });

  it('gets the latest try back without grading it again or using an attempt', async () => {
    const first = await submit('h_f + h_b');
    expect(first.grading).toMatchObject({ recorded: true, attempt: 1, backend: 'stub', elapsedMs: 7, verdict: { verdict: 'incorrect', message: '不正解: h_f + h_b' } });
    expect(first.item.attempts).toMatchObject({ used: 1, open: true, verdicts: ['incorrect'], last: { attempt: 1, code: 'h_f + h_b' } });
    const stored = await rows();
    expect(stored.attempts).toHaveLength(1);
    expect(stored.logs).toHaveLength(1);

    expect(await submit('h_f + h_b')).toEqual(first);
    expect(graded).toEqual(['h_f + h_b']);
    expect(await rows()).toEqual(stored);

    // Other code is another try; its retry gives that try back.
    const second = await submit('h_f * h_b');
    expect(second.grading).toMatchObject({ recorded: true, attempt: 2 });
    expect(await submit('h_f * h_b')).toEqual(second);
    // The code of an earlier try, not the latest, is a new try.
    const third = await submit('h_f + h_b');
    expect(third.grading).toMatchObject({ recorded: true, attempt: 3 });
    expect(third.item.attempts).toMatchObject({ used: 3, open: false, verdicts: ['incorrect', 'incorrect', 'incorrect'] });
    // The tries are over: the last one's retry is still answered, anything else refused.
    expect(await submit('h_f + h_b')).toEqual(third);
    await expectTrpcError(submit(RIGHT), 'CONFLICT', 'この問題の提出は 3 回までです。解答と解説を確認してください。');
    expect(graded).toEqual(['h_f + h_b', 'h_f * h_b', 'h_f + h_b']);
    const after = await rows();
    expect(after.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(after.answers).toHaveLength(1);
    expect(after.logs).toHaveLength(1);
  });

  it('answers a retry of a right try with its grading, not 「すでに正解しています」', async () => {
    const first = await submit(RIGHT);
    expect(first.grading).toMatchObject({ recorded: true, attempt: 1, verdict: { verdict: 'correct', passed: 5, total: 5 } });
    expect(first.item.result).toMatchObject({ verdict: 'correct', response: { type: 'code', code: RIGHT } });
    const stored = await rows();
    expect(await submit(RIGHT)).toEqual(first);
    await expectTrpcError(submit('h_f + h_b'), 'CONFLICT', 'この問題にはすでに正解しています。');
    expect(graded).toEqual([RIGHT]);
    expect(await rows()).toEqual(stored);
  });

  it('grades a syntax error again each time: it was never recorded', async () => {
    const first = await submit('syntax(');
    expect(first.grading).toMatchObject({ recorded: false, attempt: null });
    const again = await submit('syntax(');
    expect(again.grading).toMatchObject({ recorded: false, attempt: null });
    expect(graded).toEqual(['syntax(', 'syntax(']);
    expect((await rows()).attempts).toEqual([]);
  });

  it('sent twice at once: two identical results, one try, one answer, one review', async () => {
    const [a, b] = await Promise.all([submit('h_f - h_b'), submit('h_f - h_b')]);
    expect(a.grading).toMatchObject({ recorded: true, attempt: 1, verdict: { verdict: 'incorrect' } });
    expect(b).toEqual(a);
    const after = await rows();
    expect(after.attempts).toHaveLength(1);
    expect(after.answers).toHaveLength(1);
    expect(after.logs).toHaveLength(1);
    expect(after.cards).toHaveLength(1);
  });

  it.skipIf(kind !== 'pg')('sent to two nodes at once: one try, one answer, one review', async () => {
    if (!(store instanceof PgStore)) throw new Error('another node needs PostgreSQL');
    const otherStore = await openPgStore(store.pool.options.connectionString!, { max: 2 });
    others.push(otherStore);
    const other = callerOn(otherStore);
    const [a, b] = await Promise.all([submit(RIGHT), submit(RIGHT, other)]);
    expect(a.grading).toMatchObject({ recorded: true, attempt: 1, verdict: { verdict: 'correct' } });
    expect(b).toEqual(a);
    const after = await rows();
    expect(after.attempts).toHaveLength(1);
    expect(after.answers).toHaveLength(1);
    expect(after.logs).toHaveLength(1);
  });

  it.skipIf(kind !== 'pg')('a later try sent to two nodes at once: one try', async () => {
    if (!(store instanceof PgStore)) throw new Error('another node needs PostgreSQL');
    const otherStore = await openPgStore(store.pool.options.connectionString!, { max: 2 });
    others.push(otherStore);
    const other = callerOn(otherStore);
    await submit('h_f + h_b');
    const [a, b] = await Promise.all([submit('h_f * h_b'), submit('h_f * h_b', other)]);
    expect(a.grading).toMatchObject({ recorded: true, attempt: 2 });
    expect(b).toEqual(a);
    expect((await rows()).attempts.map((t) => [t.attempt, t.code])).toEqual([
      [1, 'h_f + h_b'],
      [2, 'h_f * h_b'],
    ]);
  });
});
