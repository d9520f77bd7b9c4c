import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const INPUT = 3;
const HIDDEN = 4;
const OUTPUT = 2;

export const rnnY1Formula: CodeGrader = {
  key: 'rnn-y1-formula',
  // f and g are non-linear, so forgetting one of them cannot pass.
  prelude: `def f(u):
    return np.tanh(u)

def g(v):
    return 1 / (1 + np.exp(-v))
`,
  call: 'y1(x1, z0, W_in, W, W_out, b, c)',
  knownWrong: ['g(W_out.dot(f(W_in.dot(x1) + b)) + c)', 'g(W_out.dot(f(W_in.dot(x1) + W.dot(z0))) + c)'],
  cases: 5,
  makeCase(rng) {
    return {
      x1: rng.normalArray([INPUT]),
      z0: rng.uniformArray([HIDDEN], -1, 1),
      W_in: rng.normalArray([HIDDEN, INPUT], 0.8),
      W: rng.normalArray([HIDDEN, HIDDEN], 0.8),
      W_out: rng.normalArray([OUTPUT, HIDDEN], 0.8),
      b: rng.normalArray([HIDDEN], 0.5),
      c: rng.normalArray([OUTPUT], 0.5),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!);
      const z1 = tf.tanh(tf.add(tf.add(tf.dot(m('W_in') as tf.Tensor2D, m('x1') as tf.Tensor1D), tf.dot(m('W') as tf.Tensor2D, m('z0') as tf.Tensor1D)), m('b')));
      const y1 = toArray(tf.sigmoid(tf.add(tf.dot(m('W_out') as tf.Tensor2D, z1 as tf.Tensor1D), m('c'))));
      return { result: y1, blanks: [y1] };
    });
  },
};
