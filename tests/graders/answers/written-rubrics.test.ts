import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeWritten, preTick } from '../../../graders/answers/grade-answer';
import { loadBank } from '../../../server/bank/load';
import type { Question } from '../../../server/bank/types';
import { PARAPHRASES, SALAD, SWAPPED, type WrittenCase } from './written-answers';

const { questions } = loadBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
const byId = new Map(questions.map((q) => [q.id, q]));
const written = questions.filter((q): q is Question & { written: NonNullable<Question['written']> } => q.written !== undefined);

function ticks(c: WrittenCase): boolean[] {
  const q = byId.get(c.questionId);
  if (!q?.written) throw new Error(`${c.questionId} has no written form`);
  return preTick(q.written, c.answer);
}

describe('the written rubrics of the bank', () => {
  it('has written items to check', () => {
    expect(written.length).toBeGreaterThanOrEqual(17);
  });

  it.each(written.map((q) => [q.id, q] as const))('%s: the model answer pre-ticks every point', (_id, q) => {
    // as written, Markdown emphasis (「**LSTM**:」) included
    expect(preTick(q.written, q.written.modelAnswer)).toEqual(q.written.rubric.map(() => true));
  });

  it.each(SWAPPED.map((c) => [c.questionId, c.label, c] as const))('%s (%s): only what is right is pre-ticked', (_id, _label, c) => {
    expect(ticks(c)).toEqual(c.ticks);
  });

  it('scores the three swapped answers of issue 11 low (they scored 100 on key words alone)', () => {
    const score = (id: string, label: string) => {
      const c = SWAPPED.find((x) => x.questionId === id && x.label === label)!;
      return gradeWritten(byId.get(id)!.written!, c.answer).score;
    };
    expect(score('gru-vs-lstm', 'LSTM と GRU を入れ替えた')).toBe(0);
    expect(score('gru-gates-written', 'r と z を入れ替えた')).toBe(0);
    // the VHRED half of that answer is right
    expect(score('hred-vhred', 'seq2seq と HRED を入れ替えた')).toBe(0.5);
  });

  it('does not pre-tick a point that needs a relation for a list of key words', () => {
    const q = byId.get(SALAD.questionId)!;
    expect(preTick(q.written!, SALAD.answer)).toEqual([false, false, false, false]);
    expect(gradeWritten(q.written!, SALAD.answer)).toMatchObject({ verdict: 'incorrect', score: 0 });
  });

  it.each(PARAPHRASES.map((c) => [c.questionId, c.label, c] as const))('%s (%s): a right answer in other words is pre-ticked', (_id, _label, c) => {
    expect(ticks(c)).toEqual(c.ticks);
  });
});
