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

describe('attention-weight-class-backward', () => {
  const id = 'attention-weight-class-backward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names dhs when only the diagonal of the softmax Jacobian is used', () => {
    expectIncorrect(id, 'a * (1 - a) * da', new RegExp(`${MISMATCH}dhs の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('names dhs when the weighted mean is taken over the batch axis', () => {
    expectIncorrect(id, 'a * (da - np.sum(a * da, axis=0, keepdims=True))', new RegExp(`${MISMATCH}dhs の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
});

describe('transformer-mha-class-split-heads', () => {
  const id = 'transformer-mha-class-split-heads';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names out when the heads are reshaped without the transpose', () => {
    expectIncorrect(id, 'x.reshape(N, H, T, dk)', new RegExp(`${MISMATCH}out の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('names out when q, k and v are scaled once more', () => {
    expectIncorrect(id, 'x.reshape(N, T, H, dk).transpose(0, 2, 1, 3) / np.sqrt(dk)', new RegExp(`${MISMATCH}out の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('writes the gradients into the arrays self.grads held before backward (shared with an optimizer)', () => {
    const q = item(id);
    const grader = graderFor(q)!;
    const shared = {
      ...grader,
      prelude: `
def check_shared(x, Wq, Wk, Wv, Wo, num_heads, dout):
    layer = MultiHeadAttention(Wq, Wk, Wv, Wo, int(num_heads))
    held = list(layer.grads)
    layer.forward(x)
    layer.backward(dout)
    N, T, D = x.shape
    m = layer.cache[5]
    dWo = np.dot(m.reshape(N * T, D).T, dout.reshape(N * T, D))
    return held[3] is layer.grads[3], float(np.abs(held[0]).sum()) > 0, float(np.abs(held[3] - dWo).max()) < 1e-5
`,
      call: 'check_shared(x, Wq, Wk, Wv, Wo, num_heads, dout)',
    };
    const run = runExample(q, shared, q.solution.trim(), 7);
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual([true, true, true]);
  });
});
