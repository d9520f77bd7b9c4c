import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ T ≠ D ≠ H. Right padding: the backward direction meets the padding first and must keep its zero state there.
const N = 3;
const T = 5;
const D = 4;
const H = 6;

export const birnnBackwardMasked: CodeGrader = {
  key: 'birnn-backward-masked',
  prelude: '',
  call: 'birnn_backward_direction(xs, mask, W_b, U_b, b_b)',
  knownWrong: ['range(T)', 'range(T - 1, 0, -1)', 'reversed(range(T - 1))', 'range(T, 0, -1)'],
  cases: 6,
  makeCase(rng, index) {
    // Case 0 mixes a full sample with short ones (one of length 1); case 5 has no padding at all.
    const lengths = index === 0 ? [T, 2, 1] : index === 5 ? [T, T, T] : Array.from({ length: N }, () => rng.int(1, T));
    const xs = rng.normalArray([N, T, D]);
    xs.data = xs.data.map((v, k) => (Math.floor(k / D) % T < lengths[Math.floor(k / (T * D))]! ? v : 0));
    return {
      xs,
      mask: { dtype: 'float32', shape: [N, T], data: lengths.flatMap((l) => Array.from({ length: T }, (_, t) => (t < l ? 1 : 0))) },
      W_b: rng.normalArray([D, H], 0.6),
      U_b: rng.normalArray([H, H], 0.6),
      b_b: rng.normalArray([H], 0.3),
    };
  },
  reference(inputs) {
    return pure(() => {
      const xs = tensor(inputs.xs!) as tf.Tensor3D;
      const mask = tensor(inputs.mask!) as tf.Tensor2D;
      const W = tensor(inputs.W_b!) as tf.Tensor2D;
      const U = tensor(inputs.U_b!) as tf.Tensor2D;
      const b = tensor(inputs.b_b!);
      let h: tf.Tensor2D = tf.zeros([N, H]);
      const hs: tf.Tensor2D[] = new Array(T);
      for (let t = T - 1; t >= 0; t--) {
        const x = tf.squeeze(tf.slice(xs, [0, t, 0], [-1, 1, -1]), [1]) as tf.Tensor2D;
        const hNew = tf.tanh(tf.add(tf.add(tf.matMul(x, W), tf.matMul(h, U)), b));
        const m = tf.slice(mask, [0, t], [-1, 1]);
        h = tf.add(tf.mul(m, hNew), tf.mul(tf.sub(1, m), h)) as tf.Tensor2D;
        hs[t] = h;
      }
      return { result: toArray(tf.stack(hs, 1)), blanks: null };
    });
  },
};
