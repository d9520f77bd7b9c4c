import { describe, expect, it } from 'vitest';
import { acceptedForms, answerKey, gradeAnswer } from '../../../graders/answers/grade-answer';
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
        feedback: { rubric: [{ point: '前の時刻の中間層', matched: true }, { point: '現在の中間層へ', matched: false }] },
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
