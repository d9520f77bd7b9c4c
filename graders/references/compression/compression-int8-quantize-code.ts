import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// out ≠ in; every case has one large positive and one large negative outlier beyond ±127 · scale.
const OUT = 5;
const IN = 8;

export const compressionInt8QuantizeCode: CodeGrader = {
  key: 'compression-int8-quantize-code',
  prelude: '',
  call: 'quantize_int8(w, scale)',
  knownWrong: ['np.clip(np.floor(w / scale), -127, 127)', 'np.clip(w / scale, -127, 127)', 'np.clip(np.round(w / scale), -128, 127)'],
  cases: 6,
  makeCase(rng) {
    // scale calibrated for a range of about ±0.25; the weights have std 0.05, plus two outliers.
    const scale = Math.fround((0.25 / 127) * rng.uniform(0.8, 1.2));
    const w = rng.normalArray([OUT, IN], 0.05);
    const hi = rng.int(0, OUT * IN - 1);
    let lo = rng.int(0, OUT * IN - 1);
    while (lo === hi) lo = rng.int(0, OUT * IN - 1);
    w.data[hi] = Math.fround(127 * scale * rng.uniform(1.1, 1.6));
    w.data[lo] = Math.fround(-127 * scale * rng.uniform(1.1, 1.6));
    return { w, scale };
  },
  reference(inputs) {
    return pure(() => {
      const q = toArray(tf.clipByValue(tf.round(tf.div(tensor(inputs.w!), inputs.scale as number)), -127, 127));
      return { result: q, blanks: [q] };
    });
  },
};
