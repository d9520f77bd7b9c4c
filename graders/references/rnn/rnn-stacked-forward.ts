import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [T, N, D, H1, H2] per case. Case 0 has D, H1, H2 all different; case 4 has H1 = H2 (a recurrence on h1 fits in shape).
const SHAPES: [number, number, number, number, number][] = [
  [3, 2, 3, 4, 5],
  [4, 1, 2, 3, 2],
  [2, 3, 5, 2, 4],
  [5, 2, 4, 6, 3],
  [3, 2, 2, 3, 3],
];

export const rnnStackedForward: CodeGrader = {
  key: 'rnn-stacked-forward',
  prelude: '',
  call: 'stacked_rnn_forward(xs, W_in1, W1, b1, W_in2, W2, b2)',
  knownWrong: [
    'np.tanh(np.dot(h1, W_in2) + b2)',
    'np.tanh(np.dot(h1, W_in2) + np.dot(h2, W2))',
    'np.dot(h1, W_in2) + np.dot(h2, W2) + b2',
    'h1 + np.tanh(np.dot(h1, W_in2) + np.dot(h2, W2) + b2)',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [t, n, d, h1, h2] = SHAPES[index]!;
    return {
      xs: rng.normalArray([t, n, d]),
      W_in1: rng.normalArray([d, h1], 0.7),
      W1: rng.normalArray([h1, h1], 0.5),
      b1: rng.normalArray([h1], 0.3),
      W_in2: rng.normalArray([h1, h2], 0.7),
      W2: rng.normalArray([h2, h2], 0.5),
      b2: rng.normalArray([h2], 0.3),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const xs = tensor(inputs.xs!) as tf.Tensor3D;
      const [t, n] = xs.shape;
      let h1: tf.Tensor2D = tf.zeros([n, m('W1').shape[0]]);
      let h2: tf.Tensor2D = tf.zeros([n, m('W2').shape[0]]);
      const outs: tf.Tensor2D[] = [];
      for (let k = 0; k < t; k++) {
        const x = tf.squeeze(tf.slice(xs, [k, 0, 0], [1, -1, -1]), [0]) as tf.Tensor2D;
        h1 = tf.tanh(tf.add(tf.add(tf.matMul(x, m('W_in1')), tf.matMul(h1, m('W1'))), m('b1')));
        h2 = tf.tanh(tf.add(tf.add(tf.matMul(h1, m('W_in2')), tf.matMul(h2, m('W2'))), m('b2')));
        outs.push(h2);
      }
      return { result: toArray(tf.stack(outs)), blanks: outs.map(toArray) };
    });
  },
};
