import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const N = 4;
const D = 6;

export const compressionAsymmetricQuantCode: CodeGrader = {
  key: 'compression-asymmetric-quant-code',
  prelude: '',
  call: 'fake_quant_uint8(x)',
  knownWrong: [
    // floor instead of rounding to the nearest integer
    'np.clip(np.floor(x / scale) + zero_point, 0, 255)',
    // the signed INT8 range instead of UINT8
    'np.clip(np.round(x / scale) + zero_point, -128, 127)',
    // no zero point at all
    'np.clip(np.round(x / scale), 0, 255)',
  ],
  cases: 6,
  makeCase(rng) {
    // Values sit near integer levels k (0 ≤ k ≤ 255, fraction within ±0.3), so rounding never meets a tie in float32;
    // one value is exactly level 0 (the minimum, negative) and one exactly level 255 (the maximum, positive).
    const s = rng.uniform(0.004, 0.012);
    const zp = rng.int(40, 120);
    const x = rng.array([N, D], () => 0);
    const lo = rng.int(0, N * D - 1);
    let hi = rng.int(0, N * D - 1);
    while (hi === lo) hi = rng.int(0, N * D - 1);
    x.data = x.data.map((_, i) => {
      if (i === lo) return Math.fround(s * -zp);
      if (i === hi) return Math.fround(s * (255 - zp));
      return Math.fround(s * (rng.int(1, 254) - zp + rng.uniform(-0.3, 0.3)));
    });
    return { x };
  },
  reference(inputs) {
    return pure(() => {
      const x = tensor(inputs.x!);
      const min = tf.min(x);
      const scale = tf.div(tf.sub(tf.max(x), min), 255);
      const zeroPoint = tf.round(tf.div(tf.neg(min), scale));
      const q = tf.clipByValue(tf.add(tf.round(tf.div(x, scale)), zeroPoint), 0, 255);
      return { result: toArray(tf.mul(tf.sub(q, zeroPoint), scale)), blanks: [toArray(q)] };
    });
  },
};
