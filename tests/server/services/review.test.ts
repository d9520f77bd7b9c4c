import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { Rating, State } from 'ts-fsrs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../../db/store';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner, type Context } from '../../../server/context';
import { createCaller } from '../../../server/root';
import {
  applyReview,
  cardMemories,
  chapterMastery,
  masteryRetrievabilities,
  ratingFor,
  retrievabilities,
  reviewQueue,
  startOfDay,
} from '../../../server/services/review';
import { freshStore, STORES } from '../test-stores';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
let store: Store;
let ctx: Context;

async function cardOf(questionId: string) {
  const { reviewCards } = store.tables;
  return (await store.db.select().from(reviewCards).where(and(eq(reviewCards.learnerId, ctx.learnerId), eq(reviewCards.questionId, questionId))))[0]!;
}

describe.each(STORES)('FSRS ratings and scheduling (%s)', (kind) => {
  beforeEach(async () => {
    store = await freshStore(kind);
    await syncBank(store, bank);
    ctx = await createContextInner({ store, bank });
  });

  it('rates wrong as Again, partial as Hard, right as Good, right and fast as Easy', () => {
    expect(ratingFor('incorrect', 3_000, false)).toBe(Rating.Again);
    expect(ratingFor('partial', 3_000, false)).toBe(Rating.Hard);
    expect(ratingFor('correct', 30_000, false)).toBe(Rating.Good);
    expect(ratingFor('correct', 5_000, false)).toBe(Rating.Easy);
    expect(ratingFor('correct', 20_000, true)).toBe(Rating.Easy);
    expect(ratingFor('correct', 60_000, true)).toBe(Rating.Good);
  });

  it('makes a wrongly answered card due sooner than a rightly answered one', async () => {
    const now = new Date('2026-11-28T01:00:00Z');
    const wrong = await applyReview(store, ctx.learnerId, 'e2e-a-choice', Rating.Again, now, null);
    const right = await applyReview(store, ctx.learnerId, 'e2e-b-numeric', Rating.Good, now, null);
    const easy = await applyReview(store, ctx.learnerId, 'e2e-c-text', Rating.Easy, now, null);
    expect(wrong.due.getTime()).toBeLessThan(right.due.getTime());
    expect(right.due.getTime()).toBeLessThan(easy.due.getTime());
    expect(wrong.due.getTime() - now.getTime()).toBe(60_000);
    expect(right.due.getTime() - now.getTime()).toBeGreaterThanOrEqual(86_400_000);
  });

  it('builds 今日の復習 from due cards, counts the next 7 days and honours the new-card limit', async () => {
    const api = createCaller(ctx);
    const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'course' });
    await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'a' }, timeSpentMs: 20_000 });
    await api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.25' }, timeSpentMs: 20_000 });

    const later = new Date(Date.now() + 2 * 60_000);
    const queue = await reviewQueue(ctx, later);
    expect(queue.due.map((d) => d.questionId)).toEqual(['e2e-a-choice']);
    // Listed by title and chapter title, with the answers by verdict.
    expect(queue.due[0]).toMatchObject({
      title: 'シグモイド関数の導関数の最大値', chapter: 'rnn', chapterTitle: '再帰型ニューラルネットワーク（RNN）', answers: 1, correct: 0, partial: 0, incorrect: 1,
    });
    expect(queue.upcoming.map((d) => d.questions.map((q) => q.title))).toEqual([
      ['シグモイド関数の導関数の最大値'], [], ['シグモイド関数の x = 0 での微分係数'], [], [], [], [], // the right one is due in two days
    ]);
    expect(queue.newCardsToday).toEqual({
      limit: 10, introduced: 2, available: 1,
      questions: [{ questionId: 'e2e-c-text', title: '畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）', chapter: 'lstm', chapterTitle: 'LSTM' }],
    });

    await api.review.setDailyNewCards({ dailyNewCards: 2 });
    expect((await reviewQueue(ctx, later)).newCardsToday.available).toBe(0);
    await expect(api.review.setDailyNewCards({ dailyNewCards: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('lets the learner correct the rating of the latest review', async () => {
    const api = createCaller(ctx);
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    const item = await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 30_000 });
    expect(item.result?.rating).toBe(Rating.Good);
    const good = (await reviewQueue(ctx, new Date(Date.now() + 40 * 86_400_000))).due.length;
    const corrected = await api.review.correctRating({ answerId: item.result!.answerId, rating: Rating.Again });
    expect(corrected.rating).toBe(Rating.Again);
    expect(corrected.due).toBeLessThan(Date.now() + 2 * 60_000);
    expect((await api.sessions.get({ sessionId })).items[0]?.result?.rating).toBe(Rating.Again);
    expect(good).toBe(1);
    await expect(api.review.correctRating({ answerId: 9999, rating: Rating.Easy })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('computes day starts in Japan time and mastery from retrievability', () => {
    expect(startOfDay(new Date('2026-11-28T16:30:00Z')).toISOString()).toBe('2026-11-28T15:00:00.000Z');
    expect(chapterMastery(['a', 'b'], new Map())).toEqual({ score: 0, level: 'none' });
    expect(chapterMastery(['a', 'b'], new Map([['a', 0.9]]))).toEqual({ score: 0.45, level: 'familiar' });
    expect(chapterMastery(['a', 'b'], new Map([['a', 0.95], ['b', 0.9]])).level).toBe('mastered');
  });

  describe('retrievability and counts after a wrong, a partial and a right answer minutes apart', () => {
    /** 10:00 in Japan */
    const T0 = Date.parse('2026-11-28T01:00:00Z');
    const MIN = 60_000;
    const DAY = 86_400_000;
    afterEach(() => vi.useRealTimers());

    async function answerThree() {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(T0);
      const api = createCaller(ctx);
      const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'course' });
      vi.setSystemTime(T0 + MIN);
      await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'a' }, timeSpentMs: 20_000 }); // wrong
      // A 75点 written answer, stored and scheduled as sessions.answer does (the fixture bank has no written item).
      vi.setSystemTime(T0 + 3 * MIN);
      const [partial] = await store.db
        .insert(store.tables.answers)
        .values({ sessionId, learnerId: ctx.learnerId, questionId: 'e2e-c-text', questionHash: 'h', position: 2, response: { type: 'written', value: '…' }, verdict: 'partial', score: 0.75, timeSpentMs: 30_000, createdAt: new Date() })
        .returning();
      await applyReview(store, ctx.learnerId, 'e2e-c-text', ratingFor('partial', 30_000, false), new Date(), partial!.id);
      vi.setSystemTime(T0 + 5 * MIN);
      await api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.25' }, timeSpentMs: 20_000 }); // right
      return { api, sessionId };
    }

    it('keeps recall near 1 minutes later and lets it fall fastest where the answer was wrong', async () => {
      await answerThree();
      const soon = await cardMemories(store, ctx.learnerId, new Date(T0 + 8 * MIN));
      expect(soon.get('e2e-b-numeric')!.retrievability).toBeGreaterThan(0.99); // right, 3 minutes ago
      expect(soon.get('e2e-b-numeric')!.retrievability).toBeLessThanOrEqual(1);
      for (const id of ['e2e-a-choice', 'e2e-c-text']) {
        // Learning cards have a retrievability too (the learner has just read the 解説), below the right one's.
        expect(soon.get(id)!.retrievability).toBeGreaterThan(0.9);
        expect(soon.get(id)!.retrievability).toBeLessThan(soon.get('e2e-b-numeric')!.retrievability);
      }
      expect([...soon].map(([id, m]) => [id, m.graduated])).toEqual(
        expect.arrayContaining([['e2e-a-choice', false], ['e2e-c-text', false], ['e2e-b-numeric', true]]),
      );

      // A day on: wrong < partial < right, and the right one is still above the 90% FSRS schedules for.
      const dayOn = await retrievabilities(store, ctx.learnerId, new Date(T0 + DAY));
      expect(dayOn.get('e2e-a-choice')!).toBeLessThan(0.9);
      expect(dayOn.get('e2e-a-choice')!).toBeLessThan(dayOn.get('e2e-c-text')!);
      expect(dayOn.get('e2e-c-text')!).toBeLessThan(dayOn.get('e2e-b-numeric')!);
      expect(dayOn.get('e2e-b-numeric')!).toBeGreaterThan(0.9);
      // At the right card's due date recall is about the requested 90% (the interval is rounded to whole days).
      const card = await cardOf('e2e-b-numeric');
      const atDue = (await retrievabilities(store, ctx.learnerId, card.due)).get('e2e-b-numeric')!;
      expect(atDue).toBeGreaterThan(0.88);
      expect(atDue).toBeLessThan(0.93);

      // Mastery counts only what was answered right: rnn has one of two questions remembered, lstm none yet.
      const mastery = masteryRetrievabilities(soon);
      expect(mastery.get('e2e-a-choice')).toBe(0);
      expect(mastery.get('e2e-c-text')).toBe(0);
      expect(chapterMastery(['e2e-a-choice', 'e2e-b-numeric'], mastery).score).toBeCloseTo(soon.get('e2e-b-numeric')!.retrievability / 2, 10);
      expect(chapterMastery(['e2e-c-text'], mastery)).toEqual({ score: 0, level: 'none' });
    });

    it('counts answers by verdict where FSRS counts no lapse: two wrong answers are 不正解 2', async () => {
      const { api } = await answerThree();
      vi.setSystemTime(T0 + 10 * MIN);
      const { sessionId } = await api.review.start();
      vi.setSystemTime(T0 + 11 * MIN);
      await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'c' }, timeSpentMs: 20_000 }); // wrong again
      vi.setSystemTime(T0 + 15 * MIN);
      const queue = await reviewQueue(ctx);
      const byId = new Map(queue.due.map((d) => [d.questionId, d]));
      expect(byId.get('e2e-a-choice')).toMatchObject({ answers: 2, correct: 0, partial: 0, incorrect: 2 });
      expect(byId.get('e2e-c-text')).toMatchObject({ answers: 1, correct: 0, partial: 1, incorrect: 0 });
      // FSRS's own lapse count stays 0: the card never left learning, so it was never "forgotten" in its terms.
      const card = await cardOf('e2e-a-choice');
      expect([card.state, card.lapses]).toEqual([State.Learning, 0]);

      // The progress page agrees: the partial answer is 部分正解, not 不正解, and recall is fresh for all three.
      const overview = await api.progress.overview();
      expect(overview.totals).toMatchObject({ answers: 4, correct: 1, partial: 1, incorrect: 2 });
      expect(overview.weak.map((w) => [w.title, w.incorrect, w.partial, w.lost])).toEqual([
        ['シグモイド関数の導関数の最大値', 2, 0, 2],
        ['畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）', 0, 1, 0.25],
      ]);
      for (const w of overview.weak) expect([w.retrievability! > 0.9, w.learning]).toEqual([true, true]);
    });
  });
});
