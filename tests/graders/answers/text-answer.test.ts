import { describe, expect, it } from 'vitest';
import { answerKey, gradeAnswer } from '../../../graders/answers/grade-answer';
import { textKey, textMatches, textReadings } from '../../../graders/answers/text-answer';
import type { Question } from '../../../server/bank/types';

describe('textKey', () => {
  it.each([
    ['エンコーダー・デコーダー・アテンション', 'エンコダデコダアテンション'],
    ['エンコーダ デコーダ アテンション', 'エンコダデコダアテンション'],
    ['Source-Target-Attention', 'sourcetargetattention'],
    ['ｓｏｕｒｃｅ－ｔａｒｇｅｔ', 'sourcetarget'],
    ['the distributional hypothesis', 'distributionalhypothesis'],
    ['確率分布 z∼N(0,1)', '確率分布z~n(0,1)'],
    ['確率分布 z〜N(0, 1)', '確率分布z~n(0,1)'],
    ['3・3', '3x3'],
    ['3×3', '3x3'],
  ])('%s → %s', (input, key) => {
    expect(textKey(input)).toBe(key);
  });

  it('keeps words that only start like an article', () => {
    expect(textKey('theta')).toBe('theta');
    expect(textKey('another')).toBe('another');
  });
});

describe('textReadings', () => {
  it('reads a Latin gloss in parentheses with and without it, a Japanese one only as written', () => {
    expect(textReadings('分布仮説（distributional hypothesis）')).toEqual(['分布仮説(distributionalhypothesis)', '分布仮説']);
    expect(textReadings('Gated Recurrent Unit（GRU）')).toEqual(['gatedrecurrentunit(gru)', 'gatedrecurrentunit']);
    expect(textReadings('オンポリシー（オフポリシー）')).toEqual(['オンポリシ(オフポリシ)']);
  });
});

describe('textMatches', () => {
  const offPolicy = ['方策オフ', 'オフポリシー', 'off-policy'];

  it('accepts the spellings the review found rejected', () => {
    expect(textMatches('オフポリシー学習', offPolicy, ['学習', '型'])).toBe(true);
    expect(textMatches('off-policy学習', offPolicy, ['学習'])).toBe(true);
    expect(textMatches('方策オフ型', offPolicy, ['学習', '型'])).toBe(true);
    expect(textMatches('分布仮説（distributional hypothesis）', ['分布仮説'])).toBe(true);
    expect(textMatches('the distributional hypothesis', ['distributional hypothesis'])).toBe(true);
    expect(textMatches('エンコーダー・デコーダー・アテンション', ['エンコーダ・デコーダ・アテンション'])).toBe(true);
  });

  it('rejects near-misses and hedges', () => {
    expect(textMatches('オンポリシー学習', offPolicy, ['学習'])).toBe(false);
    expect(textMatches('オンポリシー（オフポリシー）', offPolicy)).toBe(false);
    expect(textMatches('学習', offPolicy, ['学習'])).toBe(false);
    expect(textMatches('オフポリシー強化学習', offPolicy, ['学習'])).toBe(false);
    expect(textMatches('分布', ['分布仮説'])).toBe(false);
  });

  it('adds an ending only where the item allows one', () => {
    expect(textMatches('オフポリシー学習', offPolicy)).toBe(false);
  });
});

describe('text items in gradeAnswer', () => {
  const q: Question = {
    id: 'q-text-suffix',
    title: '方策オフ型の用語',
    chapter: 'rl',
    source: 'original',
    tags: [],
    file: 'rl/q.md',
    contentHash: 'h',
    prompt: 'p',
    explanation: 'e',
    html: { prompt: '', explanation: '', choices: {} },
    kind: 'text',
    answer: '方策オフ型',
    accept: ['オフポリシー'],
    suffixes: ['学習'],
  };

  it('grades through textMatches and shows the accepted spellings', () => {
    expect(gradeAnswer(q, { type: 'text', value: 'オフポリシー学習' })).toMatchObject({ ok: true, graded: { verdict: 'correct', score: 1 } });
    expect(gradeAnswer(q, { type: 'text', value: 'オンポリシー' })).toMatchObject({ ok: true, graded: { verdict: 'incorrect', score: 0 } });
    expect(gradeAnswer(q, { type: 'text', value: ' ・ ' })).toMatchObject({ ok: true, graded: { verdict: 'incorrect' } });
    expect(gradeAnswer(q, { type: 'text', value: '  ' })).toEqual({ ok: false, message: '回答を入力してください' });
    expect(answerKey(q)).toEqual({ value: '方策オフ型', accept: ['オフポリシー'] });
  });
});

describe('code items: choices that compute the same value', () => {
  const q: Question = {
    id: 'q-code-equivalent',
    title: '同じ値になる選択肢',
    chapter: 'seq2seq',
    source: 'original',
    tags: [],
    file: 'seq2seq/q.md',
    contentHash: 'h',
    prompt: 'p',
    explanation: 'e',
    html: { prompt: '', explanation: '', choices: {} },
    kind: 'code',
    template: 'e = ___',
    solution: 'E.dot(w)',
    choices: [
      { id: 'a', text: '`E.dot(w)`' },
      { id: 'b', text: '`E * w`' },
      { id: 'c', text: '`w.dot(E.T)`' },
    ],
    answer: 'a',
    equivalent: ['c'],
  };

  it('grades the key and its equivalents correct, and names them in the answer key', () => {
    expect(gradeAnswer(q, { type: 'choice', choice: 'a' })).toMatchObject({ ok: true, graded: { verdict: 'correct' } });
    expect(gradeAnswer(q, { type: 'choice', choice: 'c' })).toMatchObject({ ok: true, graded: { verdict: 'correct' } });
    expect(gradeAnswer(q, { type: 'choice', choice: 'b' })).toMatchObject({ ok: true, graded: { verdict: 'incorrect' } });
    expect(answerKey(q)).toEqual({ code: 'E.dot(w)', choice: 'a', alsoChoices: ['c'] });
  });
});
