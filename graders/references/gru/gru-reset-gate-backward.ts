import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ D ≠ H. Whh is square (H, H), so forgetting the product with Whh keeps the shape: the values tell.
const N = 3;
const D = 4;
const H = 5;

export const gruResetGateBackward: CodeGrader = {
  key: 'gru-reset-gate-backward',
  prelude: '',
  call: 'gru_reset_gate_backward(dt, x, h_prev, r, Whh)',
  knownWrong: ['drh * h_prev', 'drh * r * (1 - r)', 'np.dot(dt, Whh) * h_prev * r * (1 - r)', 'drh * h_prev * (1 - r ** 2)'],
  cases: 5,
  makeCase(rng) {
    return {
      dt: rng.normalArray([N, H]),
      x: rng.normalArray([N, D]),
      h_prev: rng.uniformArray([N, H], -1, 1),
      r: rng.uniformArray([N, H], 0.05, 0.95),
      Whh: rng.normalArray([H, H], 0.6),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const r = m('r');
      const drh = tf.matMul(m('dt'), m('Whh'), false, true);
      const daR = tf.mul(tf.mul(drh, m('h_prev')), tf.mul(r, tf.sub(1, r))) as tf.Tensor2D;
      const dWxr = tf.matMul(m('x'), daR, true, false);
      const daJson = toArray(daR);
      return { result: [daJson, toArray(dWxr), toArray(tf.sum(daR, 0))], blanks: [daJson] };
    });
  },
};
