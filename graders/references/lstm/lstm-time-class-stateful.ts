import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';
import { lstmStep } from './lstm-cell-class-backward';

// [N, T, D, H] per case.
const SHAPES: [number, number, number, number][] = [
  [2, 3, 3, 2],
  [3, 2, 2, 3],
  [1, 4, 4, 2],
  [2, 3, 5, 4],
  [4, 2, 3, 3],
];

// A stateful TimeLSTM run on two blocks (the second one backward too), and a non-stateful one on the same blocks.
const PRELUDE = `
def run_time_lstm(xs1, xs2, Wx, Wh, b, dhs):
    layer = TimeLSTM(Wx, Wh, b, stateful=True)
    hs1 = layer.forward(xs1)
    hs2 = layer.forward(xs2)
    dxs = layer.backward(dhs)
    dWx, dWh, db = layer.grads
    plain = TimeLSTM(Wx, Wh, b, stateful=False)
    plain.forward(xs1)
    hs2_plain = plain.forward(xs2)
    return hs1, hs2, layer.c, dxs, dWx, dWh, db, hs2_plain
`;

export const lstmTimeClassStateful: CodeGrader = {
  key: 'lstm-time-class-stateful',
  prelude: PRELUDE,
  call: 'run_time_lstm(xs1, xs2, Wx, Wh, b, dhs)',
  resultNames: ['hs1', 'hs2', 'c', 'dxs', 'dWx', 'dWh', 'db', 'hs2_plain'],
  knownWrong: [
    // the state carried even when not stateful
    'self.h is None',
    // the state reset on every call even when stateful
    'self.stateful or self.h is None',
    // always reset
    'True',
    // never initialised when stateful
    'not self.stateful',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, t, d, h] = SHAPES[index]!;
    return {
      xs1: rng.normalArray([n, t, d]),
      xs2: rng.normalArray([n, t, d]),
      Wx: rng.normalArray([d, 4 * h], 0.5),
      Wh: rng.normalArray([h, 4 * h], 0.5),
      b: rng.normalArray([4 * h], 0.3),
      dhs: rng.normalArray([n, t, h]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const v = (a: string) => tensor(inputs[a]!);
      const xs1 = v('xs1') as tf.Tensor3D;
      const [n, steps] = xs1.shape;
      const h = v('Wh').shape[0]!;
      const dhs = v('dhs');
      const run = (xs: tf.Tensor, wx: tf.Tensor, wh: tf.Tensor, b: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor) => {
        let [state, cell] = [h0, c0];
        const out: tf.Tensor[] = [];
        for (let t = 0; t < steps; t++) {
          const xt = tf.squeeze(tf.slice(xs, [0, t, 0], [-1, 1, -1]), [1]);
          [state, cell] = lstmStep(xt, state, cell, wx, wh, b);
          out.push(state);
        }
        return { hs: tf.stack(out, 1), h: state, c: cell };
      };
      const [wx, wh, b] = [v('Wx'), v('Wh'), v('b')];
      const zeros = tf.zeros([n, h]);
      const first = run(xs1, wx, wh, b, zeros, zeros);
      const second = run(v('xs2'), wx, wh, b, first.h, first.c);
      const plain = run(v('xs2'), wx, wh, b, zeros, zeros);
      // gradients of the second block by autodiff of sum(hs2 * dhs); the carried state is a constant (truncated BPTT)
      const [dxs, dWx, dWh, db] = tf.grads((x, a, w, c) => tf.sum(tf.mul(run(x, a, w, c, first.h, first.c).hs, dhs)))([v('xs2'), wx, wh, b]);
      return { result: [first.hs, second.hs, second.c, dxs!, dWx!, dWh!, db!, plain.hs].map(toArray), blanks: null };
    });
  },
};
