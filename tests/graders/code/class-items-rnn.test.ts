// Class-based code items of the rnn and lstm chapters (issue 13 §2): the model answer is correct, typical mistakes
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

describe('rnn-cell-class-backward', () => {
  const id = 'rnn-cell-class-backward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names dh_prev when Wh is not transposed', () => {
    expectIncorrect(id, 'np.dot(dt, Wh)', new RegExp(`${MISMATCH}dh_prev の値が違います: 位置 \\[0, 0\\] で`));
  });
  it('names dh_prev when the tanh derivative is skipped', () => {
    expectIncorrect(id, 'np.dot(dh_next, Wh.T)', new RegExp(`${MISMATCH}dh_prev の値が違います: 位置 \\[0, 0\\] で`));
  });
  it('writes the gradients into the arrays self.grads held before backward (shared with an optimizer)', () => {
    const q = item(id);
    const grader = graderFor(q)!;
    const shared = {
      ...grader,
      prelude: `
def check_shared(x, h_prev, Wx, Wh, b, dh_next):
    layer = RNN(Wx, Wh, b)
    held = list(layer.grads)
    layer.forward(x, h_prev)
    layer.backward(dh_next)
    same = held[1] is layer.grads[1]
    return same, float(np.abs(held[1]).sum()) > 0, float(np.abs(held[1] - np.dot(h_prev.T, dh_next * (1 - np.tanh(np.dot(h_prev, Wh) + np.dot(x, Wx) + b) ** 2))).max()) < 1e-5
`,
      call: 'check_shared(x, h_prev, Wx, Wh, b, dh_next)',
    };
    const run = runExample(q, shared, q.solution.trim(), 7);
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual([true, true, true]);
  });
});

describe('rnn-time-class-backward', () => {
  const id = 'rnn-time-class-backward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names dxs when dh is not carried between steps', () => {
    expectIncorrect(id, 'dhs[:, t, :]', new RegExp(`${MISMATCH}dxs の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('names dxs when the output gradient is dropped', () => {
    expectIncorrect(id, 'dh', new RegExp(`${MISMATCH}dxs の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('sums every step into the arrays TimeRNN.grads held before backward, shared with each step\'s params', () => {
    const q = item(id);
    const grader = graderFor(q)!;
    const shared = {
      ...grader,
      prelude: `
def check_shared(xs, Wx, Wh, b, dhs):
    layer = TimeRNN(Wx, Wh, b)
    held = layer.grads[1]
    layer.forward(xs)
    layer.backward(dhs)
    total = layer.layers[0].grads[1] * 0
    for step in layer.layers:
        total = total + step.grads[1]
    return held is layer.grads[1], layer.layers[0].params[1] is Wh, float(np.abs(held - total).max()) < 1e-5
`,
      call: 'check_shared(xs, Wx, Wh, b, dhs)',
    };
    const run = runExample(q, shared, q.solution.trim(), 7);
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual([true, true, true]);
  });
});

describe('lstm-cell-class-backward', () => {
  const id = 'lstm-cell-class-backward';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names dc_prev when only dc_next is carried', () => {
    expectIncorrect(id, 'dc_next * f', new RegExp(`${MISMATCH}dc_prev の値が違います: 位置 \\[0, 0\\] で`));
  });
  it('names dc_prev when the sigmoid derivative is applied on the cell path', () => {
    expectIncorrect(id, 'ds * f * (1 - f)', new RegExp(`${MISMATCH}dc_prev の値が違います: 位置 \\[0, 0\\] で`));
  });
  it('writes the gradients into the arrays self.grads held before backward', () => {
    const q = item(id);
    const grader = graderFor(q)!;
    const shared = {
      ...grader,
      prelude: `
def check_shared(x, h_prev, c_prev, Wx, Wh, b, dh_next, dc_next):
    layer = LSTM(Wx, Wh, b)
    dWx, dWh, db = layer.grads
    layer.forward(x, h_prev, c_prev)
    layer.backward(dh_next, dc_next)
    return dWx is layer.grads[0], float(np.abs(dWh).sum()) > 0, db.shape == b.shape, float(np.abs(db - layer.grads[2]).max()) == 0.0
`,
      call: 'check_shared(x, h_prev, c_prev, Wx, Wh, b, dh_next, dc_next)',
    };
    const run = runExample(q, shared, q.solution.trim(), 7);
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual([true, true, true, true]);
  });
});

describe('lstm-time-class-stateful', () => {
  const id = 'lstm-time-class-stateful';
  it('grades the model answer correct', () => expectCorrect(id));
  it('names hs2_plain when a non-stateful layer carries its state', () => {
    expectIncorrect(id, 'self.h is None', new RegExp(`${MISMATCH}hs2_plain の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('names hs2 when a stateful layer resets its state on every call', () => {
    expectIncorrect(id, 'self.stateful or self.h is None', new RegExp(`${MISMATCH}hs2 の値が違います: 位置 \\[0, 0, 0\\] で`));
  });
  it('sums every step into the arrays TimeLSTM.grads held before backward, and reset_state starts from zero', () => {
    const q = item(id);
    const grader = graderFor(q)!;
    const shared = {
      ...grader,
      prelude: `
def check_shared(xs1, xs2, Wx, Wh, b, dhs):
    layer = TimeLSTM(Wx, Wh, b, stateful=True)
    held = layer.grads[0]
    first = layer.forward(xs1)
    layer.forward(xs2)
    layer.backward(dhs)
    total = 0
    for step in layer.layers:
        total = total + step.grads[0]
    layer.reset_state()
    again = layer.forward(xs1)
    return held is layer.grads[0], float(np.abs(held - total).max()) < 1e-5, float(np.abs(again - first).max()) == 0.0
`,
      call: 'check_shared(xs1, xs2, Wx, Wh, b, dhs)',
    };
    const run = runExample(q, shared, q.solution.trim(), 7);
    expect(run.error).toBeUndefined();
    expect(run.result).toEqual([true, true, true]);
  });
});
