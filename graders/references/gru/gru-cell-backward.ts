import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ D ≠ H, so a missing transpose in the blank is a shape error, not a silent wrong value.
const N = 3;
const D = 4;
const H = 5;

export const gruCellBackward: CodeGrader = {
  key: 'gru-cell-backward',
  prelude: '',
  call: 'gru_cell_backward(dh_next, x, h_prev, z, r, h_hat, Wx, Wh)',
  knownWrong: [
    'dh_next * (1 - z) + drh * r',
    'dh_next * (1 - z) + drh * r + np.dot(da_z, Whz.T)',
    'dh_next + drh * r + np.dot(da_z, Whz.T) + np.dot(da_r, Whr.T)',
  ],
  cases: 5,
  makeCase(rng) {
    return {
      dh_next: rng.normalArray([N, H]),
      x: rng.normalArray([N, D]),
      h_prev: rng.uniformArray([N, H], -1, 1),
      z: rng.uniformArray([N, H], 0.05, 0.95),
      r: rng.uniformArray([N, H], 0.05, 0.95),
      h_hat: rng.uniformArray([N, H], -0.95, 0.95),
      Wx: rng.normalArray([D, 3 * H], 0.6),
      Wh: rng.normalArray([H, 3 * H], 0.6),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const cols = (w: tf.Tensor2D, k: number) => tf.slice(w, [0, k * H], [-1, H]) as tf.Tensor2D;
      const Wh = m('Wh');
      const [z, r, hHat, hPrev, dh] = [m('z'), m('r'), m('h_hat'), m('h_prev'), m('dh_next')];
      const dt = tf.mul(tf.mul(dh, z), tf.sub(1, tf.square(hHat))) as tf.Tensor2D;
      const daZ = tf.mul(tf.mul(dh, tf.sub(hHat, hPrev)), tf.mul(z, tf.sub(1, z))) as tf.Tensor2D;
      const drh = tf.matMul(dt, cols(Wh, 2), false, true);
      const daR = tf.mul(tf.mul(drh, hPrev), tf.mul(r, tf.sub(1, r))) as tf.Tensor2D;
      const dhPrev = tf.addN([
        tf.mul(dh, tf.sub(1, z)),
        tf.mul(drh, r),
        tf.matMul(daZ, cols(Wh, 0), false, true),
        tf.matMul(daR, cols(Wh, 1), false, true),
      ]) as tf.Tensor2D;
      const dx = tf.matMul(tf.concat([daZ, daR, dt], 1), m('Wx'), false, true);
      const dhJson = toArray(dhPrev);
      return { result: [toArray(dx), dhJson], blanks: [dhJson] };
    });
  },
};
