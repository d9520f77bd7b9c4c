import { describe, expect, it } from 'vitest';
import { acceptedForms, answerKey, gradeAnswer, gradeWritten, preTick, scoreOfPoints } from '../../../graders/answers/grade-answer';
import type { Written } from '../../../server/bank/schema';
import { WrittenSchema } from '../../../server/bank/schema';
import type { Question } from '../../../server/bank/types';

const html = { prompt: '', explanation: '', choices: {} };
const base = {
  title: '採点のテスト',
  chapter: 'rnn' as const,
  source: 'original' as const,
  tags: [] as string[],
  file: 'x.md',
  contentHash: 'h',
  prompt: 'p',
  explanation: 'e',
  html,
};

const choice: Question = {
  ...base,
  id: 'q-choice',
  kind: 'choice',
  choices: [
    { id: 'a', text: 'A' },
    { id: 'b', text: 'B' },
  ],
  answer: 'b',
  written: {
    modelAnswer: '前の時刻の中間層から現在の中間層への重み W',
    rubric: [
      { point: '前の時刻の中間層', accept: ['前の時刻', '1つ前'], weight: 1 },
      { point: '現在の中間層へ', accept: ['現在の中間層', '今の中間層'], weight: 1 },
    ],
  },
};
const multi: Question = {
  ...base,
  id: 'q-multi',
  kind: 'multi',
  choices: [
    { id: 'a', text: 'A' },
    { id: 'b', text: 'B' },
    { id: 'c', text: 'C' },
  ],
  answer: ['a', 'c'],
};
const numeric: Question = { ...base, id: 'q-num', kind: 'numeric', answer: 0.25 };
const text: Question = { ...base, id: 'q-text', kind: 'text', answer: '3×3', accept: ['3'] };

describe('gradeAnswer', () => {
  it('grades a single choice', () => {
    expect(gradeAnswer(choice, { type: 'choice', choice: 'b' })).toEqual({ ok: true, graded: { verdict: 'correct', score: 1, feedback: null } });
    expect(gradeAnswer(choice, { type: 'choice', choice: 'a' })).toEqual({ ok: true, graded: { verdict: 'incorrect', score: 0, feedback: null } });
    expect(gradeAnswer(choice, { type: 'choice', choice: 'z' })).toEqual({ ok: false, message: '選択肢を1つ選んでください' });
  });

  it('gives partial credit for multiple choice and penalises wrong picks', () => {
    const grade = (choices: string[]) => gradeAnswer(multi, { type: 'multi', choices });
    expect(grade(['a', 'c'])).toMatchObject({ ok: true, graded: { verdict: 'correct', score: 1 } });
    expect(grade(['a'])).toMatchObject({ ok: true, graded: { verdict: 'partial', score: 0.5 } });
    expect(grade(['a', 'b'])).toMatchObject({ ok: true, graded: { verdict: 'incorrect', score: 0 } });
    expect(grade([])).toEqual({ ok: false, message: '選択肢を1つ以上選んでください' });
  });

  it('reads numbers in common forms and reports a format error for text', () => {
    for (const value of ['0.25', '.25', '1/4', '25%']) {
      expect(gradeAnswer(numeric, { type: 'numeric', value })).toMatchObject({ ok: true, graded: { verdict: 'correct' } });
    }
    expect(gradeAnswer(numeric, { type: 'numeric', value: '0.3' })).toMatchObject({ ok: true, graded: { verdict: 'incorrect', feedback: { parsed: 0.3 } } });
    const bad = gradeAnswer(numeric, { type: 'numeric', value: 'ゼロ' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain('数値として読めません');
  });

  it('normalises text answers', () => {
    for (const value of ['3×3', '3x3', '３ｘ３', ' 3 * 3 ', '3']) {
      expect(gradeAnswer(text, { type: 'text', value })).toMatchObject({ ok: true, graded: { verdict: 'correct' } });
    }
    expect(gradeAnswer(text, { type: 'text', value: '4x4' })).toMatchObject({ ok: true, graded: { verdict: 'incorrect' } });
    expect(gradeAnswer(text, { type: 'text', value: '   ' })).toEqual({ ok: false, message: '回答を入力してください' });
  });

  it('scores the written form point by point', () => {
    const full = gradeAnswer(choice, { type: 'written', value: '１つ前の時刻の中間層から現在の中間層への重み' });
    expect(full).toMatchObject({ ok: true, graded: { verdict: 'correct', score: 1 } });
    const half = gradeAnswer(choice, { type: 'written', value: '前の時刻の出力から' });
    expect(half).toEqual({
      ok: true,
      graded: {
        verdict: 'partial',
        score: 0.5,
        feedback: { rubric: [{ point: '前の時刻の中間層', matched: true, weight: 1 }, { point: '現在の中間層へ', matched: false, weight: 1 }] },
      },
    });
    expect(gradeAnswer(choice, { type: 'written', value: 'わからない' })).toMatchObject({ ok: true, graded: { verdict: 'incorrect', score: 0 } });
  });

  it('refuses a form the question does not offer', () => {
    expect(acceptedForms(choice)).toEqual(['choice', 'written']);
    expect(acceptedForms(numeric)).toEqual(['numeric']);
    expect(gradeAnswer(numeric, { type: 'written', value: '0.25' })).toEqual({ ok: false, message: 'この問題はその形式では回答できません' });
    expect(gradeAnswer(multi, { type: 'choice', choice: 'a' })).toEqual({ ok: false, message: 'この問題はその形式では回答できません' });
  });
});

describe('answerKey', () => {
  it('gives the right answer in every form the question has', () => {
    expect(answerKey(choice)).toEqual({ choice: 'b', rubric: ['前の時刻の中間層', '現在の中間層へ'], modelAnswerHtml: undefined });
    expect(answerKey(text)).toEqual({ value: '3×3', accept: ['3'] });
    expect(answerKey(numeric)).toEqual({ value: '0.25' });
  });
});

describe('rubric points with relations', () => {
  /** A rubric as a question file writes it, checked by the bank's schema. */
  const rubric = (points: unknown[]): Written => WrittenSchema.parse({ modelAnswer: 'm', rubric: points });
  const gates = rubric([
    { point: 'LSTM は 3 つのゲート', accept: [{ inOrder: ['LSTM', ['3つ', '三つ']], notBetween: ['GRUは', 'GRUが'] }] },
    { point: 'GRU は 2 つのゲート', accept: [{ inOrder: ['GRU', ['2つ', '二つ']], notBetween: ['LSTMは', 'LSTMが'] }] },
  ]);

  it('keeps a plain phrase matching anywhere, after normalisation', () => {
    const w = rubric([{ point: 'p', accept: ['忘却ゲート'] }]);
    expect(preTick(w, 'ＬＳＴＭの　忘却 ゲート')).toEqual([true]);
    expect(preTick(w, '入力ゲート')).toEqual([false]);
  });

  it('needs the terms of a list in order within one sentence', () => {
    const w = rubric([{ point: 'p', accept: [['LSTM', ['3つ', '三つ']]] }]);
    expect(preTick(w, 'LSTM はゲートを三つ持つ')).toEqual([true]);
    expect(preTick(w, '3 つのゲートを持つのは LSTM ではない')).toEqual([false]);
    // a full stop, a line break, ！ and ？ end a sentence; a point between digits does not
    expect(preTick(w, 'GRU は 3 つのゲート。LSTM は違う')).toEqual([false]);
    expect(preTick(w, 'GRU は 3 つのゲート\nLSTM は違う')).toEqual([false]);
    expect(preTick(w, 'LSTM は 0.5 倍ではなく 3 つ')).toEqual([true]);
  });

  it('carries a subject over the sentences that name none, as Japanese drops it', () => {
    const w = rubric([{ point: 'p', accept: [{ inOrder: ['LSTM', 'パラメータが多'], notBetween: ['GRUは'] }] }]);
    expect(preTick(w, '- LSTM: 3 つのゲートを持つ。パラメータが多い。')).toEqual([true]);
    expect(preTick(w, 'LSTM は 3 つのゲートを持つ。GRU は 2 つ。パラメータが多い。')).toEqual([false]);
  });

  it('does not pre-tick swapped statements, with or without a preamble naming both', () => {
    expect(preTick(gates, 'LSTM は 3 つ、GRU は 2 つのゲートを持つ。')).toEqual([true, true]);
    expect(preTick(gates, 'GRU は 3 つ、LSTM は 2 つのゲートを持つ。')).toEqual([false, false]);
    expect(preTick(gates, 'LSTM と GRU の違い: GRU は 3 つ、LSTM は 2 つのゲートを持つ。')).toEqual([false, false]);
    // a comparison is not a topic: 「LSTM より」 does not cut the relation
    expect(preTick(gates, 'GRU は LSTM より 1 つ少ない 2 つのゲートを持つ')).toEqual([false, true]);
  });

  it('vetoes a point when a rejected phrasing occurs', () => {
    const w = rubric([{ point: 'p', accept: [['GRU', '少']], reject: [['GRUより', '少']] }]);
    expect(preTick(w, 'GRU は LSTM よりパラメータが少ない')).toEqual([true]);
    expect(preTick(w, 'LSTM は GRU よりパラメータが少ない')).toEqual([false]);
  });

  it('scores the weighted share of the pre-ticked points', () => {
    const w = rubric([
      { point: 'a', accept: ['あ'], weight: 3 },
      { point: 'b', accept: ['い'] },
    ]);
    expect(gradeWritten(w, 'あ')).toEqual({
      verdict: 'partial',
      score: 0.75,
      feedback: { rubric: [{ point: 'a', matched: true, weight: 3 }, { point: 'b', matched: false, weight: 1 }] },
    });
    expect(scoreOfPoints([{ weight: 3 }, {}], [false, true])).toEqual({ score: 0.25, verdict: 'partial' });
    expect(scoreOfPoints([{}, {}], [true, true])).toEqual({ score: 1, verdict: 'correct' });
    expect(scoreOfPoints([{}, {}], [false, false])).toEqual({ score: 0, verdict: 'incorrect' });
  });

  it('refuses phrases that would match any answer, and malformed entries, in Japanese', () => {
    const problems = (points: unknown[]) => WrittenSchema.safeParse({ modelAnswer: 'm', rubric: points }).error?.issues.map((i) => i.message);
    expect(problems([{ point: 'p', accept: ['。'] }])).toEqual(['空白や句読点だけの語句は、どの回答にも一致してしまいます']);
    expect(problems([{ point: 'p', accept: [{ inOrder: ['a', 'b'] }] }])).toEqual([
      'accept・reject の要素は、語句・語の並び [語, 語]・{ inOrder: [語, 語], notBetween: [語] } のどれかです',
    ]);
    expect(problems([{ point: 'p', accept: [['a', 'b']], reject: [3] }])).toEqual([
      'accept・reject の要素は、語句・語の並び [語, 語]・{ inOrder: [語, 語], notBetween: [語] } のどれかです',
    ]);
  });
});
