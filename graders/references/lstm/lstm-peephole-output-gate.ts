import type { CodeGrader } from '../../code/types';
import { SIGMOID_PRELUDE } from '../gates';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, D, H] per case.
const SHAPES: [number, number, number][] = [
  [2, 3, 4],
  [3, 5, 2],
  [1, 4, 3],
  [4, 6, 5],
  [3, 2, 1],
];

export const lstmPeepholeOutputGate: CodeGrader = {
  key: 'lstm-peephole-output-gate',
  prelude: SIGMOID_PRELUDE,
  call: 'peephole_lstm_cell(x, h_prev, c_prev, Wx, Wh, b, p_f, p_i, p_o)',
  knownWrong: [
    '_sigmoid(A[:, 3 * H:])',
    '_sigmoid(A[:, 3 * H:] + p_o * np.tanh(c_next))',
    '_sigmoid(A[:, 3 * H:] + p_o * c_prev)',
    '_sigmoid(A[:, 3 * H:]) + p_o * c_next',
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
      p_f: rng.normalArray([h], 0.8),
      p_i: rng.normalArray([h], 0.8),
      p_o: rng.normalArray([h], 0.8),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const A = tf.add(tf.add(tf.matMul(m('x'), m('Wx')), tf.matMul(m('h_prev'), m('Wh'))), tensor(inputs.b!));
      const [af, ag, ai, ao] = tf.split(A, 4, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const cPrev = m('c_prev');
      const f = tf.sigmoid(tf.add(af, tf.mul(tensor(inputs.p_f!), cPrev)));
      const i = tf.sigmoid(tf.add(ai, tf.mul(tensor(inputs.p_i!), cPrev)));
      const c = tf.add(tf.mul(f, cPrev), tf.mul(tf.tanh(ag), i));
      const o = tf.sigmoid(tf.add(ao, tf.mul(tensor(inputs.p_o!), c)));
      const h = tf.mul(o, tf.tanh(c));
      return { result: [toArray(h), toArray(c)], blanks: [toArray(o)] };
    });
  },
};
