// Class-based code items of the attention and transformer chapters (issue 13 §2): the model answer is correct,
// typical mistakes fail naming the value that differs, and the textbook's shared gradient arrays really are shared.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeCode, runExample } from '../../../graders/code/grade-code';
import { initBackend } from '../../../graders/numpy/backend-node';
import { graderFor } from '../../../graders/references/index';
import { loadBank } from '../../../server/bank/load';
import type { Question } from '../../../server/bank/types';

// loadBank, not buildBank: a problem in another chapter's file (someone mid-edit) must not hide these results.
const bank = loadBank(path.resolve(__dirname, '..', '..', '..', 'questions'));

function item(id: string): Extract<Question, { kind: 'code' }> {
  const q = bank.questions.find((x) => x.id === id);
  if (!q || q.kind !== 'code') throw new Error(`no code item ${id}`);
  return q;
}

const MISMATCH = '^例のケースで参照実装と一致しません。関数の戻り値: ';

function expectIncorrect(id: string, answer: string, message: RegExp): void {
  const q = item(id);
  const verdict = gradeCode(q, graderFor(q)!, answer, 1234);
  expect(verdict.verdict, verdict.message).toBe('incorrect');
  expect(verdict.message).toMatch(message);
}

function expectCorrect(id: string): void {
  const q = item(id);
  const verdict = gradeCode(q, graderFor(q)!, q.solution.trim(), 1234);
  expect(verdict.verdict, verdict.message).toBe('correct');
}

beforeAll(async () => {
  await initBackend('cpu');
});

describe('attention-weightsum-class-backward', () => {
  const id = 'attention-weightsum-class-backward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names da when the sum runs over the time axis', () => {
    expectIncorrect(id, 'np.sum(dc[:, None, :] * hs, axis=1)', new RegExp(`${MISMATCH}da の形が違います`));
  });
  it('names da when the weights are multiplied instead of the states', () => {
    expectIncorrect(id, 'np.sum(dc[:, None, :] * a[:, :, None], axis=2)', new RegExp(`${MISMATCH}da の値が違います: 位置 \\[0, 0\\] で`));
  });
});
