import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const BATCH = 3;
const HIDDEN = 4;

export const lstmBackwardGateGrads: CodeGrader = {
  key: 'lstm-backward-gate-grads',
  prelude: '',
  call: 'lstm_gate_grads(dh_next, ds, c_prev, c_next, f, g, i, o)',
  knownWrong: [
    'dh_next * tanh_c * o',
    'dh_next * np.tanh(c_prev) * o * (1 - o)',
    'ds * o * (1 - o)',
    'dh_next * (1 - tanh_c ** 2) * o * (1 - o)',
  ],
  cases: 5,
  makeCase(rng) {
    const gate = () => rng.uniformArray([BATCH, HIDDEN], 0.05, 0.95);
    const f = gate();
    const g = rng.uniformArray([BATCH, HIDDEN], -0.95, 0.95);
    const i = gate();
    const cPrev = rng.normalArray([BATCH, HIDDEN], 1.2);
    const cNext = {
      dtype: 'float32' as const,
      shape: [BATCH, HIDDEN],
      data: (cPrev.data as number[]).map((c, k) =>
        Math.fround((f.data as number[])[k]! * c + (g.data as number[])[k]! * (i.data as number[])[k]!),
      ),
    };
    return {
      dh_next: rng.normalArray([BATCH, HIDDEN]),
      ds: rng.normalArray([BATCH, HIDDEN]),
      c_prev: cPrev,
      c_next: cNext,
      f,
      g,
      i,
      o: gate(),
    };
  },
  reference(inputs) {
    return pure(() => {
      const v = (a: string) => tensor(inputs[a]!);
      const [f, g, i, o, cPrev] = [v('f'), v('g'), v('i'), v('o'), v('c_prev')];
      const tanhC = tf.tanh(v('c_next'));
      const ds = v('ds');
      const sig = (s: tf.Tensor) => tf.mul(s, tf.sub(1, s));
      const df = tf.mul(tf.mul(ds, cPrev), sig(f));
      const dg = tf.mul(tf.mul(ds, i), tf.sub(1, tf.square(g)));
      const di = tf.mul(tf.mul(ds, g), sig(i));
      const dO = tf.mul(tf.mul(v('dh_next'), tanhC), sig(o));
      const dA = tf.concat([df, dg, di, dO], 1);
      return { result: [toArray(dA), toArray(tf.mul(ds, f))], blanks: [toArray(dO)] };
    });
  },
};
