import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../../../db/client';
import { answers, learners, practiceSessions } from '../../../db/schema';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { historyToCsv, type HistoryRow } from '../../../server/services/history';
import { chapterProgress, localDateLabel, questionStats, startOfWeek, weakestQuestions, type QuestionStat } from '../../../server/services/progress';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));

const stat = (questionId: string, s: Partial<QuestionStat>): QuestionStat => ({
  questionId, answers: 1, wrong: 0, scoreSum: 1, timeMs: 1000, firstScore: 1, latestScore: 1, lastAt: 0, lastSessionId: 1, ...s,
});

describe('first-try and latest accuracy', () => {
  it('takes the first and the latest answer of each question by time, not by insertion order', () => {
    const db = createTestDb();
    syncBank(db, bank);
    const learnerId = db.insert(learners).values({ name: 'A' }).returning().get().id;
    const session = db.insert(practiceSessions).values({ learnerId, mode: 'practice', chapters: ['rnn'], questionIds: [], order: 'course', seed: 1 }).returning().get().id;
    const other = db.insert(practiceSessions).values({ learnerId, mode: 'practice', chapters: ['rnn'], questionIds: [], order: 'course', seed: 2 }).returning().get().id;
    const third = db.insert(practiceSessions).values({ learnerId, mode: 'practice', chapters: ['rnn'], questionIds: [], order: 'course', seed: 3 }).returning().get().id;
    const add = (sessionId: number, questionId: string, verdict: 'correct' | 'partial' | 'incorrect', score: number, at: number, timeSpentMs = 1000) =>
      db.insert(answers).values({ sessionId, learnerId, questionId, questionHash: 'h', position: 0, response: {}, verdict, score, timeSpentMs, createdAt: new Date(at) }).run();
    // Inserted out of time order: the partial answer at t=300 is the latest, the wrong one at t=100 the first.
    add(session, 'e2e-a-choice', 'partial', 0.5, 300, 3000);
    add(other, 'e2e-a-choice', 'incorrect', 0, 100, 1000);
    add(third, 'e2e-a-choice', 'correct', 1, 200, 2000);
    add(session, 'e2e-b-numeric', 'correct', 1, 150);

    const stats = new Map(questionStats(db, learnerId).map((s) => [s.questionId, s]));
    expect(stats.get('e2e-a-choice')).toEqual({
      questionId: 'e2e-a-choice', answers: 3, wrong: 2, scoreSum: 1.5, timeMs: 6000, firstScore: 0, latestScore: 0.5, lastAt: 300, lastSessionId: session,
    });
    expect(stats.get('e2e-b-numeric')).toMatchObject({ answers: 1, wrong: 0, firstScore: 1, latestScore: 1 });

    const chapterOf = new Map(bank.questions.map((q) => [q.id, q.chapter]));
    const { chapters, totals } = chapterProgress(bank.questions, [...stats.values()], chapterOf, new Map());
    expect(chapters[0]).toMatchObject({ slug: 'rnn', answeredQuestions: 2, answers: 4, firstTryAccuracy: 0.5, latestAccuracy: 0.75, timeSpentMs: 7000 });
    expect(totals).toMatchObject({ questionCount: 3, answeredQuestions: 2, answers: 4, accuracy: 2.5 / 4, firstTryAccuracy: 0.5, latestAccuracy: 0.75 });
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
  it('orders by wrong count, then lowest retrievability (no card = 0), and leaves out never-wrong and removed ones', () => {
    const stats = [
      stat('e2e-a-choice', { wrong: 1, lastAt: 10 }),
      stat('e2e-b-numeric', { wrong: 1, lastAt: 20 }),
      stat('e2e-c-text', { wrong: 3 }),
      stat('gone-from-bank', { wrong: 9 }),
    ];
    const r = new Map([['e2e-a-choice', 0.4], ['e2e-b-numeric', 0.8]]);
    expect(weakestQuestions(stats, bank.byId, r).map((w) => w.questionId)).toEqual(['e2e-c-text', 'e2e-a-choice', 'e2e-b-numeric']);
    expect(weakestQuestions(stats, bank.byId, new Map([['e2e-a-choice', 0.9]])).map((w) => w.questionId)).toEqual(['e2e-c-text', 'e2e-b-numeric', 'e2e-a-choice']);
    expect(weakestQuestions([stat('e2e-a-choice', { wrong: 0 })], bank.byId, r)).toEqual([]);
    expect(weakestQuestions(stats, bank.byId, r, 1)).toHaveLength(1);
    expect(weakestQuestions(stats, bank.byId, r)[1]).toMatchObject({ chapter: 'rnn', chapterTitle: '再帰型ニューラルネットワーク（RNN）', retrievability: 0.4 });
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

describe('CSV export', () => {
  it('writes a BOM, CRLF lines, and quotes fields with commas, quotes and line breaks', () => {
    const row: HistoryRow = {
      answerId: 7, sessionId: 3, sessionMode: 'practice', questionId: 'e2e-c-text', chapter: 'lstm', questionHash: 'abc',
      response: { type: 'text', value: '3,3 "です"\n改行' }, verdict: 'incorrect', score: 0, timeSpentMs: 1200, seed: null,
      createdAt: '2026-11-28T01:00:00.000Z', sessionSeed: 42, position: 0, feedback: null,
    };
    const csv = historyToCsv([row]);
    expect(csv.startsWith('\uFEFFanswerId,sessionId,sessionMode,questionId,chapter,questionHash,response,verdict,score,timeSpentMs,seed,createdAt,sessionSeed,position,feedback\r\n')).toBe(true);
    expect(csv.split('\r\n')[1]).toBe(
      '7,3,practice,e2e-c-text,lstm,abc,"{""type"":""text"",""value"":""3,3 \\""です\\""\\n改行""}",incorrect,0,1200,,2026-11-28T01:00:00.000Z,42,0,',
    );
    expect(csv.endsWith('\r\n')).toBe(true);
  });
});
