import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store';
import { openPgStore, PgStore } from '../../../db/store-pg';
import type { Response } from '../../../graders/answers/response';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { sameResponse } from '../../../server/services/sessions';
import { expectTrpcError } from '../expect-trpc-error';
import { freshStore, STORES } from '../test-stores';

/*
 * Issue 16: a browser whose answer got no reply (its node died after COMMIT, the network failed) sends it again,
 * maybe to another node. The retry must give the first result and record nothing twice.
 */

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
const CHOICE = 'word2vec-false-statement';
const WRITTEN = 'attention-long-sequence-written';

let store: Store;
let api: ReturnType<typeof createCaller>;
/** stores opened as a second app node; closed after each test */
let others: PgStore[] = [];

/** The local learner's API on the store `s` (a node). */
async function callerOn(s: Store) {
  const [learner] = await store.db.select().from(store.tables.learners);
  return createCaller(await createContextInner({ store: s, bank, learnerId: learner!.id }));
}

/** PostgreSQL only: a second app node, with a pool of its own, on the same database. */
async function otherNode(): Promise<ReturnType<typeof createCaller>> {
  if (!(store instanceof PgStore)) throw new Error('another node needs PostgreSQL');
  const other = await openPgStore(store.pool.options.connectionString!, { max: 2 });
  others.push(other);
  return callerOn(other);
}

async function rows() {
  const { answers, reviewCards, reviewLogs } = store.tables;
  return {
    answers: await store.db.select().from(answers).orderBy(answers.id),
    cards: await store.db.select().from(reviewCards),
    logs: await store.db.select().from(reviewLogs).orderBy(reviewLogs.id),
  };
}

async function practice() {
  const { sessionId } = await api.sessions.start({ chapters: ['word2vec', 'attention'], count: 100, order: 'course' });
  return sessionId;
}

describe('sameResponse', () => {
  it('ignores the order of keys (jsonb reorders them), not values or the order of array items', () => {
    expect(sameResponse({ type: 'code', code: 'np.dot(a, b)' }, { code: 'np.dot(a, b)', type: 'code' })).toBe(true);
    expect(sameResponse({ type: 'code', code: 'np.dot(a, b)' }, { type: 'code', code: 'np.dot(b, a)' })).toBe(false);
    expect(sameResponse({ type: 'multi', choices: ['a', 'b'] }, { choices: ['a', 'b'], type: 'multi' })).toBe(true);
    expect(sameResponse({ type: 'multi', choices: ['a', 'b'] }, { type: 'multi', choices: ['b', 'a'] })).toBe(false);
    expect(sameResponse({ type: 'numeric', value: '0.3' }, { type: 'numeric', value: '0.30' })).toBe(false);
    expect(sameResponse({ type: 'text', value: 'x' }, { type: 'written', value: 'x' })).toBe(false);
    expect(sameResponse({ a: { b: 1, c: [1, { d: 2, e: 3 }] } }, { a: { c: [1, { e: 3, d: 2 }], b: 1 } })).toBe(true);
  });
});

describe.each(STORES)('a retried answer (%s)', (kind) => {
  beforeEach(async () => {
    store = await freshStore(kind);
    await syncBank(store, bank);
    api = createCaller(await createContextInner({ store, bank }));
  });
  afterEach(async () => {
    for (const other of others) await other.close();
    others = [];
  });

  it('gets the stored result back, and the review card is applied once', async () => {
    const sessionId = await practice();
    const input = { sessionId, questionId: CHOICE, response: { type: 'choice', choice: 'd' } as Response, timeSpentMs: 4200 };
    const first = await api.sessions.answer(input);
    expect(first.result).toMatchObject({ verdict: 'correct', score: 1, rating: 4, timeSpentMs: 4200, response: { type: 'choice', choice: 'd' } });
    const stored = await rows();
    expect(stored.answers).toHaveLength(1);
    expect(stored.logs).toHaveLength(1);
    expect(stored.cards).toHaveLength(1);

    // The retry took longer (another time spent): the stored answer's result comes back all the same.
    const retry = await api.sessions.answer({ ...input, timeSpentMs: 30_000 });
    expect(retry).toEqual(first);
    expect(await rows()).toEqual(stored);
  });

  it('gives a written answer back with its rubric feedback, and its review once', async () => {
    const sessionId = await practice();
    const input = { sessionId, questionId: WRITTEN, response: { type: 'written', value: 'エンコーダの固定長ベクトルに情報が入りきらない。' } as Response, timeSpentMs: 60_000 };
    const first = await api.sessions.answer(input);
    expect(first.result?.feedback?.rubric?.length).toBeGreaterThan(0);
    const stored = await rows();
    expect(stored.logs).toHaveLength(1);
    expect(await api.sessions.answer(input)).toEqual(first);
    expect(await rows()).toEqual(stored);
  });

  it('still refuses a different answer to an answered question, and changes nothing', async () => {
    const sessionId = await practice();
    const first = await api.sessions.answer({ sessionId, questionId: CHOICE, response: { type: 'choice', choice: 'a' }, timeSpentMs: 1000 });
    expect(first.result).toMatchObject({ verdict: 'incorrect', rating: 1 });
    const stored = await rows();
    await expectTrpcError(
      api.sessions.answer({ sessionId, questionId: CHOICE, response: { type: 'choice', choice: 'd' }, timeSpentMs: 1000 }),
      'CONFLICT',
      'この問題にはすでに回答しています。',
    );
    expect(await rows()).toEqual(stored);
  });

  it('refuses a retry once the session has ended', async () => {
    const sessionId = await practice();
    const input = { sessionId, questionId: CHOICE, response: { type: 'choice', choice: 'd' } as Response, timeSpentMs: 1000 };
    await api.sessions.answer(input);
    await api.sessions.finish({ sessionId });
    await expectTrpcError(api.sessions.answer(input), 'BAD_REQUEST', 'このセッションは終了しています。');
    expect((await rows()).answers).toHaveLength(1);
  });

  it('sent twice at once: two identical results, one answer, one review', async () => {
    const sessionId = await practice();
    const input = { sessionId, questionId: CHOICE, response: { type: 'choice', choice: 'd' } as Response, timeSpentMs: 2500 };
    const [a, b] = await Promise.all([api.sessions.answer(input), api.sessions.answer(input)]);
    expect(a.result).toMatchObject({ verdict: 'correct', rating: 4, timeSpentMs: 2500 });
    expect(b).toEqual(a);
    const after = await rows();
    expect(after.answers).toHaveLength(1);
    expect(after.logs).toHaveLength(1);
    expect(after.logs[0]).toMatchObject({ answerId: after.answers[0]!.id, rating: 4 });
    expect(after.cards).toHaveLength(1);
  });

  it.skipIf(kind !== 'pg')('retried on another node, after the first committed and at the same time', async () => {
    const other = await otherNode();
    const sessionId = await practice();
    const input = { sessionId, questionId: CHOICE, response: { type: 'choice', choice: 'd' } as Response, timeSpentMs: 3000 };
    const first = await api.sessions.answer(input);
    const stored = await rows();
    expect(await other.sessions.answer(input)).toEqual(first);
    expect(await rows()).toEqual(stored);

    // Two nodes, two transactions on two connections: the second insert waits for the first commit.
    const written = { sessionId, questionId: WRITTEN, response: { type: 'written', value: '固定長の文脈ベクトル 1 つに圧縮するため。' } as Response, timeSpentMs: 9000 };
    const [a, b] = await Promise.all([api.sessions.answer(written), other.sessions.answer(written)]);
    expect(b).toEqual(a);
    const after = await rows();
    expect(after.answers.filter((r) => r.questionId === WRITTEN)).toHaveLength(1);
    expect(after.logs.filter((l) => l.questionId === WRITTEN)).toHaveLength(1);
    // One more retry on one node while the other gets a different answer: the retry is answered, the other refused.
    const [again, different] = await Promise.allSettled([api.sessions.answer(input), other.sessions.answer({ ...input, response: { type: 'choice', choice: 'a' } })]);
    expect(again).toEqual({ status: 'fulfilled', value: first });
    expect(different).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT', message: 'この問題にはすでに回答しています。' } });
  });
});

describe.each(STORES)('a retried mock exam save (%s)', (kind) => {
  beforeEach(async () => {
    store = await freshStore(kind);
    await syncBank(store, bank);
    api = createCaller(await createContextInner({ store, bank }));
  });
  afterEach(async () => {
    for (const other of others) await other.close();
    others = [];
  });

  /** A mock exam and one of its choice questions, with two of its choice ids. */
  async function mock() {
    const { sessionId } = await api.sessions.startMock({ size: 20 });
    const item = (await api.sessions.get({ sessionId })).items.find((i) => i.kind === 'choice')!;
    const [x, y] = item.choices!.map((c) => c.id);
    const save = (choice: string, timeSpentMs: number, requestId?: string) =>
      api.sessions.answer({ sessionId, questionId: item.questionId, response: { type: 'choice', choice }, timeSpentMs, ...(requestId ? { requestId } : {}) });
    const stored = async () => (await store.db.select().from(store.tables.answers).where(eq(store.tables.answers.sessionId, sessionId))).map((r) => ({ ...(r.response as object), timeSpentMs: r.timeSpentMs, requestId: r.requestId }));
    return { sessionId, item, x: x!, y: y!, save, stored };
  }

  it('adds the time of a save once, however often it is retried; a new save adds its own', async () => {
    const { x, y, save, stored } = await mock();
    const first = await save(x, 1000, 'request-0000000001');
    expect(first).toMatchObject({ answered: true, result: null, savedResponse: { type: 'choice', choice: x } });
    expect(await save(x, 1000, 'request-0000000001')).toEqual(first);
    expect(await save(x, 1000, 'request-0000000001')).toEqual(first);
    expect(await stored()).toEqual([{ type: 'choice', choice: x, timeSpentMs: 1000, requestId: 'request-0000000001' }]);

    // The same answer saved again (a new request): its time counts.
    await save(x, 500, 'request-0000000002');
    expect(await stored()).toEqual([{ type: 'choice', choice: x, timeSpentMs: 1500, requestId: 'request-0000000002' }]);
    await save(y, 700, 'request-0000000003');
    expect(await stored()).toEqual([{ type: 'choice', choice: y, timeSpentMs: 2200, requestId: 'request-0000000003' }]);
    // A client that sends no id: every save adds its time, as before.
    await save(y, 100);
    await save(y, 100);
    expect(await stored()).toEqual([{ type: 'choice', choice: y, timeSpentMs: 2400, requestId: null }]);
    expect(await store.db.select().from(store.tables.reviewLogs)).toEqual([]);
  });

  it('sent twice at once: one row, its time once', async () => {
    const { x, save, stored } = await mock();
    const [a, b] = await Promise.all([save(x, 4000, 'request-000000000a'), save(x, 4000, 'request-000000000a')]);
    expect(b).toEqual(a);
    expect(await stored()).toEqual([{ type: 'choice', choice: x, timeSpentMs: 4000, requestId: 'request-000000000a' }]);
  });

  it.skipIf(kind !== 'pg')('sent to two nodes at once: one row, its time once', async () => {
    const other = await otherNode();
    const { sessionId, item, x, stored } = await mock();
    const input = { sessionId, questionId: item.questionId, response: { type: 'choice', choice: x } as Response, timeSpentMs: 4000, requestId: 'request-00000000nodes' };
    const [a, b] = await Promise.all([api.sessions.answer(input), other.sessions.answer(input)]);
    expect(b).toEqual(a);
    expect(await stored()).toEqual([{ type: 'choice', choice: x, timeSpentMs: 4000, requestId: 'request-00000000nodes' }]);
  });

  it('refuses a malformed request id', async () => {
    const { sessionId, item, x } = await mock();
    for (const requestId of ['short', 'x'.repeat(65), 'with space in it here', "quote'0000000000000"]) {
      await expectTrpcError(api.sessions.answer({ sessionId, questionId: item.questionId, response: { type: 'choice', choice: x }, timeSpentMs: 1, requestId }), 'BAD_REQUEST', /.+/);
    }
  });
});
