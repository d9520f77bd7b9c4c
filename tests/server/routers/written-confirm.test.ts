import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { Rating } from 'ts-fsrs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store';
import { buildBank, type Bank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { exportHistory, historyToJson, type HistoryFile } from '../../../server/services/history';
import { expectTrpcError } from '../expect-trpc-error';
import { freshStore, STORES, type StoreKind } from '../test-stores';

// A written item with three rubric points (生成時 / 学習時 / the mismatch), from the real bank.
const QID = 'birnn-no-generation';
const ALL_THREE =
  '生成するときは、後ろの単語がまだ生成されていないので逆方向の RNN を計算できない。学習するときは、逆方向の状態に次の単語の情報が入ってしまい、答えを見ながら予測するカンニングになる。学習時と生成時で使える情報が違うので、学習した予測が役に立たない。';
/** pre-ticks the first point only */
const FIRST_ONLY = '生成するときは、後ろの単語がまだ生成されていないので逆方向の RNN を計算できない。';
const MINUTE = 60_000;

let bank: Bank;
let store: Store;
let kind: StoreKind;

beforeAll(() => {
  bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
});

async function learner(name: string) {
  const [row] = await store.db.insert(store.tables.learners).values({ name }).returning();
  return { id: row!.id, api: createCaller(() => createContextInner({ store, bank, learnerId: row!.id })) };
}

/** A practice session over the birnn chapter, and the learner's written answer to QID in it. */
async function answerWritten(api: Awaited<ReturnType<typeof learner>>['api'], value: string) {
  const { sessionId } = await api.sessions.start({ chapters: ['birnn'], count: 100, order: 'course' });
  const item = await api.sessions.answer({ sessionId, questionId: QID, response: { type: 'written', value }, timeSpentMs: 2 * MINUTE });
  return { sessionId, result: item.result! };
}

async function cardOf(learnerId: number) {
  const { reviewCards } = store.tables;
  const [card] = await store.db.select().from(reviewCards).where(and(eq(reviewCards.learnerId, learnerId), eq(reviewCards.questionId, QID)));
  return card!;
}

async function answerRow(id: number) {
  const { answers } = store.tables;
  return (await store.db.select().from(answers).where(eq(answers.id, id)))[0];
}

describe.each(STORES)('sessions.confirmWritten (%s)', (storeKind) => {
  beforeEach(async () => {
    kind = storeKind;
    store = await freshStore(kind);
    await syncBank(store, bank);
  });

  it('sets the recorded score, the verdict and the FSRS rating from the confirmed points', async () => {
    const me = await learner('me');
    const { sessionId, result } = await answerWritten(me.api, ALL_THREE);
    // provisional: the automatic match pre-ticked all three points, scheduled as Good
    expect(result).toMatchObject({ verdict: 'correct', score: 1, rating: Rating.Good });
    expect(result.feedback?.rubric?.map((p) => p.matched)).toEqual([true, true, true]);
    expect(result.feedback?.selfAssessment).toBeUndefined();

    // The learner confirms one point of three.
    const confirmed = await me.api.sessions.confirmWritten({ answerId: result.answerId, met: [true, false, false] });
    expect(confirmed.sessionId).toBe(sessionId);
    expect(confirmed.item.result).toMatchObject({ verdict: 'partial', rating: Rating.Hard, feedback: { selfAssessment: { met: [true, false, false], autoScore: 1 } } });
    expect(confirmed.item.result?.score).toBeCloseTo(1 / 3, 12);
    const { reviewLogs } = store.tables;
    const row = (await answerRow(result.answerId))!;
    expect(row.verdict).toBe('partial');
    expect(row.score).toBeCloseTo(1 / 3, 12);
    expect((await store.db.select().from(reviewLogs).where(eq(reviewLogs.answerId, result.answerId))).map((l) => l.rating)).toEqual([Rating.Hard]);

    // The card is what a partial answer schedules: the same as for another learner whose answer was graded partial.
    const other = await learner('other');
    const { result: otherResult } = await answerWritten(other.api, FIRST_ONLY);
    expect(otherResult).toMatchObject({ verdict: 'partial', rating: Rating.Hard });
    const mine = await cardOf(me.id);
    const theirs = await cardOf(other.id);
    expect([mine.state, mine.stability, mine.difficulty, mine.scheduledDays, mine.reps, mine.lapses]).toEqual([
      theirs.state,
      theirs.stability,
      theirs.difficulty,
      theirs.scheduledDays,
      theirs.reps,
      theirs.lapses,
    ]);

    // The session and its summary count the confirmed score.
    const view = await me.api.sessions.get({ sessionId });
    const item = view.items.find((i) => i.questionId === QID)!;
    expect(item.result).toMatchObject({ verdict: 'partial', rating: Rating.Hard });
    expect(view.answeredCount).toBe(1);
    expect(view.score).toBeCloseTo(1 / 3 / view.total, 12);
  });

  it('replaces an earlier confirmation and keeps the automatic score as it was', async () => {
    const me = await learner('me');
    const { result } = await answerWritten(me.api, FIRST_ONLY);
    expect(result).toMatchObject({ verdict: 'partial', rating: Rating.Hard });
    expect(result.score).toBeCloseTo(1 / 3, 12);

    await me.api.sessions.confirmWritten({ answerId: result.answerId, met: [false, false, false] });
    expect(await answerRow(result.answerId)).toMatchObject({ verdict: 'incorrect', score: 0 });
    const again = await me.api.sessions.confirmWritten({ answerId: result.answerId, met: [true, true, true] });
    expect(again.item.result).toMatchObject({ verdict: 'correct', score: 1, rating: Rating.Good });
    expect(again.item.result?.feedback?.selfAssessment?.met).toEqual([true, true, true]);
    expect(again.item.result?.feedback?.selfAssessment?.autoScore).toBeCloseTo(1 / 3, 12);
    // one review of the question, its rating corrected in place
    const { reviewLogs } = store.tables;
    expect((await store.db.select().from(reviewLogs).where(eq(reviewLogs.learnerId, me.id))).map((l) => [l.answerId, l.rating])).toEqual([[result.answerId, Rating.Good]]);
    // recomputed from the card before the answer: the same as for a learner whose answer was graded right at once
    const other = await learner('other');
    expect((await answerWritten(other.api, ALL_THREE)).result.rating).toBe(Rating.Good);
    const card = async (id: number) => {
      const c = await cardOf(id);
      return [c.state, c.stability, c.difficulty, c.scheduledDays, c.reps, c.lapses];
    };
    expect(await card(me.id)).toEqual(await card(other.id));
  });

  it('keeps the confirmation through a history export and import', async () => {
    const me = await learner('me');
    const { result } = await answerWritten(me.api, ALL_THREE);
    await me.api.sessions.confirmWritten({ answerId: result.answerId, met: [false, true, false] });
    const file = JSON.parse(historyToJson(await exportHistory(store, me.id))) as HistoryFile;

    // an empty database of the same store to import into
    store = await freshStore(kind);
    await syncBank(store, bank);
    const newcomer = await learner('newcomer');
    expect(await newcomer.api.progress.importHistory(file)).toMatchObject({ imported: 1, skipped: 0 });
    const { answers, reviewLogs } = store.tables;
    const [row] = await store.db.select().from(answers);
    expect(row).toMatchObject({ verdict: 'partial', feedback: { selfAssessment: { met: [false, true, false], autoScore: 1 } } });
    expect(row!.score).toBeCloseTo(1 / 3, 12);
    // the replayed review rates the confirmed verdict
    expect((await store.db.select().from(reviewLogs)).map((l) => l.rating)).toEqual([Rating.Hard]);
  });

  it("refuses someone else's answer, a non-written answer and a wrong number of points, in Japanese", async () => {
    const me = await learner('me');
    const { sessionId, result } = await answerWritten(me.api, ALL_THREE);
    const other = await learner('other');
    await expectTrpcError(other.api.sessions.confirmWritten({ answerId: result.answerId, met: [true, true, true] }), 'NOT_FOUND', 'この回答が見つかりません。');
    await expectTrpcError(me.api.sessions.confirmWritten({ answerId: 999_999, met: [true] }), 'NOT_FOUND', 'この回答が見つかりません。');
    // the other learner's attempt changed nothing
    expect(await answerRow(result.answerId)).toMatchObject({ verdict: 'correct', score: 1 });

    const choiceId = bank.questions.find((q) => q.chapter === 'birnn' && q.kind === 'choice')!.id;
    const q = bank.byId.get(choiceId)!;
    const choice = await me.api.sessions.answer({ sessionId, questionId: choiceId, response: { type: 'choice', choice: q.kind === 'choice' ? q.answer : 'a' }, timeSpentMs: 5000 });
    await expectTrpcError(
      me.api.sessions.confirmWritten({ answerId: choice.result!.answerId, met: [true] }),
      'BAD_REQUEST',
      '記述式の回答ではないため、自己採点はできません。',
    );
    await expectTrpcError(
      me.api.sessions.confirmWritten({ answerId: result.answerId, met: [true, false] }),
      'BAD_REQUEST',
      '採点の観点の数が合いません。ページを読み込み直してください。',
    );
  });

  it('confirms a mock exam only after it has ended, and the exam result follows', async () => {
    const me = await learner('me');
    const { sessionId } = await me.api.sessions.startMock({ size: 5 });
    // The draw is random: put the written item into this exam.
    const { answers, practiceSessions } = store.tables;
    const [session] = await store.db.select().from(practiceSessions).where(eq(practiceSessions.id, sessionId));
    const questionIds = [QID, ...session!.questionIds.filter((id) => id !== QID)].slice(0, 5);
    await store.db.update(practiceSessions).set({ questionIds }).where(eq(practiceSessions.id, sessionId));

    await me.api.sessions.answer({ sessionId, questionId: QID, response: { type: 'written', value: ALL_THREE }, timeSpentMs: MINUTE });
    const answerId = (await store.db.select().from(answers).where(eq(answers.sessionId, sessionId)))[0]!.id;
    await expectTrpcError(
      me.api.sessions.confirmWritten({ answerId, met: [true, false, false] }),
      'BAD_REQUEST',
      '模擬試験の記述の自己採点は、試験の終了後に結果画面で行えます。',
    );

    const ended = await me.api.sessions.finish({ sessionId });
    expect(ended.score).toBeCloseTo(1 / 5, 12);
    const confirmed = await me.api.sessions.confirmWritten({ answerId, met: [true, false, false] });
    expect(confirmed.item.result).toMatchObject({ verdict: 'partial', rating: Rating.Hard });
    const after = await me.api.sessions.get({ sessionId });
    expect(after.score).toBeCloseTo(1 / 3 / 5, 12);
    const birnn = after.exam?.result?.chapters.find((c) => c.slug === 'birnn');
    expect(birnn?.score).toBeCloseTo(1 / 3 / birnn!.total, 12);
  });
});
