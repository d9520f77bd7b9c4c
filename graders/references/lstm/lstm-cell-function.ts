import type { CodeGrader } from '../../code/types';
import { SIGMOID_PRELUDE } from '../gates';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, D, H] per case, all different (and 4H differs from D). Case 2 is a batch of 1, case 4 a single hidden unit.
const SHAPES: [number, number, number][] = [
  [2, 3, 4],
  [3, 5, 2],
  [1, 4, 3],
  [4, 6, 5],
  [3, 2, 1],
  [2, 7, 3],
];

const body = (gates: string, cell: string, out: string) =>
  `def lstm_cell(x, h_prev, c_prev, Wx, Wh, b):\n    H = h_prev.shape[1]\n    A = np.dot(x, Wx) + np.dot(h_prev, Wh) + b\n${gates}\n    c_next = ${cell}\n    h_next = ${out}\n    return h_next, c_next`;
const GATES = '    f = _sigmoid(A[:, :H])\n    g = np.tanh(A[:, H:2 * H])\n    i = _sigmoid(A[:, 2 * H:3 * H])\n    o = _sigmoid(A[:, 3 * H:])';

export const lstmCellFunction: CodeGrader = {
  key: 'lstm-cell-function',
  prelude: SIGMOID_PRELUDE,
  call: 'lstm_cell(x, h_prev, c_prev, Wx, Wh, b)',
  knownWrong: [
    // input and forget gates swapped
    body('    i = _sigmoid(A[:, :H])\n    g = np.tanh(A[:, H:2 * H])\n    f = _sigmoid(A[:, 2 * H:3 * H])\n    o = _sigmoid(A[:, 3 * H:])', 'f * c_prev + g * i', 'o * np.tanh(c_next)'),
    // the output reads the old cell state
    body(GATES, 'f * c_prev + g * i', 'o * np.tanh(c_prev)'),
    // no tanh on the cell state
    body(GATES, 'f * c_prev + g * i', 'o * c_next'),
    // sigmoid for the candidate
    body('    f = _sigmoid(A[:, :H])\n    g = _sigmoid(A[:, H:2 * H])\n    i = _sigmoid(A[:, 2 * H:3 * H])\n    o = _sigmoid(A[:, 3 * H:])', 'f * c_prev + g * i', 'o * np.tanh(c_next)'),
    // slices fixed for the example's H = 4
    body('    f = _sigmoid(A[:, :4])\n    g = np.tanh(A[:, 4:8])\n    i = _sigmoid(A[:, 8:12])\n    o = _sigmoid(A[:, 12:])', 'f * c_prev + g * i', 'o * np.tanh(c_next)'),
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, d, h] = SHAPES[index]!;
    return {
      x: rng.normalArray([n, d]),
      h_prev: rng.uniformArray([n, h], -1, 1),
      c_prev: rng.normalArray([n, h], 1.5),
      Wx: rng.normalArray([d, 4 * h], 0.6),
      Wh: rng.normalArray([h, 4 * h], 0.6),
      b: rng.normalArray([4 * h], 0.4),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const A = tf.add(tf.add(tf.matMul(m('x'), m('Wx')), tf.matMul(m('h_prev'), m('Wh'))), tensor(inputs.b!));
      const [f, g, i, o] = tf.split(A, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const c = tf.add(tf.mul(tf.sigmoid(f), m('c_prev')), tf.mul(tf.tanh(g), tf.sigmoid(i)));
      const h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      return { result: [toArray(h), toArray(c)], blanks: null };
    });
  },
};
