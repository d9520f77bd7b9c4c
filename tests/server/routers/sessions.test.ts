import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { expectTrpcError } from '../expect-trpc-error';
import { freshStore, STORES } from '../test-stores';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));

let store: Store;
let api: ReturnType<typeof createCaller>;

/** A second learner and their API. */
async function learner(name: string) {
  const [row] = await store.db.insert(store.tables.learners).values({ name }).returning();
  return createCaller(await createContextInner({ store, bank, learnerId: row!.id }));
}

describe.each(STORES)('sessions router (%s)', (kind) => {
  beforeEach(async () => {
    store = await freshStore(kind);
    await syncBank(store, bank);
    api = createCaller(await createContextInner({ store, bank }));
  });

  it('starts, answers, resumes and finishes a session', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['lstm', 'rnn'], count: 10, order: 'course' });
    const fresh = await api.sessions.get({ sessionId });
    expect(fresh.items.map((i) => i.questionId)).toEqual(['e2e-a-choice', 'e2e-b-numeric', 'e2e-c-text']);
    expect(fresh).toMatchObject({ total: 3, answeredCount: 0, currentPosition: 0, finishedAt: null, chapters: ['rnn', 'lstm'] });

    const first = await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 4200 });
    expect(first.result).toMatchObject({ verdict: 'correct', score: 1, key: { choice: 'b' }, timeSpentMs: 4200 });
    expect(first.result?.explanationHtml).toContain('katex');
    // right in under 8 s: the card was scheduled as Easy (4), and the reply says so
    expect(first.result?.rating).toBe(4);
    // the reply carries what answering changed; the prompt and choices the client has are not sent again
    expect(Object.keys(first).sort()).toEqual(['answered', 'position', 'questionId', 'result', 'savedResponse']);

    // Resume: the next unanswered question, with the earlier answer kept.
    const resumed = await api.sessions.get({ sessionId });
    expect(resumed.currentPosition).toBe(1);
    expect(resumed.items[0]?.result?.response).toEqual({ type: 'choice', choice: 'b' });

    const second = await api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.3' }, timeSpentMs: 1000 });
    expect(second.result).toMatchObject({ verdict: 'incorrect', key: { value: '0.25' }, feedback: { parsed: 0.3 } });

    const finished = await api.sessions.finish({ sessionId });
    expect(finished.finishedAt).not.toBeNull();
    expect(finished).toMatchObject({ answeredCount: 2, correctCount: 1, total: 3 });
    expect(finished.score).toBeCloseTo(1 / 3);
    // The unanswered question shows its answer and 解説 once the session has ended.
    expect(finished.items[2]).toMatchObject({ answered: false, result: null, solution: { key: { value: '3×3', accept: ['3'] } } });
    expect(fresh.items[2]?.solution).toBeNull();

    const { answers } = store.tables;
    const [row] = await store.db.select().from(answers).where(eq(answers.questionId, 'e2e-a-choice'));
    expect(row).toMatchObject({ sessionId, position: 0, verdict: 'correct', questionHash: bank.byId.get('e2e-a-choice')!.contentHash });
  });

  it('never sends an answer key or explanation before the question is answered', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'random' });
    const view = await api.sessions.get({ sessionId });
    const payload = JSON.stringify(view);
    for (const secret of ['"key"', 'explanationHtml', '"answer"', 'rubric', '解説', '0.25 をとる']) expect(payload).not.toContain(secret);
    for (const item of view.items) expect(item.result).toBeNull();
  });

  it('draws a reproducible random order from the stored seed', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 2, order: 'random' });
    const view = await api.sessions.get({ sessionId });
    expect(view.total).toBe(2);
    expect(new Set(view.items.map((i) => i.questionId)).size).toBe(2);
  });

  it('refuses bad answers clearly and writes nothing', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 5, order: 'course' });
    const answer = (questionId: string, response: Parameters<typeof api.sessions.answer>[0]['response'], id = sessionId) =>
      api.sessions.answer({ sessionId: id, questionId, response, timeSpentMs: 10 });

    await expectTrpcError(answer('e2e-b-numeric', { type: 'numeric', value: 'にぶんのいち' }), 'BAD_REQUEST', /数値として読めません/);
    await expectTrpcError(answer('e2e-c-text', { type: 'text', value: '3' }), 'BAD_REQUEST', 'この問題はこのセッションに含まれていません。');
    await expectTrpcError(answer('e2e-a-choice', { type: 'choice', choice: 'b' }, 9999), 'NOT_FOUND', 'セッションが見つかりません。');
    await expectTrpcError(answer('e2e-a-choice', { type: 'written', value: 'b' }), 'BAD_REQUEST', 'この問題はその形式では回答できません');
    expect(await store.db.select().from(store.tables.answers)).toHaveLength(0);

    await answer('e2e-a-choice', { type: 'choice', choice: 'a' });
    await expectTrpcError(answer('e2e-a-choice', { type: 'choice', choice: 'b' }), 'CONFLICT', 'この問題にはすでに回答しています。');
    await api.sessions.finish({ sessionId });
    await expectTrpcError(answer('e2e-b-numeric', { type: 'numeric', value: '0.25' }), 'BAD_REQUEST', 'このセッションは終了しています。');
    expect(await store.db.select().from(store.tables.answers)).toHaveLength(1);
  });

  it('rejects malformed input through zod', async () => {
    const bad = [
      () => api.sessions.start({ chapters: [], count: 3, order: 'course' }),
      () => api.sessions.start({ chapters: ['nope' as never], count: 3, order: 'course' }),
      () => api.sessions.start({ chapters: ['rnn'], count: 0, order: 'course' }),
      () => api.sessions.start({ chapters: ['rnn'], count: 3, order: 'course', extra: 1 } as never),
      () => api.sessions.get({ sessionId: -1 }),
      () => api.sessions.answer({ sessionId: 1, questionId: 'x', response: { type: 'text', value: 'x'.repeat(501) }, timeSpentMs: 1 }),
      () => api.sessions.answer({ sessionId: 1, questionId: 'x', response: { type: 'choice' } as never, timeSpentMs: 1 }),
    ];
    for (const call of bad) await expectTrpcError(call(), 'BAD_REQUEST', /.+/);
  });

  it('refuses a session with no questions in the chosen chapters', async () => {
    await expectTrpcError(api.sessions.start({ chapters: ['detection'], count: 3, order: 'course' }), 'BAD_REQUEST', /まだ問題がありません/);
  });

  it("keeps one learner out of another's session", async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    const b = await learner('B');
    await expectTrpcError(b.sessions.get({ sessionId }), 'NOT_FOUND', 'セッションが見つかりません。');
    await expectTrpcError(
      b.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1 }),
      'NOT_FOUND',
      'セッションが見つかりません。',
    );
    await expectTrpcError(b.sessions.finish({ sessionId }), 'NOT_FOUND', 'セッションが見つかりません。');
    expect(await b.sessions.list({ limit: 10 })).toEqual([]);
  });

  it('lists sessions newest first and reports chapter accuracy', async () => {
    const s1 = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    await api.sessions.answer({ sessionId: s1.sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1 });
    await api.sessions.answer({ sessionId: s1.sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '1' }, timeSpentMs: 1 });
    const s2 = await api.sessions.start({ chapters: ['lstm'], count: 1, order: 'course' });
    const list = await api.sessions.list({ limit: 10 });
    expect(list.map((s) => [s.id, s.answeredCount, s.total])).toEqual([
      [s2.sessionId, 0, 1],
      [s1.sessionId, 2, 2],
    ]);
    const overview = await api.chapters.overview();
    expect(overview.map((c) => c.slug)).toHaveLength(13);
    expect(overview.find((c) => c.slug === 'rnn')).toMatchObject({ questionCount: 2, answeredCount: 2, accuracy: 0.5 });
    expect(overview.find((c) => c.slug === 'lstm')).toMatchObject({ questionCount: 1, answeredCount: 0, accuracy: null });
  });

  it("filters the draw by kind, source and the learner's history", async () => {
    const ids = async (filters: Parameters<typeof api.sessions.start>[0]['filters']) => {
      const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 10, order: 'course', filters });
      return (await api.sessions.get({ sessionId })).items.map((i) => i.questionId);
    };
    expect(await ids({ kinds: ['numeric'] })).toEqual(['e2e-b-numeric']);
    expect(await ids({ kinds: ['choice', 'written'] })).toEqual(['e2e-a-choice', 'e2e-c-text']);
    expect(await ids({ sources: ['course'] })).toEqual(['e2e-c-text']);
    expect(await ids({ sources: ['original'], kinds: ['choice'] })).toEqual(['e2e-a-choice']);

    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'a' }, timeSpentMs: 1 });
    await api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.25' }, timeSpentMs: 1 });
    expect(await ids({ status: 'unanswered' })).toEqual(['e2e-c-text']);
    expect(await ids({ status: 'wrong' })).toEqual(['e2e-a-choice']);
    await expectTrpcError(
      api.sessions.start({ chapters: ['rnn'], count: 3, order: 'course', filters: { status: 'wrong', kinds: ['numeric'] } }),
      'BAD_REQUEST',
      '条件に合う問題がありません。絞り込みを緩めてください。',
    );
    const catalog = await api.sessions.catalog();
    expect(catalog.find((e) => e.id === 'e2e-a-choice')).toEqual({ id: 'e2e-a-choice', chapter: 'rnn', kindGroup: 'choice', sourceGroup: 'original', answered: true, lastWrong: true });
    expect(catalog.find((e) => e.id === 'e2e-c-text')).toMatchObject({ kindGroup: 'written', sourceGroup: 'course', answered: false, lastWrong: false });
  });

  it('scores the answered questions apart from the unanswered ones, a partial answer as partial', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'course' });
    expect(await api.sessions.get({ sessionId })).toMatchObject({ answeredCount: 0, correctCount: 0, partialCount: 0, answeredScore: null });
    await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1 });
    const one = await api.sessions.get({ sessionId });
    expect(one).toMatchObject({ total: 3, answeredCount: 1, correctCount: 1, partialCount: 0, answeredScore: 1 });
    expect(one.score).toBeCloseTo(1 / 3); // over every question: what a mock exam reports

    // A partial answer (a written answer's rubric) counts as half here.
    const q = bank.byId.get('e2e-c-text')!;
    const { answers, practiceSessions } = store.tables;
    const [session] = await store.db.select().from(practiceSessions);
    await store.db
      .insert(answers)
      .values({ sessionId, learnerId: session!.learnerId, questionId: q.id, questionHash: q.contentHash, position: 2, response: { type: 'text', value: '3' }, verdict: 'partial', score: 0.5, feedback: null, timeSpentMs: 1 });
    const two = await api.sessions.get({ sessionId });
    expect(two).toMatchObject({ answeredCount: 2, correctCount: 1, partialCount: 1, answeredScore: 0.75 });
  });

  it('starts a session of exactly the wrong and partly right questions again', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'course' });
    await expectTrpcError(api.sessions.retryWrong({ sessionId }), 'BAD_REQUEST', 'このセッションに間違えた問題はありません。');
    await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'a' }, timeSpentMs: 1 });
    await api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.25' }, timeSpentMs: 1 });
    await api.sessions.answer({ sessionId, questionId: 'e2e-c-text', response: { type: 'text', value: '4×4' }, timeSpentMs: 1 });
    await api.sessions.finish({ sessionId });

    const retry = await api.sessions.retryWrong({ sessionId });
    expect(retry.sessionId).not.toBe(sessionId);
    const view = await api.sessions.get({ sessionId: retry.sessionId });
    expect(view).toMatchObject({ mode: 'practice', total: 2, answeredCount: 0, finishedAt: null });
    expect(view.items.map((i) => i.questionId)).toEqual(['e2e-a-choice', 'e2e-c-text']);

    const c = await learner('C');
    await expectTrpcError(c.sessions.retryWrong({ sessionId }), 'NOT_FOUND', 'セッションが見つかりません。');
  });
});
