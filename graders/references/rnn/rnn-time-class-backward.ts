import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, T, D, H] per case.
const SHAPES: [number, number, number, number][] = [
  [2, 4, 3, 5],
  [3, 3, 2, 4],
  [1, 5, 4, 3],
  [2, 6, 3, 2],
  [4, 3, 5, 4],
];

// Builds the template's TimeRNN from the case's parameters, runs forward and backward, and reads the gradients
// from layer.grads (the arrays backward writes into in place) and the initial state's gradient from layer.dh.
const PRELUDE = `
def run_time_rnn(xs, Wx, Wh, b, dhs):
    layer = TimeRNN(Wx, Wh, b)
    hs = layer.forward(xs)
    dxs = layer.backward(dhs)
    dWx, dWh, db = layer.grads
    return hs, dxs, layer.dh, dWx, dWh, db
`;

export const rnnTimeClassBackward: CodeGrader = {
  key: 'rnn-time-class-backward',
  prelude: PRELUDE,
  call: 'run_time_rnn(xs, Wx, Wh, b, dhs)',
  resultNames: ['hs', 'dxs', 'dh0', 'dWx', 'dWh', 'db'],
  knownWrong: [
    // dh not carried between steps
    'dhs[:, t, :]',
    // the output's gradient dropped
    'dh',
    // the two paths multiplied instead of added
    'dhs[:, t, :] * dh',
    // the gradient of the last step fed to every step
    'dhs[:, -1, :] + dh',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, t, d, h] = SHAPES[index]!;
    return {
      xs: rng.normalArray([n, t, d]),
      Wx: rng.normalArray([d, h], 0.5),
      Wh: rng.normalArray([h, h], 0.5),
      b: rng.normalArray([h], 0.3),
      dhs: rng.normalArray([n, t, h]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const v = (a: string) => tensor(inputs[a]!);
      const xs = v('xs') as tf.Tensor3D;
      const dhs = v('dhs');
      const [n, steps] = xs.shape;
      const h = (v('Wh').shape[0])!;
      const forward = (x: tf.Tensor, wx: tf.Tensor, wh: tf.Tensor, b: tf.Tensor, h0: tf.Tensor) => {
        let state = h0 as tf.Tensor2D;
        const out: tf.Tensor[] = [];
        for (let t = 0; t < steps; t++) {
          const xt = tf.squeeze(tf.slice(x, [0, t, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
          state = tf.tanh(tf.add(tf.add(tf.matMul(state, wh as tf.Tensor2D), tf.matMul(xt, wx as tf.Tensor2D)), b));
          out.push(state);
        }
        return tf.stack(out, 1);
      };
      const args = [xs, v('Wx'), v('Wh'), v('b'), tf.zeros([n, h])];
      const hs = forward(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!);
      // gradients by autodiff of sum(hs * dhs), the initial state included
      const [dxs, dWx, dWh, db, dh0] = tf.grads((x, wx, wh, b, h0) => tf.sum(tf.mul(forward(x, wx, wh, b, h0), dhs)))(args);
      return { result: [hs, dxs!, dh0!, dWx!, dWh!, db!].map(toArray), blanks: null };
    });
  },
};
