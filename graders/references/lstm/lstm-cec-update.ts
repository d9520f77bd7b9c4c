import type { CodeGrader } from '../../code/types';
import { SIGMOID_PRELUDE } from '../gates';
import { pure, tensor, tf, toArray } from '../tensors';

const BATCH = 3;
const INPUT = 5;
const STATE = 4;

export const lstmCecUpdate: CodeGrader = {
  key: 'lstm-cec-update',
  prelude: SIGMOID_PRELUDE,
  call: 'lstm(x, prev_h, c, W, U, b)',
  knownWrong: ['input_gate * a + c', 'input_gate * a'],
  cases: 5,
  makeCase(rng) {
    return {
      x: rng.normalArray([BATCH, INPUT]),
      prev_h: rng.uniformArray([BATCH, STATE], -1, 1),
      c: rng.normalArray([BATCH, STATE]),
      W: rng.normalArray([4 * STATE, INPUT], 0.6),
      U: rng.normalArray([4 * STATE, STATE], 0.6),
      b: rng.normalArray([4 * STATE], 0.3),
    };
  },
  reference(inputs) {
    return pure(() => {
      const lstmIn = tf.add(
        tf.add(tf.matMul(tensor(inputs.x!) as tf.Tensor2D, tensor(inputs.W!) as tf.Tensor2D, false, true), tf.matMul(tensor(inputs.prev_h!) as tf.Tensor2D, tensor(inputs.U!) as tf.Tensor2D, false, true)),
        tensor(inputs.b!),
      );
      const [a, i, f, o] = tf.split(lstmIn, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const c = tf.add(tf.mul(tf.sigmoid(i), tf.tanh(a)), tf.mul(tf.sigmoid(f), tensor(inputs.c!)));
      const h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      const cJson = toArray(c);
      return { result: [cJson, toArray(h)], blanks: [cJson] };
    });
  },
};
