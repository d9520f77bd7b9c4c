import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const BATCH = 3;
const HIDDEN = 5;

export const lstmCellBackwardDc: CodeGrader = {
  key: 'lstm-cell-backward-dc',
  prelude: '',
  call: 'lstm_cell_backward(dh_next, dc_next, c_prev, f, g, i, o)',
  knownWrong: [
    'dc_next + dh_next * o * (1 - tanh_c) ** 2',
    'dc_next + dh_next * o * tanh_c * (1 - tanh_c)',
    'dc_next + dh_next * o * (1 - np.tanh(c_prev) ** 2)',
    '(dc_next + dh_next) * o * (1 - tanh_c ** 2)',
  ],
  cases: 5,
  makeCase(rng) {
    const gate = () => rng.uniformArray([BATCH, HIDDEN], 0.05, 0.95);
    return {
      dh_next: rng.normalArray([BATCH, HIDDEN]),
      dc_next: rng.normalArray([BATCH, HIDDEN]),
      c_prev: rng.normalArray([BATCH, HIDDEN]),
      f: gate(),
      g: rng.uniformArray([BATCH, HIDDEN], -0.95, 0.95),
      i: gate(),
      o: gate(),
    };
  },
  reference(inputs) {
    return pure(() => {
      const v = (a: string) => tensor(inputs[a]!);
      const [f, g, i, o, cPrev] = [v('f'), v('g'), v('i'), v('o'), v('c_prev')];
      const tanhC = tf.tanh(tf.add(tf.mul(f, cPrev), tf.mul(g, i)));
      const ds = tf.add(v('dc_next'), tf.mul(tf.mul(v('dh_next'), o), tf.sub(1, tf.square(tanhC))));
      const dsJson = toArray(ds);
      const result = [tf.mul(ds, f), tf.mul(ds, cPrev), tf.mul(ds, i), tf.mul(ds, g), tf.mul(v('dh_next'), tanhC)].map(toArray);
      return { result, blanks: [dsJson] };
    });
  },
};
