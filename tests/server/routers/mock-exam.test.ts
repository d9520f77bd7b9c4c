import path from 'node:path';
import { and, asc, count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store';
import type { Response } from '../../../graders/answers/response';
import { buildBank } from '../../../server/bank/bank';
import { CHAPTER_SLUGS } from '../../../server/bank/chapters';
import { syncBank } from '../../../server/bank/sync';
import type { Question } from '../../../server/bank/types';
import { createContextInner, type GradeRunner } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { expectTrpcError } from '../expect-trpc-error';
import { allocateByChapter, drawMockQuestions, mockPool, SAVE_GRACE_MS } from '../../../server/services/mock-exam';
import { freshStore, STORES } from '../test-stores';

// The real bank: 13 chapters, so the draw has shares to follow.
const bank = buildBank(path.resolve(__dirname, '../../../questions'));
const pool = mockPool(bank);

let store: Store;
let api: ReturnType<typeof createCaller>;

/** A right (or wrong) answer of the forms a mock exam accepts. */
function responseFor(q: Question, right: boolean): Response {
  switch (q.kind) {
    case 'choice':
    case 'code': {
      const ids = q.choices!.map((c) => c.id);
      return { type: 'choice', choice: right ? q.answer! : ids.find((id) => id !== q.answer)! };
    }
    case 'multi':
      return { type: 'multi', choices: right ? q.answer : q.choices.map((c) => c.id).filter((id) => !q.answer.includes(id)).slice(0, 1) };
    case 'numeric':
      return { type: 'numeric', value: String(right ? q.answer : q.answer + 1000) };
    case 'text':
      return { type: 'text', value: right ? q.answer : 'まちがい' };
    case 'written':
      return { type: 'written', value: right ? q.written.modelAnswer : 'わかりません' };
    case 'function':
      throw new Error('function items are not in a mock exam');
  }
}

async function sessionRow(sessionId: number) {
  const { practiceSessions } = store.tables;
  return (await store.db.select().from(practiceSessions).where(eq(practiceSessions.id, sessionId)))[0]!;
}

/** Moves the exam's start into the past, as if `ms` had gone by. */
async function age(sessionId: number, ms: number) {
  const { practiceSessions } = store.tables;
  const row = await sessionRow(sessionId);
  await store.db
    .update(practiceSessions)
    .set({ startedAt: new Date(row.startedAt.getTime() - ms) })
    .where(eq(practiceSessions.id, sessionId));
}

/** Every stored answer, in the order they were first saved. */
async function answerRows() {
  const { answers } = store.tables;
  return store.db.select().from(answers).orderBy(asc(answers.id));
}

async function startExam(size: 5 | 20 | 50 | 100) {
  const { sessionId } = await api.sessions.startMock({ size });
  const view = await api.sessions.get({ sessionId });
  return { sessionId, view, questions: view.items.map((i) => bank.byId.get(i.questionId)!) };
}

async function reviewLogRows() {
  const { reviewLogs } = store.tables;
  return store.db.select().from(reviewLogs).orderBy(asc(reviewLogs.id));
}

async function cardCount() {
  const { reviewCards } = store.tables;
  return (await store.db.select({ n: count() }).from(reviewCards))[0]!.n;
}

describe('drawing a mock exam', () => {
  it('leaves out questions that need the editor', () => {
    expect(pool.length).toBe(bank.questions.filter((q) => q.kind !== 'function').length);
    expect(pool.some((q) => q.kind === 'code')).toBe(true);
    expect(pool.every((q) => q.kind !== 'function' && (q.kind !== 'code' || q.choices!.length === 4))).toBe(true);
  });

  it('allocates round(n × share) per chapter and fixes the rounding so the total is n', () => {
    // Three equal chapters, two questions: 2/3 each rounds to 1 → 3, one chapter gives one back.
    const two = allocateByChapter(new Map([['rnn', 10], ['lstm', 10], ['gru', 10]]), 2, 7);
    expect([...two.values()].reduce((s, n) => s + n, 0)).toBe(2);
    expect([...two.values()].sort()).toEqual([0, 1, 1]);
    // 0.4 each rounds to 0 → 0, so the seed picks the chapters that get one.
    const five = allocateByChapter(new Map(CHAPTER_SLUGS.map((c) => [c, 20])), 5, 1);
    expect([...five.values()].filter((n) => n === 1)).toHaveLength(5);
    expect([...five.values()].filter((n) => n === 0)).toHaveLength(8);
    const picked = (seed: number) => [...allocateByChapter(new Map(CHAPTER_SLUGS.map((c) => [c, 20])), 5, seed)].filter(([, n]) => n > 0).map(([c]) => c);
    expect(picked(1)).toEqual(picked(1));
    expect(new Set([1, 2, 3, 4, 5, 6].map((s) => picked(s).join())).size).toBeGreaterThan(1);
    // Unequal shares: 60/30/10 of 10 → 6/3/1 exactly.
    expect(Object.fromEntries(allocateByChapter(new Map([['rnn', 60], ['lstm', 30], ['gru', 10]]), 10, 3))).toEqual({ rnn: 6, lstm: 3, gru: 1 });
    // Never more than a chapter has, never more than the pool.
    expect(Object.fromEntries(allocateByChapter(new Map([['rnn', 2], ['lstm', 1]]), 10, 3))).toEqual({ rnn: 2, lstm: 1 });
  });

  it('is reproducible from the seed and shuffles the chapters together', () => {
    expect(drawMockQuestions(pool, 50, 42)).toEqual(drawMockQuestions(pool, 50, 42));
    expect(drawMockQuestions(pool, 50, 42)).not.toEqual(drawMockQuestions(pool, 50, 43));
    const ids = drawMockQuestions(pool, 50, 42);
    const chapterRuns = ids.filter((id, i) => i > 0 && bank.byId.get(id)!.chapter !== bank.byId.get(ids[i - 1]!)!.chapter).length;
    expect(chapterRuns).toBeGreaterThan(25); // course order would change chapter only 12 times
  });
});

describe.each(STORES)('mock exams (%s)', (kind) => {
  beforeEach(async () => {
    store = await freshStore(kind);
    await syncBank(store, bank);
    // A grader that passes everything: a mock exam must refuse code answers even when they are right.
    const grade: GradeRunner = async (r) => ({
      id: 0, ok: true, type: 'grade', backend: 'stub', elapsedMs: 1, verdict: { verdict: 'correct', passed: 1, total: 1, seed: r.seed, message: 'ok', cases: [] },
    });
    api = createCaller(await createContextInner({ store, bank, grade }));
  });

  describe('drawing a mock exam', () => {
    it.each([5, 20, 50, 100] as const)('draws %i questions across all chapters in proportion to the bank, with 72 s a question', async (size) => {
      const { sessionId, view, questions } = await startExam(size);
      expect(view).toMatchObject({ mode: 'mock', order: 'random', total: size, answeredCount: 0, finishedAt: null });
      expect(new Set(view.items.map((i) => i.questionId)).size).toBe(size);
      expect(questions.every((q) => q && q.kind !== 'function')).toBe(true);

      const row = await sessionRow(sessionId);
      expect(row.timeLimitSec).toBe(72 * size);
      expect(view.exam).toMatchObject({ timeLimitSec: 72 * size, deadline: row.startedAt.getTime() + 72_000 * size, flagged: [], passTarget: 0.7, result: null });
      expect(view.exam!.remainingMs).toBeLessThanOrEqual(72_000 * size);
      expect(view.exam!.remainingMs).toBeGreaterThan(72_000 * size - 5_000);

      const drawn = new Map<string, number>();
      for (const q of questions) drawn.set(q.chapter, (drawn.get(q.chapter) ?? 0) + 1);
      for (const chapter of CHAPTER_SLUGS) {
        const share = pool.filter((q) => q.chapter === chapter).length / pool.length;
        expect(Math.abs((drawn.get(chapter) ?? 0) - size * share), chapter).toBeLessThan(1);
      }
      expect(view.chapters).toEqual(CHAPTER_SLUGS.filter((c) => drawn.has(c)));
    });

    it('refuses a size that is not offered', async () => {
      await expectTrpcError(api.sessions.startMock({ size: 7 as never }), 'BAD_REQUEST', /.+/);
      await expectTrpcError(api.sessions.startMock({ size: 20, extra: 1 } as never), 'BAD_REQUEST', /.+/);
    });
  });

  describe('taking a mock exam', () => {
    it('saves answers without a verdict or 解説 until the end', async () => {
      const { sessionId, questions } = await startExam(20);
      const q = questions[0]!;
      const saved = await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, true), timeSpentMs: 9000 });
      // The reply is what changed in the item: saved, no verdict, nothing of the key or 解説.
      expect(saved).toEqual({ position: 0, questionId: q.id, answered: true, result: null, savedResponse: responseFor(q, true) });

      const view = await api.sessions.get({ sessionId });
      expect(view).toMatchObject({ answeredCount: 1, correctCount: 0, score: 0, finishedAt: null });
      const payload = JSON.stringify(view);
      for (const secret of ['"key"', 'explanationHtml', '"verdict"', 'rubric', '"solution":{']) expect(payload).not.toContain(secret);
      expect(view.items.every((i) => i.result === null && i.solution === null)).toBe(true);
      expect((await answerRows())[0]).toMatchObject({ questionId: q.id, verdict: 'correct', timeSpentMs: 9000 });
    });

    it('asks a code item with its choices only', async () => {
      const { sessionId, view } = await startExam(100);
      const item = view.items.find((i) => i.kind === 'code')!;
      const q = bank.byId.get(item.questionId)!;
      expect(item.forms).toEqual(['choice']);
      expect(item.choices).toHaveLength(4);
      await expectTrpcError(
        api.sessions.answer({ sessionId, questionId: q.id, response: { type: 'code', code: q.kind === 'code' ? q.solution : '' }, timeSpentMs: 1 }),
        'BAD_REQUEST',
        /コード/,
      );
      await expectTrpcError(api.sessions.submitCode({ sessionId, questionId: q.id, code: 'x', timeSpentMs: 1 }), 'BAD_REQUEST', '模擬試験ではコードの問題も選択肢で答えます。');
      expect((await answerRows())).toHaveLength(0);
      await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, true), timeSpentMs: 1 });
      expect((await answerRows())[0]).toMatchObject({ questionId: q.id, verdict: 'correct', response: responseFor(q, true) });
    });

    it('replaces the stored answer when the learner changes it, adding up the time spent', async () => {
      const { sessionId, questions } = await startExam(5);
      const q = questions[0]!;
      await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, false), timeSpentMs: 1000 });
      const first = (await answerRows())[0]!;
      expect(first).toMatchObject({ verdict: 'incorrect', score: 0, timeSpentMs: 1000 });

      const changed = await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, true), timeSpentMs: 2500 });
      expect(changed.savedResponse).toEqual(responseFor(q, true));
      const rows = (await answerRows());
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: first.id, position: 0, verdict: 'correct', score: 1, response: responseFor(q, true), timeSpentMs: 3500 });
      expect((await api.sessions.get({ sessionId })).answeredCount).toBe(1);
    });

    it('takes back a saved answer when the learner empties it, so the question is unanswered again', async () => {
      const { sessionId, questions } = await startExam(5);
      const [q0, q1] = questions;
      await api.sessions.answer({ sessionId, questionId: q0!.id, response: responseFor(q0!, true), timeSpentMs: 1000 });
      await api.sessions.answer({ sessionId, questionId: q1!.id, response: responseFor(q1!, true), timeSpentMs: 1000 });
      expect(await api.sessions.clearMockAnswer({ sessionId, questionId: q0!.id })).toEqual({
        position: 0,
        questionId: q0!.id,
        answered: false,
        result: null,
        savedResponse: null,
      });
      // Idempotent: clearing an unanswered question changes nothing.
      await api.sessions.clearMockAnswer({ sessionId, questionId: q0!.id });
      const view = await api.sessions.get({ sessionId });
      expect(view.answeredCount).toBe(1);
      expect(view.items[0]).toMatchObject({ answered: false, savedResponse: null });
      expect(view.items[1]).toMatchObject({ answered: true, savedResponse: responseFor(q1!, true) });
      expect((await answerRows()).map((a) => a.questionId)).toEqual([q1!.id]);
      await expectTrpcError(api.sessions.clearMockAnswer({ sessionId, questionId: 'not-in-it' }), 'BAD_REQUEST', 'この問題はこのセッションに含まれていません。');

      // Practice answers are final.
      const practice = await api.sessions.start({ chapters: ['rnn'], count: 3, order: 'course' });
      const first = (await api.sessions.get({ sessionId: practice.sessionId })).items[0]!;
      await expectTrpcError(api.sessions.clearMockAnswer({ sessionId: practice.sessionId, questionId: first.questionId }), 'BAD_REQUEST', '回答を取り消せるのは模擬試験だけです。');

      // After the hand-in nothing is taken back.
      await api.sessions.finish({ sessionId });
      await expectTrpcError(api.sessions.clearMockAnswer({ sessionId, questionId: q1!.id }), 'BAD_REQUEST', 'このセッションは終了しています。');
      expect((await answerRows()).map((a) => a.questionId)).toContain(q1!.id);
    });

    it('keeps the 見直し flags in the session, in question order', async () => {
      const { sessionId, questions } = await startExam(5);
      const [a, b, c] = questions.map((q) => q.id);
      expect(await api.sessions.flag({ sessionId, questionId: c!, flagged: true })).toEqual({ flagged: [c] });
      expect(await api.sessions.flag({ sessionId, questionId: a!, flagged: true })).toEqual({ flagged: [a, c] });
      await api.sessions.flag({ sessionId, questionId: a!, flagged: true }); // idempotent
      await api.sessions.flag({ sessionId, questionId: b!, flagged: false }); // never flagged: nothing changes
      expect((await sessionRow(sessionId)).flagged).toEqual([a, c]);
      await api.sessions.flag({ sessionId, questionId: c!, flagged: false });
      expect((await api.sessions.get({ sessionId })).exam!.flagged).toEqual([a]);
      await expectTrpcError(api.sessions.flag({ sessionId, questionId: 'not-in-it', flagged: true }), 'BAD_REQUEST', 'この問題はこのセッションに含まれていません。');
    });

    it('counts down on the server: after a "reload" later the remaining time is lower, not reset', async () => {
      const { sessionId, view } = await startExam(20);
      await age(sessionId, 10 * 60_000);
      const later = await api.sessions.get({ sessionId });
      expect(later.exam!.deadline).toBe(view.exam!.deadline - 10 * 60_000);
      expect(later.exam!.remainingMs).toBeLessThanOrEqual(14 * 60_000);
      expect(later.exam!.remainingMs).toBeGreaterThan(14 * 60_000 - 5_000);
    });
  });

  describe('the deadline', () => {
    it('refuses an answer or a flag after it and its grace, writing nothing', async () => {
      const { sessionId, questions } = await startExam(5);
      const [q0, q1] = questions;
      await api.sessions.answer({ sessionId, questionId: q0!.id, response: responseFor(q0!, false), timeSpentMs: 1000 });
      await api.sessions.flag({ sessionId, questionId: q1!.id, flagged: true });
      const before = (await answerRows());

      await age(sessionId, 72_000 * 5 + SAVE_GRACE_MS + 1);
      await expectTrpcError(api.sessions.answer({ sessionId, questionId: q0!.id, response: responseFor(q0!, true), timeSpentMs: 1 }), 'BAD_REQUEST', '試験時間が終了しました。');
      await expectTrpcError(api.sessions.answer({ sessionId, questionId: q1!.id, response: responseFor(q1!, true), timeSpentMs: 1 }), 'BAD_REQUEST', '試験時間が終了しました。');
      await expectTrpcError(api.sessions.flag({ sessionId, questionId: q0!.id, flagged: true }), 'BAD_REQUEST', '試験時間が終了しました。');
      expect((await answerRows())).toEqual(before);
      expect((await sessionRow(sessionId)).flagged).toEqual([q1!.id]);
    });

    it('accepts an answer just before it', async () => {
      const { sessionId, questions } = await startExam(5);
      await age(sessionId, 72_000 * 5 - 3_000);
      await api.sessions.answer({ sessionId, questionId: questions[0]!.id, response: responseFor(questions[0]!, true), timeSpentMs: 1 });
      expect((await answerRows())).toHaveLength(1);
      expect((await sessionRow(sessionId)).finishedAt).toBeNull();
    });

    it('accepts a save 2 s after it (the grace for a last-second pick on its way) and refuses one 10 s after', async () => {
      expect(SAVE_GRACE_MS).toBe(3_000);
      const { sessionId, questions } = await startExam(5);
      const [q0, q1] = questions;
      await age(sessionId, 72_000 * 5 + 2_000);
      const deadline = (await sessionRow(sessionId)).startedAt.getTime() + 360_000;

      // Reading the exam within the grace does not end it under the save that is still on its way.
      const during = await api.sessions.get({ sessionId });
      expect(during).toMatchObject({ finishedAt: null, exam: { remainingMs: 0, saveGraceMs: 3_000 } });
      expect((await api.sessions.list({ limit: 10 })).find((s) => s.id === sessionId)!.finishedAt).toBeNull();
      const saved = await api.sessions.answer({ sessionId, questionId: q0!.id, response: responseFor(q0!, true), timeSpentMs: 900 });
      expect(saved).toMatchObject({ answered: true, savedResponse: responseFor(q0!, true), result: null });
      expect((await answerRows())).toMatchObject([{ questionId: q0!.id, verdict: 'correct' }]);
      expect((await sessionRow(sessionId)).finishedAt).toBeNull();

      // Eight seconds later (10 s after the deadline): refused, and the exam ends at its deadline with the saved answer.
      await age(sessionId, 8_000);
      await expectTrpcError(api.sessions.answer({ sessionId, questionId: q1!.id, response: responseFor(q1!, true), timeSpentMs: 1 }), 'BAD_REQUEST', '試験時間が終了しました。');
      await expectTrpcError(api.sessions.clearMockAnswer({ sessionId, questionId: q0!.id }), 'BAD_REQUEST', '試験時間が終了しました。');
      expect((await sessionRow(sessionId)).finishedAt?.getTime()).toBe(deadline - 8_000);
      const view = await api.sessions.get({ sessionId });
      expect(view).toMatchObject({ answeredCount: 1, correctCount: 1 });
      expect(view.items[0]!.result).toMatchObject({ verdict: 'correct', response: responseFor(q0!, true) });
      expect((await answerRows())).toHaveLength(1);
    });

    it('ends at the deadline when the learner hands in within the grace; a save after the hand-in is refused', async () => {
      const { sessionId, questions } = await startExam(5);
      await age(sessionId, 72_000 * 5 + 1_000);
      const deadline = (await sessionRow(sessionId)).startedAt.getTime() + 360_000;
      await api.sessions.answer({ sessionId, questionId: questions[0]!.id, response: responseFor(questions[0]!, true), timeSpentMs: 1 });
      const done = await api.sessions.finish({ sessionId });
      expect(done).toMatchObject({ finishedAt: deadline, answeredCount: 1, correctCount: 1 });
      await expectTrpcError(
        api.sessions.answer({ sessionId, questionId: questions[1]!.id, response: responseFor(questions[1]!, true), timeSpentMs: 1 }),
        'BAD_REQUEST',
        'このセッションは終了しています。',
      );
      expect((await answerRows())).toHaveLength(1);
      expect(await cardCount()).toBe(1);
    });

    it('ends the exam when it is read after the deadline, at the deadline, scoring what was answered', async () => {
      const { sessionId, questions } = await startExam(5);
      await api.sessions.answer({ sessionId, questionId: questions[0]!.id, response: responseFor(questions[0]!, true), timeSpentMs: 30_000 });
      await api.sessions.answer({ sessionId, questionId: questions[1]!.id, response: responseFor(questions[1]!, false), timeSpentMs: 30_000 });
      expect(await cardCount()).toBe(0);

      await age(sessionId, 60 * 60_000);
      const deadline = (await sessionRow(sessionId)).startedAt.getTime() + 360_000;
      const view = await api.sessions.get({ sessionId });
      expect(view.finishedAt).toBe(deadline);
      expect((await sessionRow(sessionId)).finishedAt?.getTime()).toBe(deadline);
      expect(view).toMatchObject({ answeredCount: 2, correctCount: 1, score: 0.2 });
      expect(view.exam).toMatchObject({ remainingMs: 0, result: { passed: false, shortBy: 3 } });
      expect(view.items[0]!.result).toMatchObject({ verdict: 'correct', timeSpentMs: 30_000 });
      expect(view.items[1]!.result).toMatchObject({ verdict: 'incorrect' });
      expect(view.items[2]).toMatchObject({ answered: false, result: null, solution: { explanationHtml: expect.any(String) } });
      // Its two answers entered the review schedule, once.
      expect(await cardCount()).toBe(2);
      await api.sessions.get({ sessionId });
      await api.sessions.finish({ sessionId });
      expect(await reviewLogRows()).toHaveLength(2);
      expect((await api.sessions.finish({ sessionId })).finishedAt).toBe(deadline);
    });

    it('tells a learner who finished early that the exam is over, and lists an expired exam as ended', async () => {
      const early = await startExam(5);
      await api.sessions.finish({ sessionId: early.sessionId });
      // An hour later: the exam had been handed in well before its deadline.
      const row = await sessionRow(early.sessionId);
      const { practiceSessions } = store.tables;
      await store.db
        .update(practiceSessions)
        .set({ startedAt: new Date(row.startedAt.getTime() - 3_600_000), finishedAt: new Date(row.finishedAt!.getTime() - 3_600_000) })
        .where(eq(practiceSessions.id, early.sessionId));
      const q = early.questions[0]!;
      await expectTrpcError(api.sessions.answer({ sessionId: early.sessionId, questionId: q.id, response: responseFor(q, true), timeSpentMs: 1 }), 'BAD_REQUEST', 'このセッションは終了しています。');

      const expired = await startExam(5);
      await age(expired.sessionId, 72_000 * 5 + SAVE_GRACE_MS + 1);
      const listed = (await api.sessions.list({ limit: 10 })).find((s) => s.id === expired.sessionId)!;
      expect(listed).toMatchObject({ mode: 'mock', finishedAt: (await sessionRow(expired.sessionId)).startedAt.getTime() + 360_000 });
    });

    it('finishing late also ends at the deadline', async () => {
      const { sessionId } = await startExam(5);
      await age(sessionId, 72_000 * 5 + 90_000);
      const view = await api.sessions.finish({ sessionId });
      expect(view.finishedAt).toBe((await sessionRow(sessionId)).startedAt.getTime() + 360_000);
    });
  });

  describe('the end of a mock exam', () => {
    it('schedules the answers with FSRS when it ends, not before', async () => {
      const { sessionId, questions } = await startExam(5);
      const [right, wrong] = questions;
      // Slow enough to rate Good (not Easy) for any kind.
      await api.sessions.answer({ sessionId, questionId: right!.id, response: responseFor(right!, true), timeSpentMs: 60_000 });
      await api.sessions.answer({ sessionId, questionId: wrong!.id, response: responseFor(wrong!, true), timeSpentMs: 20_000 });
      await api.sessions.answer({ sessionId, questionId: wrong!.id, response: responseFor(wrong!, false), timeSpentMs: 5_000 });
      await api.sessions.flag({ sessionId, questionId: wrong!.id, flagged: true });
      expect(await cardCount()).toBe(0);
      expect((await reviewLogRows())).toHaveLength(0);

      const done = await api.sessions.finish({ sessionId });
      expect(done.finishedAt).not.toBeNull();
      expect(done.finishedAt!).toBeLessThanOrEqual(Date.now());
      const { reviewCards } = store.tables;
      const card = async (id: string) => (await store.db.select().from(reviewCards).where(and(eq(reviewCards.questionId, id))))[0]!;
      expect(await cardCount()).toBe(2);
      // wrong → Again: due a minute later; right (Good) → days later
      expect((await card(wrong!.id)).due.getTime()).toBeLessThan((await card(right!.id)).due.getTime());
      expect((await card(right!.id)).due.getTime() - Date.now()).toBeGreaterThan(86_400_000 - 60_000);
      const logs = (await reviewLogRows());
      expect(logs.map((l) => [l.questionId, l.rating]).sort()).toEqual([[right!.id, 3], [wrong!.id, 1]].sort());
      // The revealed results carry the rating, so the learner may correct it.
      expect(done.items[0]!.result).toMatchObject({ verdict: 'correct', rating: 3, timeSpentMs: 60_000, explanationHtml: expect.any(String) });
      expect(done.items[1]!.result).toMatchObject({ verdict: 'incorrect', rating: 1, timeSpentMs: 25_000 });

      await api.sessions.finish({ sessionId });
      expect((await reviewLogRows())).toHaveLength(2);
      await expectTrpcError(api.sessions.answer({ sessionId, questionId: right!.id, response: responseFor(right!, false), timeSpentMs: 1 }), 'BAD_REQUEST', 'このセッションは終了しています。');
      await expectTrpcError(api.sessions.flag({ sessionId, questionId: right!.id, flagged: true }), 'BAD_REQUEST', 'このセッションは終了しています。');
    });

    it('reports the score, the pass line and each chapter', async () => {
      const { sessionId, questions } = await startExam(20);
      // 14 right of 20 is exactly the 70% pass line.
      for (const [i, q] of questions.entries()) {
        if (i < 14) await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, true), timeSpentMs: 1000 * (i + 1) });
        else if (i < 16) await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, false), timeSpentMs: 1000 });
      }
      const view = await api.sessions.finish({ sessionId });
      expect(view).toMatchObject({ total: 20, answeredCount: 16, correctCount: 14, score: 0.7 });
      const result = view.exam!.result!;
      expect(result).toMatchObject({ passed: true, shortBy: 0, totalTimeMs: (14 * 15) / 2 * 1000 + 2000 });

      const expected = new Map<string, { total: number; answered: number; correct: number }>();
      questions.forEach((q, i) => {
        const row = expected.get(q.chapter) ?? { total: 0, answered: 0, correct: 0 };
        row.total += 1;
        if (i < 16) row.answered += 1;
        if (i < 14) row.correct += 1;
        expected.set(q.chapter, row);
      });
      expect(result.chapters.map((c) => c.slug)).toEqual(CHAPTER_SLUGS.filter((c) => expected.has(c)));
      for (const c of result.chapters) {
        expect(c).toMatchObject({ ...expected.get(c.slug), score: expected.get(c.slug)!.correct / expected.get(c.slug)!.total });
        expect(c.title.length).toBeGreaterThan(0);
      }
      expect(result.chapters.reduce((s, c) => s + c.total, 0)).toBe(20);
    });

    it('uses the learner’s pass target', async () => {
      await store.db.update(store.tables.learners).set({ passTarget: 0.8 });
      const { sessionId, questions } = await startExam(5);
      for (const q of questions.slice(0, 3)) await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, true), timeSpentMs: 1 });
      const view = await api.sessions.finish({ sessionId });
      expect(view.exam).toMatchObject({ passTarget: 0.8, result: { passed: false, shortBy: 1 } });
    });
  });

  describe('practice sessions are unchanged', () => {
    it('still refuses a second answer, schedules at once and has no exam', async () => {
      const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 30, order: 'course' });
      const view = await api.sessions.get({ sessionId });
      expect(view.exam).toBeNull();
      const q = bank.byId.get(view.items.find((i) => i.kind === 'choice')!.questionId)!;
      const item = await api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, true), timeSpentMs: 20_000 });
      expect(item.result).toMatchObject({ verdict: 'correct' });
      expect(item.savedResponse).toBeNull();
      expect(await cardCount()).toBe(1);
      await expectTrpcError(api.sessions.answer({ sessionId, questionId: q.id, response: responseFor(q, false), timeSpentMs: 1 }), 'CONFLICT', 'この問題にはすでに回答しています。');
      expect(await answerRows()).toHaveLength(1);
    });
  });

  describe('pass line', () => {
    it('is the learner’s own setting, within 30–100%', async () => {
      const api = createCaller(await createContextInner({ store: await freshStore(kind), bank: buildBank(path.resolve(__dirname, '../../../questions')) }));
      expect((await api.sessions.mockOverview()).passTarget).toBe(0.7);
      await api.sessions.setPassTarget({ passTarget: 0.65 });
      expect((await api.sessions.mockOverview()).passTarget).toBe(0.65);
      await expect(api.sessions.setPassTarget({ passTarget: 0.1 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    });
  });
});
