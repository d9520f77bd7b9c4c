import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../../db/store';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { expectTrpcError } from '../expect-trpc-error';
import type { Graded } from '../../../graders/answers/response';
import { exportHistory, historyToJson, type HistoryFile } from '../../../server/services/history';
import { cardMemories, chapterMastery, masteryRetrievabilities } from '../../../server/services/review';
import { freshSecondStore, freshStore, STORES, type StoreKind } from '../test-stores';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
const DAY = 86_400_000;
/** 10:00 in Japan on Saturday 2026-11-28 */
const T0 = Date.parse('2026-11-28T01:00:00Z');

type Api = ReturnType<typeof createCaller>;

let kind: StoreKind;

/** A new install with the test bank; `second` is one beside the test's own (to import a history into). */
async function freshInstall(second = false): Promise<{ store: Store; api: Api; learnerId: number }> {
  const store = await (second ? freshSecondStore(kind) : freshStore(kind));
  await syncBank(store, bank);
  const ctx = await createContextInner({ store, bank });
  return { store, api: createCaller(ctx), learnerId: ctx.learnerId };
}

let store: Store;
let api: Api;
let learnerId: number;

/** How many rows a table of `on` holds. */
async function rowCount(on: Store, table: 'answers' | 'practiceSessions' | 'reviewCards' | 'reviewLogs') {
  return (await on.db.select({ n: count() }).from(on.tables[table]))[0]!.n;
}

/**
 * Two sessions over rnn (a: choice, b: numeric) and lstm (c: text), a minute between answers:
 *   session 1 at 10:00 JST: a wrong, b right, c wrong
 *   session 2 at 12:00 JST: a right, b right, c wrong
 */
async function answerTwoSessions(): Promise<number[]> {
  const sessionIds: number[] = [];
  const plan = [
    { a: 'a', b: '0.25', c: '4×4', times: [10_000, 20_000, 30_000] },
    { a: 'b', b: '1/4', c: '2×2', times: [40_000, 50_000, 60_000] },
  ];
  for (const [i, s] of plan.entries()) {
    vi.setSystemTime(T0 + i * 2 * 3_600_000);
    const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'course' });
    sessionIds.push(sessionId);
    const step = () => vi.setSystemTime(Date.now() + 60_000);
    step();
    await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: s.a }, timeSpentMs: s.times[0]! });
    step();
    await api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: s.b }, timeSpentMs: s.times[1]! });
    step();
    await api.sessions.answer({ sessionId, questionId: 'e2e-c-text', response: { type: 'text', value: s.c }, timeSpentMs: s.times[2]! });
    await api.sessions.finish({ sessionId });
  }
  vi.setSystemTime(T0 + 4 * 3_600_000); // 14:00 JST, the same day
  return sessionIds;
}

describe.each(STORES)('on %s', (storeKind) => {
  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    kind = storeKind;
    ({ store, api, learnerId } = await freshInstall());
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  describe('progress router', () => {
    it('reports per-chapter numbers: first try vs latest, time, mastery', async () => {
      await answerTwoSessions();
      const overview = await api.progress.overview();
      expect(overview.chapters.map((c) => c.slug)).toEqual([
        'rnn', 'lstm', 'gru', 'birnn', 'seq2seq', 'word2vec', 'attention', 'rl', 'alphago', 'compression', 'applied-models', 'transformer', 'detection',
      ]);
      const rnn = overview.chapters[0]!;
      const lstm = overview.chapters[1]!;
      expect(rnn).toMatchObject({ number: 1, title: '再帰型ニューラルネットワーク（RNN）', questionCount: 2, answeredQuestions: 2, answers: 4, timeSpentMs: 120_000 });
      expect(rnn.firstTryAccuracy).toBeCloseTo(0.5); // a wrong, b right the first time
      expect(rnn.latestAccuracy).toBeCloseTo(1); // both right the second time
      expect(lstm).toMatchObject({ questionCount: 1, answeredQuestions: 1, answers: 2, firstTryAccuracy: 0, latestAccuracy: 0, timeSpentMs: 90_000 });
      expect(overview.chapters.find((c) => c.slug === 'detection')).toMatchObject({
        questionCount: 0, answers: 0, firstTryAccuracy: null, latestAccuracy: null, mastery: { score: 0, level: 'none', label: '未学習' },
      });

      // Mastery comes from the FSRS cards. Within the day every card is still fresh; three days on, rnn (right last
      // time) stands above lstm (wrong twice).
      expect(rnn.mastery.level).not.toBe('none');
      vi.setSystemTime(T0 + 3 * DAY);
      const later = await api.progress.overview();
      const expectedRnn = chapterMastery(['e2e-a-choice', 'e2e-b-numeric'], masteryRetrievabilities(await cardMemories(store, learnerId, new Date())));
      expect(later.chapters[0]!.mastery).toEqual({ ...expectedRnn, label: { none: '未学習', learning: '学習中', familiar: '定着しつつある', mastered: '習得' }[expectedRnn.level] });
      expect(later.chapters[0]!.mastery.score).toBeGreaterThan(later.chapters[1]!.mastery.score + 0.2);

      expect(overview.totals).toMatchObject({ questionCount: 3, answeredQuestions: 3, answers: 6, correct: 3, partial: 0, incorrect: 3, timeSpentMs: 210_000 });
      expect(overview.totals.accuracy).toBeCloseTo(3 / 6);
      expect(overview.totals.firstTryAccuracy).toBeCloseTo(1 / 3);
      expect(overview.totals.latestAccuracy).toBeCloseTo(2 / 3);
    });

    it('counts activity per Japanese day and the weekly trend per chapter', async () => {
      await answerTwoSessions();
      const { daily, trend } = await api.progress.overview();
      expect(daily).toHaveLength(56);
      expect(daily.at(-1)).toEqual({ dayStart: Date.parse('2026-11-27T15:00:00Z'), label: '11/28', answers: 6, correct: 3, partial: 0, accuracy: 0.5 });
      expect(daily.slice(0, -1).every((d) => d.answers === 0 && d.accuracy === null)).toBe(true);
      expect(daily[0]!.label).toBe('10/4');

      expect(trend).toHaveLength(12);
      const week = trend.at(-1)!;
      expect(week.weekStart).toBe(Date.parse('2026-11-22T15:00:00Z')); // Monday 11/23, 00:00 in Japan
      expect(week.label).toBe('11/23');
      expect(week.all).toEqual({ answers: 6, accuracy: 0.5 });
      expect(week.byChapter).toEqual({ rnn: { answers: 4, accuracy: 0.75 }, lstm: { answers: 2, accuracy: 0 } });

      // The next morning in Japan (00:30 JST) the answers belong to yesterday.
      vi.setSystemTime(Date.parse('2026-11-28T15:30:00Z'));
      const next = await api.progress.overview();
      expect(next.daily.at(-1)).toMatchObject({ label: '11/29', answers: 0 });
      expect(next.daily.at(-2)).toMatchObject({ label: '11/28', answers: 6 });
    });

    it('lists the weakest questions by title: most points lost first, never-missed ones left out', async () => {
      const [, second] = await answerTwoSessions();
      const { weak } = await api.progress.overview();
      expect(weak.map((w) => [w.questionId, w.incorrect, w.partial, w.answers])).toEqual([
        ['e2e-c-text', 2, 0, 2],
        ['e2e-a-choice', 1, 0, 2],
      ]);
      expect(weak[0]).toMatchObject({ title: '畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）', chapter: 'lstm', chapterTitle: 'LSTM', lastSessionId: second, latestScore: 0 });
      // FSRS's recall two hours after the last (wrong) answer: falling, below the one answered right last time.
      expect(weak[0]!.retrievability).toBeGreaterThan(0.5);
      expect(weak[0]!.retrievability).toBeLessThan(weak[1]!.retrievability!);
      expect(weak[1]!.retrievability).toBeGreaterThan(0.9);
      expect(weak[1]!.retrievability).toBeLessThan(1);
      // wrong last time: still learning; right last time: in review
      expect(weak.map((w) => w.learning)).toEqual([true, false]);
    });

    it('starts a practice session of exactly the weak questions, in course order', async () => {
      await answerTwoSessions();
      const { weak } = await api.progress.overview();
      const { sessionId } = await api.progress.startWithQuestions({ questionIds: weak.map((w) => w.questionId) });
      const session = await api.sessions.get({ sessionId });
      expect(session.items.map((i) => i.questionId)).toEqual(['e2e-a-choice', 'e2e-c-text']);
      expect(session).toMatchObject({ mode: 'practice', order: 'course', chapters: ['rnn', 'lstm'], answeredCount: 0, finishedAt: null });
      const { practiceSessions } = store.tables;
      const [row] = await store.db.select().from(practiceSessions).where(eq(practiceSessions.id, sessionId));
      expect(row).toMatchObject({ learnerId, mode: 'practice', order: 'course', questionIds: ['e2e-a-choice', 'e2e-c-text'] });
      expect(Number.isInteger(row!.seed)).toBe(true);

      await expectTrpcError(api.progress.startWithQuestions({ questionIds: ['e2e-a-choice', 'nope'] }), 'BAD_REQUEST', '問題バンクにない問題が含まれています: nope');
      await expectTrpcError(api.progress.startWithQuestions({ questionIds: [] }), 'BAD_REQUEST', /.+/);
    });

    it('pages through every answer, newest first', async () => {
      const [first, second] = await answerTwoSessions();
      const page1 = await api.progress.answers({ page: 1, pageSize: 5 });
      expect(page1).toMatchObject({ page: 1, pageSize: 5, total: 6, pageCount: 2 });
      expect(page1.rows.map((r) => [r.sessionId, r.questionId, r.verdict])).toEqual([
        [second, 'e2e-c-text', 'incorrect'],
        [second, 'e2e-b-numeric', 'correct'],
        [second, 'e2e-a-choice', 'correct'],
        [first, 'e2e-c-text', 'incorrect'],
        [first, 'e2e-b-numeric', 'correct'],
      ]);
      expect(page1.rows[0]).toMatchObject({
        title: '畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）', chapter: 'lstm', chapterTitle: 'LSTM', inBank: true, sessionMode: 'practice', timeSpentMs: 60_000,
        createdAt: T0 + 2 * 3_600_000 + 180_000, createdAtText: '2026/11/28 12:03',
      });
      const page2 = await api.progress.answers({ page: 2, pageSize: 5 });
      expect(page2.rows.map((r) => [r.sessionId, r.questionId, r.verdict])).toEqual([[first, 'e2e-a-choice', 'incorrect']]);
      expect((await api.progress.answers({ page: 99, pageSize: 5 })).page).toBe(2); // clamped to the last page
    });

    it('gives the home page chapter coverage and accuracy apart: one of two questions answered right is half covered', async () => {
      const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
      await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 10_000 });
      const again = await api.progress.startWithQuestions({ questionIds: ['e2e-a-choice'] });
      await api.sessions.answer({ sessionId: again.sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 10_000 });
      const rnn = (await api.chapters.overview()).find((c) => c.slug === 'rnn');
      expect(rnn).toMatchObject({ questionCount: 2, answeredCount: 2, answeredQuestions: 1, accuracy: 1 });

      await answerTwoSessions();
      const overview = await api.chapters.overview();
      expect(overview.find((c) => c.slug === 'rnn')).toMatchObject({ questionCount: 2, answeredCount: 6, answeredQuestions: 2 });
      expect(overview.find((c) => c.slug === 'lstm')).toMatchObject({ questionCount: 1, answeredCount: 2, answeredQuestions: 1, accuracy: 0 });
      expect(overview.find((c) => c.slug === 'gru')).toMatchObject({ questionCount: 0, answeredCount: 0, answeredQuestions: 0, accuracy: null });
    });

    it('summarises for the home page', async () => {
      expect(await api.progress.summary()).toEqual({ answers: 0, answeredQuestions: 0, questionCount: 3, accuracy: null });
      await answerTwoSessions();
      expect(await api.progress.summary()).toEqual({ answers: 6, answeredQuestions: 3, questionCount: 3, accuracy: 0.5 });
    });
  });

  describe('history export and import', () => {
    const withoutIds = (rows: Awaited<ReturnType<typeof exportHistory>>) => rows.map(({ answerId: _a, sessionId: _s, ...rest }) => rest);
    const cardsOf = async (on: Store) =>
      (await on.db.select().from(on.tables.reviewCards).orderBy(on.tables.reviewCards.questionId)).map(({ learnerId: _l, introducedAt: _i, ...card }) => card);

    it('round-trips into a fresh install: same answers, sessions and rebuilt review cards', async () => {
      const [first] = await answerTwoSessions();
      const exported = await exportHistory(store, learnerId);
      expect(exported).toHaveLength(6);
      expect(exported[0]).toMatchObject({
        sessionId: first, sessionMode: 'practice', questionId: 'e2e-a-choice', chapter: 'rnn', verdict: 'incorrect', score: 0,
        response: { type: 'choice', choice: 'a' }, timeSpentMs: 10_000, seed: null, position: 0, createdAt: new Date(T0 + 60_000).toISOString(),
        questionHash: bank.byId.get('e2e-a-choice')!.contentHash,
      });
      const file = JSON.parse(historyToJson(exported)) as HistoryFile;

      const target = await freshInstall(true);
      const result = await target.api.progress.importHistory(file);
      expect(result).toEqual({ imported: 6, sessions: 2, cards: 3, skipped: 0, skippedQuestionIds: [] });

      expect(withoutIds(await exportHistory(target.store, target.learnerId))).toEqual(withoutIds(exported));
      // Replaying the answers at their times gives the very cards the answers made here.
      expect(await cardsOf(target.store)).toEqual(await cardsOf(store));
      expect(await rowCount(target.store, 'reviewLogs')).toBe(6);

      const before = await api.progress.overview();
      const after = await target.api.progress.overview();
      expect(after.chapters).toEqual(before.chapters);
      expect(after.daily).toEqual(before.daily);
      expect(after.weak.map((w) => w.questionId)).toEqual(before.weak.map((w) => w.questionId));

      // Every imported answer stays reviewable in its (finished) session.
      const session = await target.api.sessions.get({ sessionId: after.weak[0]!.lastSessionId });
      expect(session.finishedAt).not.toBeNull();
      expect(session.items.map((i) => [i.questionId, i.result?.verdict])).toEqual([
        ['e2e-a-choice', 'correct'],
        ['e2e-b-numeric', 'correct'],
        ['e2e-c-text', 'incorrect'],
      ]);
      expect(session.items[2]?.result?.explanationHtml).toContain('katex');

      // Importing twice would count everything twice: refused.
      await expectTrpcError(target.api.progress.importHistory(file), 'BAD_REQUEST', /すでに 6 件の回答の記録がある/);
    });

    it('refuses a bad file with the first problems listed, and writes nothing', async () => {
      await answerTwoSessions();
      const file = JSON.parse(historyToJson(await exportHistory(store, learnerId))) as HistoryFile;
      const target = await freshInstall(true);
      const nothingWritten = async () => {
        expect(await rowCount(target.store, 'answers')).toBe(0);
        expect(await rowCount(target.store, 'practiceSessions')).toBe(0);
        expect(await rowCount(target.store, 'reviewCards')).toBe(0);
      };

      const badRows = structuredClone(file);
      (badRows.answers[1] as Record<string, unknown>).verdict = 'maybe';
      (badRows.answers[3] as Record<string, unknown>).score = 2;
      (badRows.answers[4] as Record<string, unknown>).extra = true;
      const error = await target.api.progress.importHistory(badRows).catch((e: unknown) => e as TRPCError);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      const message = (error as TRPCError).message;
      expect(message).toMatch(/^履歴ファイルを読み込めません（問題 3 件）。何も読み込んでいません。/);
      expect(message).toContain('answers[1].verdict: ');
      expect(message).toContain('answers[3].score: ');
      expect(message).toContain('answers[4]: ');
      expect(message).toMatch(/無効|大きすぎ|認識/); // zod's Japanese messages
      await nothingWritten();

      const duplicate = structuredClone(file);
      duplicate.answers[2] = { ...duplicate.answers[2]!, answerId: duplicate.answers[0]!.answerId };
      await expectTrpcError(target.api.progress.importHistory(duplicate), 'BAD_REQUEST', /answers\[2\]\.answerId: 回答 id \d+ が重複しています/);
      await expectTrpcError(target.api.progress.importHistory({ answers: [] }), 'BAD_REQUEST', /Kakunin が書き出した JSON ファイルを選んでください/);
      await expectTrpcError(target.api.progress.importHistory([1, 2]), 'BAD_REQUEST', /JSON のオブジェクト/);
      await expectTrpcError(target.api.progress.importHistory({ ...file, answers: Array.from({ length: 100_001 }, () => 0) }), 'BAD_REQUEST', /100000 件まで/);
      await nothingWritten();
    });

    /** Feedback as the app stores it, one of each kind (typed: a change to what is stored shows up here). */
    const codeFeedback: Graded['feedback'] = {
      code: {
        verdict: 'error',
        message: '2 / 5 ケースで正解',
        passed: 2,
        total: 5,
        cases: [
          { index: 0, visible: true, passed: true },
          { index: 1, visible: false, passed: false, mismatch: { kind: 'shape', path: '[1]', expectedShape: [3, 4], gotShape: [4, 3], message: '形が違います', source: 'result' } },
          { index: 2, visible: false, passed: false, mismatch: { kind: 'value', path: '', index: [0, 2], expected: 0.5, got: Number.NaN, message: '値が違います', source: 'blank', blankIndex: 0 } },
          { index: 3, visible: false, passed: false, error: { type: 'TimeoutError', message: '時間切れです', line: 3, col: 5, endLine: 3, endCol: 9, where: 'answer', limit: 'timeoutMs' } },
        ],
        backend: 'cpu',
        elapsedMs: 12.5,
        browser: { verdict: 'incorrect', backend: 'webgl', passed: 2, total: 5 },
      },
    };
    const rubricFeedback: Graded['feedback'] = { rubric: [{ point: '勾配が消失する', matched: true }, { point: 'ゲートで制御する', matched: false }] };

    it('imports every kind of feedback the app stores, as stored', async () => {
      await answerTwoSessions();
      const file = JSON.parse(historyToJson(await exportHistory(store, learnerId))) as HistoryFile;
      // through JSON, as stored and exported: NaN becomes null
      const stored = (f: Graded['feedback']) => JSON.parse(JSON.stringify(f)) as HistoryFile['answers'][number]['feedback'];
      const feedbacks = [stored(codeFeedback), stored(rubricFeedback), { parsed: 0.25 }, { parsed: null }, null, {}];
      file.answers.forEach((a, i) => (a.feedback = feedbacks[i]!));
      const target = await freshInstall(true);
      expect((await target.api.progress.importHistory(file)).imported).toBe(6);
      expect((await exportHistory(target.store, target.learnerId)).map((a) => a.feedback)).toEqual(feedbacks);
    });

    it('refuses feedback of the wrong types, naming where', async () => {
      await answerTwoSessions();
      const file = JSON.parse(historyToJson(await exportHistory(store, learnerId))) as HistoryFile;
      const bad = structuredClone(file) as { answers: Record<string, unknown>[] };
      const code = JSON.parse(JSON.stringify(codeFeedback!.code)) as Record<string, unknown> & { cases: Record<string, unknown>[] };
      code.passed = 'all';
      code.cases[1] = { ...code.cases[1], mismatch: { kind: 'shape', path: '[1]', message: '<img src=x onerror=alert(1)>', source: 'result', expectedShape: '3x4' } };
      bad.answers[0]!.feedback = { code };
      bad.answers[1]!.feedback = { rubric: [{ point: 1, matched: 'yes' }] };
      bad.answers[2]!.feedback = { parsed: '0.25', html: '<script>' };
      bad.answers[3]!.feedback = 'correct';
      const target = await freshInstall(true);
      const error = await target.api.progress.importHistory(bad).catch((e: unknown) => e as TRPCError);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      const problems = (error as TRPCError).message.split('\n').slice(1).map((line) => line.slice(0, line.indexOf(': ')));
      expect(problems).toEqual([
        '・answers[0].feedback.code.passed',
        '・answers[0].feedback.code.cases[1].mismatch.expectedShape',
        '・answers[1].feedback.rubric[0].point',
        '・answers[1].feedback.rubric[0].matched',
        '・answers[2].feedback.parsed',
      ]);
      expect((error as TRPCError).message).toMatch(/^履歴ファイルを読み込めません（問題 5 件以上）。何も読み込んでいません。/);
      expect(await rowCount(target.store, 'answers')).toBe(0);
    });

    it('refuses a history nested 30,000 deep with a 400 that says where, not a stack overflow', async () => {
      await answerTwoSessions();
      const file = JSON.parse(historyToJson(await exportHistory(store, learnerId))) as HistoryFile;
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 30_000; i++) deep = { a: deep };
      (file.answers[0] as Record<string, unknown>).feedback = deep;
      const target = await freshInstall(true);
      await expectTrpcError(
        target.api.progress.importHistory(file),
        'BAD_REQUEST',
        '履歴ファイルを読み込めません（問題 1 件）。何も読み込んでいません。\n・answers[0].feedback.a.a.a.….a: 入れ子が深すぎます（32 段まで）。',
      );
      // an array nest where nothing else is checked first
      let list: unknown[] = [];
      for (let i = 0; i < 30_000; i++) list = [list];
      await expectTrpcError(target.api.progress.importHistory({ ...file, answers: list }), 'BAD_REQUEST', /・answers\[0\]\[0\]\[0\]\[0\]\[0\]\.….*: 入れ子が深すぎます（32 段まで）。$/);
      expect(await rowCount(target.store, 'answers')).toBe(0);
    });

    it('skips answers to questions this bank does not have, and says so', async () => {
      await answerTwoSessions();
      const file = JSON.parse(historyToJson(await exportHistory(store, learnerId))) as HistoryFile;
      file.answers[0] = { ...file.answers[0]!, questionId: 'retired-long-ago' };
      const target = await freshInstall(true);
      const result = await target.api.progress.importHistory(file);
      expect(result).toEqual({ imported: 5, sessions: 2, cards: 3, skipped: 1, skippedQuestionIds: ['retired-long-ago'] });
      expect(await rowCount(target.store, 'answers')).toBe(5);

      const none = { ...file, answers: file.answers.map((a, i) => ({ ...a, questionId: `unknown-${i}` })) };
      const other = await freshInstall(true);
      await expectTrpcError(other.api.progress.importHistory(none), 'BAD_REQUEST', /どの回答の問題もこの問題バンクにありません（例: unknown-0, unknown-1, unknown-2, unknown-3, unknown-4）/);
    });
  });
});
