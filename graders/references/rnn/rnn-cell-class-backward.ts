import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, D, H] per case: N differs from H so that dWh (H, H) cannot pass for dh_prev (N, H).
const SHAPES: [number, number, number][] = [
  [3, 4, 5],
  [2, 3, 4],
  [4, 2, 3],
  [3, 5, 2],
  [5, 3, 4],
];

// Builds the template's RNN from the case's parameters, runs forward and backward, and reads the gradients
// from layer.grads (the arrays backward writes into in place).
const PRELUDE = `
def run_rnn(x, h_prev, Wx, Wh, b, dh_next):
    layer = RNN(Wx, Wh, b)
    h_next = layer.forward(x, h_prev)
    dx, dh_prev = layer.backward(dh_next)
    dWx, dWh, db = layer.grads
    return h_next, dx, dh_prev, dWx, dWh, db
`;

export const rnnCellClassBackward: CodeGrader = {
  key: 'rnn-cell-class-backward',
  prelude: PRELUDE,
  call: 'run_rnn(x, h_prev, Wx, Wh, b, dh_next)',
  resultNames: ['h_next', 'dx', 'dh_prev', 'dWx', 'dWh', 'db'],
  knownWrong: [
    // the weight not transposed
    'np.dot(dt, Wh)',
    // the tanh derivative skipped
    'np.dot(dh_next, Wh.T)',
    // the previous step's tanh derivative applied here too
    'np.dot(dt, Wh.T) * (1 - h_prev ** 2)',
    // the input weight instead of the recurrent one (shape error unless D = H)
    'np.dot(dt, Wx.T)',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, d, h] = SHAPES[index]!;
    return {
      x: rng.normalArray([n, d]),
      h_prev: rng.uniformArray([n, h], -0.9, 0.9),
      Wx: rng.normalArray([d, h], 0.5),
      Wh: rng.normalArray([h, h], 0.5),
      b: rng.normalArray([h], 0.3),
      dh_next: rng.normalArray([n, h]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const v = (a: string) => tensor(inputs[a]!);
      const dh = v('dh_next');
      const forward = (x: tf.Tensor, hPrev: tf.Tensor, wx: tf.Tensor, wh: tf.Tensor, b: tf.Tensor) =>
        tf.tanh(tf.add(tf.add(tf.matMul(hPrev as tf.Tensor2D, wh as tf.Tensor2D), tf.matMul(x as tf.Tensor2D, wx as tf.Tensor2D)), b));
      const args = [v('x'), v('h_prev'), v('Wx'), v('Wh'), v('b')];
      const hNext = forward(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!);
      // gradients by autodiff of sum(h_next * dh_next)
      const [dx, dhPrev, dWx, dWh, db] = tf.grads((x, hp, wx, wh, b) => tf.sum(tf.mul(forward(x, hp, wx, wh, b), dh)))(args);
      return { result: [hNext, dx!, dhPrev!, dWx!, dWh!, db!].map(toArray), blanks: null };
    });
  },
};
