import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import type { HistoryRow } from '../../../server/services/history';
import { csvField, historyToHumanCsv } from '../../../server/services/history-csv';
import { chapterProgress, localDateLabel, localDateTime, questionStats, startOfWeek, weakestQuestions, type QuestionStat } from '../../../server/services/progress';
import { freshStore, STORES } from '../test-stores';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));

const stat = (questionId: string, s: Partial<QuestionStat>): QuestionStat => ({
  questionId, answers: 1, incorrect: 0, partial: 0, scoreSum: 1, timeMs: 1000, firstScore: 1, latestScore: 1, lastAt: 0, lastSessionId: 1, ...s,
});

describe.each(STORES)('first-try and latest accuracy (%s)', (kind) => {
  it('takes the first and the latest answer of each question by time, not by insertion order', async () => {
    const store = await freshStore(kind);
    const { answers, learners, practiceSessions } = store.tables;
    await syncBank(store, bank);
    const learnerId = (await store.db.insert(learners).values({ name: 'A' }).returning())[0]!.id;
    const newSession = async (seed: number) =>
      (await store.db.insert(practiceSessions).values({ learnerId, mode: 'practice', chapters: ['rnn'], questionIds: [], order: 'course', seed }).returning())[0]!.id;
    const session = await newSession(1);
    const other = await newSession(2);
    const third = await newSession(3);
    const add = (sessionId: number, questionId: string, verdict: 'correct' | 'partial' | 'incorrect', score: number, at: number, timeSpentMs = 1000) =>
      store.db.insert(answers).values({ sessionId, learnerId, questionId, questionHash: 'h', position: 0, response: {}, verdict, score, timeSpentMs, createdAt: new Date(at) });
    // Inserted out of time order: the partial answer at t=300 is the latest, the wrong one at t=100 the first.
    await add(session, 'e2e-a-choice', 'partial', 0.5, 300, 3000);
    await add(other, 'e2e-a-choice', 'incorrect', 0, 100, 1000);
    await add(third, 'e2e-a-choice', 'correct', 1, 200, 2000);
    await add(session, 'e2e-b-numeric', 'correct', 1, 150);

    const stats = new Map((await questionStats(store, learnerId)).map((s) => [s.questionId, s]));
    expect(stats.get('e2e-a-choice')).toEqual({
      questionId: 'e2e-a-choice', answers: 3, incorrect: 1, partial: 1, scoreSum: 1.5, timeMs: 6000, firstScore: 0, latestScore: 0.5, lastAt: 300, lastSessionId: session,
    });
    expect(stats.get('e2e-b-numeric')).toMatchObject({ answers: 1, incorrect: 0, partial: 0, firstScore: 1, latestScore: 1 });

    const chapterOf = new Map(bank.questions.map((q) => [q.id, q.chapter]));
    const { chapters, totals } = chapterProgress(bank.questions, [...stats.values()], chapterOf, new Map());
    expect(chapters[0]).toMatchObject({ slug: 'rnn', answeredQuestions: 2, answers: 4, firstTryAccuracy: 0.5, latestAccuracy: 0.75, timeSpentMs: 7000 });
    expect(totals).toMatchObject({
      questionCount: 3, answeredQuestions: 2, answers: 4, correct: 2, partial: 1, incorrect: 1, accuracy: 2.5 / 4, firstTryAccuracy: 0.5, latestAccuracy: 0.75,
    });
  });
});

describe('chapter aggregation', () => {
  const questions = [
    { id: 'r1', chapter: 'rnn' },
    { id: 'r2', chapter: 'rnn' },
    { id: 'r3', chapter: 'rnn' },
    { id: 'l1', chapter: 'lstm' },
  ];
  const chapterOf = new Map([...questions.map((q) => [q.id, q.chapter] as const), ['r-old', 'rnn']]);

  it('averages over answered questions, counts a retired question in answers but not in answered / total', () => {
    const stats = [stat('r1', { answers: 2, scoreSum: 1, firstScore: 0, latestScore: 1, timeMs: 500 }), stat('r-old', { firstScore: 1, latestScore: 1, timeMs: 250 })];
    const { chapters } = chapterProgress(questions, stats, chapterOf, new Map());
    expect(chapters[0]).toMatchObject({ questionCount: 3, answeredQuestions: 1, answers: 3, firstTryAccuracy: 0.5, latestAccuracy: 1, timeSpentMs: 750 });
    expect(chapters[1]).toMatchObject({ slug: 'lstm', questionCount: 1, answeredQuestions: 0, answers: 0, firstTryAccuracy: null, latestAccuracy: null, timeSpentMs: 0 });
    expect(chapters).toHaveLength(13);
  });

  it('derives mastery from the retrievability of every question of the chapter (unseen count 0)', () => {
    const { chapters } = chapterProgress(questions, [], chapterOf, new Map([['r1', 0.9], ['r2', 0.9], ['r3', 0.9], ['l1', 0.3]]));
    expect(chapters[0]!.mastery).toEqual({ score: 0.9, level: 'mastered', label: '習得' });
    expect(chapters[1]!.mastery).toEqual({ score: 0.3, level: 'learning', label: '学習中' });
    const partial = chapterProgress(questions, [], chapterOf, new Map([['r1', 0.9]])).chapters[0]!.mastery;
    expect(partial.score).toBeCloseTo(0.3);
    expect(partial).toMatchObject({ level: 'learning' });
    expect(chapterProgress(questions, [], chapterOf, new Map()).chapters[2]!.mastery).toEqual({ score: 0, level: 'none', label: '未学習' });
  });
});

describe('weakest questions', () => {
  it('orders by points lost, then lowest retrievability (no card = 0), and leaves out never-missed and removed ones', () => {
    const stats = [
      stat('e2e-a-choice', { answers: 2, incorrect: 1, scoreSum: 1, lastAt: 10 }),
      stat('e2e-b-numeric', { answers: 2, incorrect: 1, scoreSum: 1, lastAt: 20 }),
      stat('e2e-c-text', { answers: 3, incorrect: 3, scoreSum: 0 }),
      stat('gone-from-bank', { answers: 9, incorrect: 9, scoreSum: 0 }),
    ];
    const r = new Map([['e2e-a-choice', { retrievability: 0.4, graduated: true }], ['e2e-b-numeric', { retrievability: 0.8, graduated: false }]]);
    expect(weakestQuestions(stats, bank, r).map((w) => w.questionId)).toEqual(['e2e-c-text', 'e2e-a-choice', 'e2e-b-numeric']);
    expect(weakestQuestions(stats, bank, new Map([['e2e-a-choice', { retrievability: 0.9, graduated: true }]])).map((w) => w.questionId)).toEqual([
      'e2e-c-text', 'e2e-b-numeric', 'e2e-a-choice',
    ]);
    expect(weakestQuestions(stats, bank, r).map((w) => [w.questionId, w.retrievability, w.learning])).toEqual([
      ['e2e-c-text', null, false], ['e2e-a-choice', 0.4, false], ['e2e-b-numeric', 0.8, true],
    ]);
    expect(weakestQuestions([stat('e2e-a-choice', { answers: 4, scoreSum: 4 })], bank, r)).toEqual([]);
    expect(weakestQuestions(stats, bank, r, 1)).toHaveLength(1);
    expect(weakestQuestions(stats, bank, r)[1]).toEqual({
      questionId: 'e2e-a-choice', title: 'シグモイド関数の導関数の最大値', chapter: 'rnn', chapterTitle: '再帰型ニューラルネットワーク（RNN）',
      answers: 2, correct: 1, partial: 0, incorrect: 1, lost: 1, latestScore: 1, retrievability: 0.4, learning: false, lastAt: 10, lastSessionId: 1,
    });
  });

  it('counts a 75点 answer as partial: listed with a quarter point lost, after a wrong one, never as 不正解', () => {
    const stats = [
      stat('e2e-c-text', { answers: 1, partial: 1, scoreSum: 0.75, latestScore: 0.75 }),
      stat('e2e-a-choice', { answers: 1, incorrect: 1, scoreSum: 0, latestScore: 0 }),
    ];
    const weak = weakestQuestions(stats, bank, new Map());
    expect(weak.map((w) => [w.questionId, w.incorrect, w.partial, w.lost])).toEqual([
      ['e2e-a-choice', 1, 0, 1],
      ['e2e-c-text', 0, 1, 0.25],
    ]);
    expect(weak[1]!.title).toBe('畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）');
  });
});

describe('calendar in Japan time', () => {
  it('starts weeks on Monday and labels local dates', () => {
    expect(startOfWeek(new Date('2026-11-28T16:30:00Z')).toISOString()).toBe('2026-11-22T15:00:00.000Z'); // Sun 11/29 01:30 JST → Mon 11/23
    expect(startOfWeek(new Date('2026-11-22T15:00:00Z')).toISOString()).toBe('2026-11-22T15:00:00.000Z'); // Monday midnight itself
    expect(startOfWeek(new Date('2026-11-22T14:59:59Z')).toISOString()).toBe('2026-11-15T15:00:00.000Z'); // still Sunday in Japan
    expect(localDateLabel(Date.parse('2026-12-31T15:00:00Z'))).toBe('1/1');
  });
});

describe('human CSV export', () => {
  const row = (r: Partial<HistoryRow> & Pick<HistoryRow, 'questionId' | 'response' | 'verdict' | 'score' | 'createdAt'>): HistoryRow => ({
    answerId: 1, sessionId: 3, sessionMode: 'practice', chapter: 'rnn', questionHash: 'abc', timeSpentMs: 12_345, seed: null, sessionSeed: 42, position: 0,
    feedback: null, ...r,
  });

  it('writes Japanese headers, titles, local time, verdicts and points, the answers as text, quoted where needed', () => {
    const rows: HistoryRow[] = [
      // 15:30 UTC is 00:30 the next day in Japan
      row({ questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'a' }, verdict: 'incorrect', score: 0, createdAt: '2026-11-28T15:30:05.000Z', timeSpentMs: 8_000 }),
      row({ questionId: 'e2e-b-numeric', sessionMode: 'review', response: { type: 'numeric', value: '-0.25' }, verdict: 'correct', score: 1, createdAt: '2026-11-29T01:00:00.000Z' }),
      row({
        questionId: 'e2e-c-text', chapter: 'lstm', sessionMode: 'mock', response: { type: 'written', value: '出力は 3,3 "です"\n改行' }, verdict: 'partial', score: 2 / 3,
        createdAt: '2026-11-29T01:02:00.000Z', timeSpentMs: 61_050,
      }),
      row({ questionId: 'e2e-a-choice', response: { type: 'multi', choices: ['c', 'a'] }, verdict: 'partial', score: 0.75, createdAt: '2026-11-29T01:03:00.000Z' }),
      row({ questionId: 'e2e-b-numeric', response: { type: 'code', code: 'h = np.tanh(x)\nreturn h' }, verdict: 'correct', score: 1, createdAt: '2026-11-29T01:04:00.000Z' }),
      row({ questionId: 'retired-one', chapter: 'gru', response: { type: 'text', value: '=HYPERLINK("x")' }, verdict: 'incorrect', score: 0, createdAt: '2026-11-29T01:05:00.000Z' }),
    ];
    expect(historyToHumanCsv(rows, bank)).toBe(
      '\uFEFF日時,種別,章,問題,形式,回答,判定,得点,所要時間（秒）\r\n' +
        '2026/11/29 00:30:05,演習,再帰型ニューラルネットワーク（RNN）,シグモイド関数の導関数の最大値,選択,a,不正解,0,8\r\n' +
        '2026/11/29 10:00:00,復習,再帰型ニューラルネットワーク（RNN）,シグモイド関数の x = 0 での微分係数,数値,-0.25,正解,100,12.3\r\n' +
        '2026/11/29 10:02:00,模擬試験,LSTM,畳み込みの出力サイズ（入力 5×5、フィルタ 3×3）,記述,"出力は 3,3 ""です""\n改行",部分正解,66.7,61.1\r\n' +
        '2026/11/29 10:03:00,演習,再帰型ニューラルネットワーク（RNN）,シグモイド関数の導関数の最大値,複数選択,"a, c",部分正解,75,12.3\r\n' +
        '2026/11/29 10:04:00,演習,再帰型ニューラルネットワーク（RNN）,シグモイド関数の x = 0 での微分係数,コード,"h = np.tanh(x)\nreturn h",正解,100,12.3\r\n' +
        '2026/11/29 10:05:00,演習,GRU,（問題バンクから削除された問題）,短答,"\'=HYPERLINK(""x"")",不正解,0,12.3\r\n',
    );
  });

  it('quotes only what needs it and defuses formulas, leaving signed numbers alone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField(' edge ')).toBe('" edge "');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('+1.5')).toBe('+1.5');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('-x')).toBe("'-x");
  });

  it('formats local date and time in Japan by default', () => {
    expect(localDateTime(Date.parse('2026-12-31T15:00:00Z'))).toBe('2027/01/01 00:00');
    expect(localDateTime(Date.parse('2026-12-31T14:59:59Z'), true)).toBe('2026/12/31 23:59:59');
  });
});
