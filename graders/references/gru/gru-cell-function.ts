import type { CodeGrader } from '../../code/types';
import { SIGMOID_PRELUDE } from '../gates';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, D, H] per case, all different (and 3H differs from D). Case 2 is a batch of 1, case 4 a single hidden unit.
const SHAPES: [number, number, number][] = [
  [2, 3, 4],
  [3, 5, 2],
  [1, 4, 3],
  [4, 7, 5],
  [2, 3, 1],
  [3, 2, 6],
];

const body = (candidate: string, out: string, gates = '    z = _sigmoid(np.dot(x, Wxz) + np.dot(h_prev, Whz) + bz)\n    r = _sigmoid(np.dot(x, Wxr) + np.dot(h_prev, Whr) + br)') =>
  `def gru_cell(x, h_prev, Wx, Wh, b):\n    H = h_prev.shape[1]\n    Wxz, Wxr, Wxh = Wx[:, :H], Wx[:, H:2 * H], Wx[:, 2 * H:]\n    Whz, Whr, Whh = Wh[:, :H], Wh[:, H:2 * H], Wh[:, 2 * H:]\n    bz, br, bh = b[:H], b[H:2 * H], b[2 * H:]\n${gates}\n    h_hat = ${candidate}\n    return ${out}`;
const CANDIDATE = 'np.tanh(np.dot(x, Wxh) + np.dot(r * h_prev, Whh) + bh)';
const OUT = '(1 - z) * h_prev + z * h_hat';

export const gruCellFunction: CodeGrader = {
  key: 'gru-cell-function',
  prelude: SIGMOID_PRELUDE,
  call: 'gru_cell(x, h_prev, Wx, Wh, b)',
  knownWrong: [
    // z and 1 - z swapped (the other convention)
    body(CANDIDATE, 'z * h_prev + (1 - z) * h_hat'),
    // reset gate applied after the matrix product
    body('np.tanh(np.dot(x, Wxh) + r * np.dot(h_prev, Whh) + bh)', OUT),
    // no reset gate at all
    body('np.tanh(np.dot(x, Wxh) + np.dot(h_prev, Whh) + bh)', OUT),
    // update and reset blocks swapped
    body(CANDIDATE, OUT, '    r = _sigmoid(np.dot(x, Wxz) + np.dot(h_prev, Whz) + bz)\n    z = _sigmoid(np.dot(x, Wxr) + np.dot(h_prev, Whr) + br)'),
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, d, h] = SHAPES[index]!;
    return {
      x: rng.normalArray([n, d]),
      h_prev: rng.uniformArray([n, h], -1, 1),
      Wx: rng.normalArray([d, 3 * h], 0.6),
      Wh: rng.normalArray([h, 3 * h], 0.8),
      b: rng.normalArray([3 * h], 0.4),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const x = m('x');
      const hPrev = m('h_prev');
      const [Wxz, Wxr, Wxh] = tf.split(m('Wx'), 3, 1) as tf.Tensor2D[];
      const [Whz, Whr, Whh] = tf.split(m('Wh'), 3, 1) as tf.Tensor2D[];
      const [bz, br, bh] = tf.split(tensor(inputs.b!), 3, 0);
      const z = tf.sigmoid(tf.add(tf.add(tf.matMul(x, Wxz!), tf.matMul(hPrev, Whz!)), bz!));
      const r = tf.sigmoid(tf.add(tf.add(tf.matMul(x, Wxr!), tf.matMul(hPrev, Whr!)), br!));
      const hHat = tf.tanh(tf.add(tf.add(tf.matMul(x, Wxh!), tf.matMul(tf.mul(r, hPrev) as tf.Tensor2D, Whh!)), bh!));
      return { result: toArray(tf.add(tf.mul(tf.sub(1, z), hPrev), tf.mul(z, hHat))), blanks: null };
    });
  },
};
