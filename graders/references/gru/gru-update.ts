import type { CodeGrader } from '../../code/types';
import { SIGMOID_PRELUDE } from '../gates';
import { pure, tensor, tf, toArray } from '../tensors';

const BATCH = 3;
const INPUT = 5;
const STATE = 4;

export const gruUpdate: CodeGrader = {
  key: 'gru-update',
  prelude: SIGMOID_PRELUDE,
  call: 'gru(x, h, W_r, U_r, W_z, U_z, W, U)',
  knownWrong: ['z * h + (1 - z) * h_bar', 'h + z * h_bar'],
  cases: 5,
  makeCase(rng) {
    return {
      x: rng.normalArray([BATCH, INPUT]),
      h: rng.uniformArray([BATCH, STATE], -1, 1),
      W_r: rng.normalArray([STATE, INPUT], 0.6),
      U_r: rng.normalArray([STATE, STATE], 0.6),
      W_z: rng.normalArray([STATE, INPUT], 0.6),
      U_z: rng.normalArray([STATE, STATE], 0.6),
      W: rng.normalArray([STATE, INPUT], 0.6),
      U: rng.normalArray([STATE, STATE], 0.6),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const lin = (x: tf.Tensor2D, w: string) => tf.matMul(x, m(w), false, true);
      const x = m('x');
      const h = m('h');
      const r = tf.sigmoid(tf.add(lin(x, 'W_r'), lin(h, 'U_r')));
      const z = tf.sigmoid(tf.add(lin(x, 'W_z'), lin(h, 'U_z')));
      const hBar = tf.tanh(tf.add(lin(x, 'W'), lin(tf.mul(r, h) as tf.Tensor2D, 'U')));
      const hNew = toArray(tf.add(tf.mul(tf.sub(1, z), h), tf.mul(z, hBar)));
      return { result: hNew, blanks: [hNew] };
    });
  },
};
