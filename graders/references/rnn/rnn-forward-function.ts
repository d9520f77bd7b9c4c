import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [batch, T, input, hidden] per case, all different within a case. Case 2 has a single time step, case 3 a batch of 1.
const SHAPES: [number, number, number, number][] = [
  [2, 4, 3, 5],
  [3, 5, 4, 6],
  [4, 1, 5, 3],
  [1, 6, 2, 4],
  [3, 7, 5, 2],
  [2, 3, 6, 4],
];

export const rnnForwardFunction: CodeGrader = {
  key: 'rnn-forward-function',
  prelude: '',
  call: 'rnn_forward(xs, h0, W_in, W, b)',
  knownWrong: [
    // the recurrent term always reads the initial state
    'def rnn_forward(xs, h0, W_in, W, b):\n    batch_size, T, _ = xs.shape\n    hs = np.zeros((batch_size, T, W.shape[0]))\n    for t in range(T):\n        hs[:, t] = np.tanh(np.dot(xs[:, t], W_in) + np.dot(h0, W) + b)\n    return hs',
    // W transposed (square, so it runs)
    'def rnn_forward(xs, h0, W_in, W, b):\n    batch_size, T, _ = xs.shape\n    hs = np.zeros((batch_size, T, W.shape[0]))\n    h = h0\n    for t in range(T):\n        h = np.tanh(np.dot(xs[:, t], W_in) + np.dot(h, W.T) + b)\n        hs[:, t] = h\n    return hs',
    // stores the previous state instead of the new one
    'def rnn_forward(xs, h0, W_in, W, b):\n    batch_size, T, _ = xs.shape\n    hs = np.zeros((batch_size, T, W.shape[0]))\n    h = h0\n    for t in range(T):\n        hs[:, t] = h\n        h = np.tanh(np.dot(xs[:, t], W_in) + np.dot(h, W) + b)\n    return hs',
    // no activation
    'def rnn_forward(xs, h0, W_in, W, b):\n    batch_size, T, _ = xs.shape\n    hs = np.zeros((batch_size, T, W.shape[0]))\n    h = h0\n    for t in range(T):\n        h = np.dot(xs[:, t], W_in) + np.dot(h, W) + b\n        hs[:, t] = h\n    return hs',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [batch, T, input, hidden] = SHAPES[index]!;
    return {
      xs: rng.normalArray([batch, T, input]),
      h0: rng.uniformArray([batch, hidden], -1, 1),
      W_in: rng.normalArray([input, hidden], 0.6),
      W: rng.normalArray([hidden, hidden], 0.6),
      b: rng.normalArray([hidden], 0.3),
    };
  },
  reference(inputs) {
    return pure(() => {
      const xs = tensor(inputs.xs!) as tf.Tensor3D;
      const Win = tensor(inputs.W_in!) as tf.Tensor2D;
      const W = tensor(inputs.W!) as tf.Tensor2D;
      const b = tensor(inputs.b!);
      let h = tensor(inputs.h0!) as tf.Tensor2D;
      const hs: tf.Tensor2D[] = [];
      for (let t = 0; t < xs.shape[1]; t++) {
        const xt = tf.squeeze(tf.slice(xs, [0, t, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
        h = tf.tanh(tf.add(tf.add(tf.matMul(xt, Win), tf.matMul(h, W)), b));
        hs.push(h);
      }
      return { result: toArray(tf.stack(hs, 1)), blanks: null };
    });
  },
};
