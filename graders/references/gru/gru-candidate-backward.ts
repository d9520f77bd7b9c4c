import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ D ≠ H, so a matrix product in the blank or a wrong transpose below gives another shape.
const N = 3;
const D = 4;
const H = 5;

export const gruCandidateBackward: CodeGrader = {
  key: 'gru-candidate-backward',
  prelude: '',
  call: 'gru_candidate_backward(dh_next, x, h_prev, z, r, h_hat)',
  knownWrong: ['dh_next * z * (1 - h_hat) ** 2', 'dh_next * z', 'np.dot(dh_next * z, (1 - h_hat ** 2).T)', 'dh_next * z * (1 - np.tanh(h_hat) ** 2)'],
  cases: 5,
  makeCase(rng) {
    return {
      dh_next: rng.normalArray([N, H]),
      x: rng.normalArray([N, D]),
      h_prev: rng.uniformArray([N, H], -1, 1),
      z: rng.uniformArray([N, H], 0.05, 0.95),
      r: rng.uniformArray([N, H], 0.05, 0.95),
      h_hat: rng.uniformArray([N, H], -0.95, 0.95),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const hHat = m('h_hat');
      const dt = tf.mul(tf.mul(m('dh_next'), m('z')), tf.sub(1, tf.square(hHat))) as tf.Tensor2D;
      const dWxh = tf.matMul(m('x'), dt, true, false);
      const dWhh = tf.matMul(tf.mul(m('r'), m('h_prev')) as tf.Tensor2D, dt, true, false);
      const dbh = tf.sum(dt, 0);
      const dtJson = toArray(dt);
      return { result: [dtJson, toArray(dWxh), toArray(dWhh), toArray(dbh)], blanks: [dtJson] };
    });
  },
};
