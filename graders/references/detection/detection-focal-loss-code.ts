import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const detectionFocalLossCode: CodeGrader = {
  key: 'detection-focal-loss-code',
  prelude: '',
  call: 'focal_loss(p, y, alpha, gamma)',
  knownWrong: ['-(1 - p_t) ** gamma * np.log(p_t)', '-alpha_t * (1 - p_t) * gamma * np.log(p_t)', '-alpha_t * np.log(p_t)'],
  cases: 5,
  makeCase(rng) {
    // Both labels occur, alpha ≠ 0.5 (so swapping alpha_t changes the value) and gamma ≥ 1.
    const n = rng.int(6, 10);
    for (;;) {
      const y = Array.from({ length: n }, () => (rng.uniform() < 0.4 ? 1 : 0));
      const positives = y.reduce<number>((s, v) => s + v, 0);
      if (positives === 0 || positives === n) continue;
      const p: JsonArray = { dtype: 'float32', shape: [n], data: Array.from({ length: n }, () => rng.uniform(0.05, 0.95)) };
      return { p, y: { dtype: 'float32', shape: [n], data: y }, alpha: rng.pick([0.25, 0.3, 0.75]), gamma: rng.pick([1, 2, 3]) };
    }
  },
  reference(inputs) {
    return pure(() => {
      const p = tensor(inputs.p!);
      const y = tensor(inputs.y!);
      const alpha = inputs.alpha as number;
      const gamma = inputs.gamma as number;
      const isPos = tf.equal(y, 1);
      const pt = tf.where(isPos, p, tf.sub(1, p));
      const alphaT = tf.where(isPos, tf.fill(y.shape, alpha), tf.fill(y.shape, 1 - alpha));
      const loss = tf.neg(tf.mul(tf.mul(alphaT, tf.pow(tf.sub(1, pt), gamma)), tf.log(pt)));
      const total = tf.div(tf.sum(loss), tf.maximum(tf.scalar(1), tf.sum(y)));
      return { result: total.dataSync()[0]!, blanks: [toArray(loss)] };
    });
  },
};
