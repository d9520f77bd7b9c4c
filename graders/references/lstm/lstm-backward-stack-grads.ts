import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, D, H] per case, all different (4H differs from D, so a wrong layout rarely fits by accident).
const SHAPES: [number, number, number][] = [
  [2, 3, 4],
  [3, 5, 2],
  [1, 4, 3],
  [4, 6, 5],
  [3, 2, 1],
];

export const lstmBackwardStackGrads: CodeGrader = {
  key: 'lstm-backward-stack-grads',
  prelude: '',
  call: 'lstm_param_grads(x, h_prev, Wx, Wh, df, dg, di, do)',
  knownWrong: [
    'np.hstack((di, df, do, dg))',
    'np.hstack((df, di, dg, do))',
    'np.concatenate((df, dg, di, do), axis=0)',
    'df + dg + di + do',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, d, h] = SHAPES[index]!;
    const grad = () => rng.normalArray([n, h]);
    return {
      x: rng.normalArray([n, d]),
      h_prev: rng.uniformArray([n, h], -1, 1),
      Wx: rng.normalArray([d, 4 * h], 0.6),
      Wh: rng.normalArray([h, 4 * h], 0.6),
      df: grad(),
      dg: grad(),
      di: grad(),
      do: grad(),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const dA = tf.concat([m('df'), m('dg'), m('di'), m('do')], 1) as tf.Tensor2D;
      const dWx = tf.matMul(m('x'), dA, true, false);
      const dWh = tf.matMul(m('h_prev'), dA, true, false);
      const db = tf.sum(dA, 0);
      const dx = tf.matMul(dA, m('Wx'), false, true);
      const dhPrev = tf.matMul(dA, m('Wh'), false, true);
      return { result: [dx, dhPrev, dWx, dWh, db].map(toArray), blanks: [toArray(dA)] };
    });
  },
};
