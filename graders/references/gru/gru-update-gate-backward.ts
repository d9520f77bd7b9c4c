import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ D ≠ H, so a stray matrix product or transpose in the blank gives another shape.
const N = 3;
const D = 4;
const H = 5;

export const gruUpdateGateBackward: CodeGrader = {
  key: 'gru-update-gate-backward',
  prelude: '',
  call: 'gru_update_gate_backward(dh_next, x, h_prev, z, h_hat)',
  knownWrong: ['dh_next * (h_hat - h_prev)', 'dh_next * (h_hat - h_prev) * z', 'dh_next * (1 - z) * z * (1 - z)', 'dh_next * (h_hat - h_prev) * (1 - z ** 2)'],
  cases: 5,
  makeCase(rng) {
    return {
      dh_next: rng.normalArray([N, H]),
      x: rng.normalArray([N, D]),
      h_prev: rng.uniformArray([N, H], -1, 1),
      z: rng.uniformArray([N, H], 0.05, 0.95),
      h_hat: rng.uniformArray([N, H], -0.95, 0.95),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const z = m('z');
      const daZ = tf.mul(tf.mul(m('dh_next'), tf.sub(m('h_hat'), m('h_prev'))), tf.mul(z, tf.sub(1, z))) as tf.Tensor2D;
      const dWxz = tf.matMul(m('x'), daZ, true, false);
      const dbz = tf.sum(daZ, 0);
      const daJson = toArray(daZ);
      return { result: [daJson, toArray(dWxz), toArray(dbz)], blanks: [daJson] };
    });
  },
};
