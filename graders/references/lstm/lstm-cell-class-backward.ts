import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, D, H] per case.
const SHAPES: [number, number, number][] = [
  [3, 4, 2],
  [2, 3, 3],
  [4, 2, 4],
  [1, 5, 2],
  [3, 3, 5],
];

// Builds the template's LSTM from the case's parameters, runs forward and backward, and reads the gradients
// from layer.grads (the arrays backward writes into in place).
const PRELUDE = `
def run_lstm(x, h_prev, c_prev, Wx, Wh, b, dh_next, dc_next):
    layer = LSTM(Wx, Wh, b)
    h_next, c_next = layer.forward(x, h_prev, c_prev)
    dx, dh_prev, dc_prev = layer.backward(dh_next, dc_next)
    dWx, dWh, db = layer.grads
    return h_next, c_next, dx, dh_prev, dc_prev, dWx, dWh, db
`;

/** One LSTM step in tfjs: the slices f, g, i, o of A, as in the template. */
export function lstmStep(x: tf.Tensor, h: tf.Tensor, c: tf.Tensor, wx: tf.Tensor, wh: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const H = h.shape[1]!;
  const A = tf.add(tf.add(tf.matMul(x as tf.Tensor2D, wx as tf.Tensor2D), tf.matMul(h as tf.Tensor2D, wh as tf.Tensor2D)), b);
  const [f, g, i, o] = tf.split(A, [H, H, H, H], 1);
  const cNext = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.tanh(g!), tf.sigmoid(i!)));
  const hNext = tf.mul(tf.sigmoid(o!), tf.tanh(cNext));
  return [hNext, cNext];
}

export const lstmCellClassBackward: CodeGrader = {
  key: 'lstm-cell-class-backward',
  prelude: PRELUDE,
  call: 'run_lstm(x, h_prev, c_prev, Wx, Wh, b, dh_next, dc_next)',
  resultNames: ['h_next', 'c_next', 'dx', 'dh_prev', 'dc_prev', 'dWx', 'dWh', 'db'],
  knownWrong: [
    // only the gradient from the next step's cell
    'dc_next * f',
    // the sigmoid derivative applied on the cell path
    'ds * f * (1 - f)',
    // the wrong partner of the product f * c_prev
    'ds * c_prev',
    // the forget gate not applied
    'ds',
    // the input gate instead of the forget gate
    'ds * i',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, d, h] = SHAPES[index]!;
    return {
      x: rng.normalArray([n, d]),
      h_prev: rng.uniformArray([n, h], -0.9, 0.9),
      c_prev: rng.normalArray([n, h]),
      Wx: rng.normalArray([d, 4 * h], 0.5),
      Wh: rng.normalArray([h, 4 * h], 0.5),
      b: rng.normalArray([4 * h], 0.3),
      dh_next: rng.normalArray([n, h]),
      dc_next: rng.normalArray([n, h]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const v = (a: string) => tensor(inputs[a]!);
      const dh = v('dh_next');
      const dc = v('dc_next');
      const args = [v('x'), v('h_prev'), v('c_prev'), v('Wx'), v('Wh'), v('b')];
      const [hNext, cNext] = lstmStep(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!);
      // gradients by autodiff of sum(h_next * dh_next) + sum(c_next * dc_next)
      const [dx, dhPrev, dcPrev, dWx, dWh, db] = tf.grads((x, hp, cp, wx, wh, b) => {
        const [hn, cn] = lstmStep(x, hp, cp, wx, wh, b);
        return tf.add(tf.sum(tf.mul(hn, dh)), tf.sum(tf.mul(cn, dc)));
      })(args);
      return { result: [hNext, cNext, dx!, dhPrev!, dcPrev!, dWx!, dWh!, db!].map(toArray), blanks: null };
    });
  },
};
