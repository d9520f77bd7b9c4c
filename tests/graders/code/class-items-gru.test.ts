// Class-based code items of the gru and birnn chapters (issue 13 §2): the model answer is correct, typical mistakes
// fail naming the value that differs, and the textbook's shared gradient arrays really are shared.

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
const at00 = (name: string) => new RegExp(`${MISMATCH}${name} の値が違います: 位置 \\[0, 0\\] で`);

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

describe('gru-cell-class-forward', () => {
  const id = 'gru-cell-class-forward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names h_next when the reset gate is applied after the matrix product', () => {
    expectIncorrect(id, 'np.tanh(np.dot(x, Wxh) + r * np.dot(h_prev, Whh) + bh)', at00('h_next'));
  });
  it('names h_next when the reset gate is left out', () => {
    expectIncorrect(id, 'np.tanh(np.dot(x, Wxh) + np.dot(h_prev, Whh) + bh)', at00('h_next'));
  });
});

describe('gru-cell-class-backward', () => {
  const id = 'gru-cell-class-backward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names dh_prev when z and 1 - z are swapped on the direct path', () => {
    expectIncorrect(id, 'dh_next * z + r * drh + np.dot(daz, Whz.T) + np.dot(dar, Whr.T)', at00('dh_prev'));
  });
  it('names dh_prev when the gates\' paths are missing', () => {
    expectIncorrect(id, 'dh_next * (1 - z) + r * drh', at00('dh_prev'));
  });
  it('writes the gradients into the arrays self.grads held before backward (shared with an optimizer)', () => {
    const q = item(id);
    const grader = graderFor(q)!;
    const shared = {
      ...grader,
      prelude: `
def check_shared(x, h_prev, Wx, Wh, b, dh_next):
    layer = GRU(Wx, Wh, b)
    held = list(layer.grads)
    params = [Wx, Wh, b]
    layer.forward(x, h_prev)
    layer.backward(dh_next)
    same = held[0] is layer.grads[0] and held[1] is layer.grads[1] and held[2] is layer.grads[2]
    return same, layer.params[1] is params[1], float(np.abs(held[1]).sum()) > 0, float(np.abs(held[2]).sum()) > 0
`,
      call: 'check_shared(x, h_prev, Wx, Wh, b, dh_next)',
    };
    const run = runExample(q, shared, q.solution.trim(), 7);
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual([true, true, true, true]);
  });
});

describe('birnn-timebirnn-class-forward', () => {
  const id = 'birnn-timebirnn-class-forward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names out when the backward direction is left in reversed time order', () => {
    expectIncorrect(id, 'np.concatenate((hs_f, hs_b), axis=2)', new RegExp(`${MISMATCH}out の値が違います: 位置 \\[0, 0, 5\\] で`));
  });
  it('names out (its shape) when the two directions are joined along the time axis', () => {
    expectIncorrect(id, 'np.concatenate((hs_f, hs_b[:, ::-1]), axis=1)', new RegExp(`${MISMATCH}out の形が違います`));
  });
});

describe('birnn-timebirnn-class-backward', () => {
  const id = 'birnn-timebirnn-class-backward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names dxs when the backward direction\'s half is not reversed', () => {
    expectIncorrect(id, 'dout[:, :, H:]', new RegExp(`${MISMATCH}dxs の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('names dxs when the forward direction\'s half is handed to the backward layer', () => {
    expectIncorrect(id, 'dout[:, ::-1, :H]', new RegExp(`${MISMATCH}dxs の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('the layer\'s grads list holds the very arrays of its two TimeRNN layers, filled by backward', () => {
    const q = item(id);
    const grader = graderFor(q)!;
    const shared = {
      ...grader,
      prelude: `
def check_shared(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b, dout):
    layer = TimeBiRNN(Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b)
    held = list(layer.grads)
    layer.forward(xs)
    layer.backward(dout)
    same = held[1] is layer.forward_rnn.grads[1] and held[4] is layer.backward_rnn.grads[1]
    filled = float(np.abs(held[1]).sum()) > 0 and float(np.abs(held[4]).sum()) > 0
    return same, filled, layer.params[3] is Wx_b
`,
      call: 'check_shared(xs, Wx_f, Wh_f, b_f, Wx_b, Wh_b, b_b, dout)',
    };
    const run = runExample(q, shared, q.solution.trim(), 7);
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual([true, true, true]);
  });
});
