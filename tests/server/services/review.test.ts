import path from 'node:path';
import { Rating } from 'ts-fsrs';
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type Db } from '../../../db/client';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner, type Context } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { applyReview, chapterMastery, ratingFor, reviewQueue, startOfDay } from '../../../server/services/review';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
let db: Db;
let ctx: Context;

beforeEach(() => {
  db = createTestDb();
  syncBank(db, bank);
  ctx = createContextInner({ db, bank });
});

describe('FSRS ratings and scheduling', () => {
  it('rates wrong as Again, partial as Hard, right as Good, right and fast as Easy', () => {
    expect(ratingFor('incorrect', 3_000, false)).toBe(Rating.Again);
    expect(ratingFor('partial', 3_000, false)).toBe(Rating.Hard);
    expect(ratingFor('correct', 30_000, false)).toBe(Rating.Good);
    expect(ratingFor('correct', 5_000, false)).toBe(Rating.Easy);
    expect(ratingFor('correct', 20_000, true)).toBe(Rating.Easy);
    expect(ratingFor('correct', 60_000, true)).toBe(Rating.Good);
  });

  it('makes a wrongly answered card due sooner than a rightly answered one', () => {
    const now = new Date('2026-11-28T01:00:00Z');
    const wrong = applyReview(db, ctx.learnerId, 'e2e-a-choice', Rating.Again, now, null);
    const right = applyReview(db, ctx.learnerId, 'e2e-b-numeric', Rating.Good, now, null);
    const easy = applyReview(db, ctx.learnerId, 'e2e-c-text', Rating.Easy, now, null);
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
    const queue = reviewQueue(ctx, later);
    expect(queue.due.map((d) => d.questionId)).toEqual(['e2e-a-choice']);
    expect(queue.upcoming.reduce((a, b) => a + b, 0)).toBe(2); // the right one is due in a few days
    expect(queue.newCardsToday).toEqual({ limit: 10, introduced: 2, available: 1 });

    await api.review.setDailyNewCards({ dailyNewCards: 2 });
    expect(reviewQueue(ctx, later).newCardsToday.available).toBe(0);
    await expect(api.review.setDailyNewCards({ dailyNewCards: -1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('lets the learner correct the rating of the latest review', async () => {
    const api = createCaller(ctx);
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    const item = await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 30_000 });
    expect(item.result?.rating).toBe(Rating.Good);
    const good = reviewQueue(ctx, new Date(Date.now() + 40 * 86_400_000)).due.length;
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
});
