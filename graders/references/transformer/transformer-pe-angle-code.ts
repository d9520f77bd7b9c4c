import type { CodeGrader } from '../../code/types';
import { pure, tf, toArray } from '../tensors';

export const transformerPeAngleCode: CodeGrader = {
  key: 'transformer-pe-angle-code',
  prelude: '',
  call: 'positional_encoding(T, d_model)',
  knownWrong: ['pos / np.power(10000, i2)', 'pos / 10000 ** i2 / d_model', 'pos.T / np.power(10000, i2 / d_model)'],
  cases: 5,
  makeCase(rng) {
    // T ≠ d_model / 2 and T ≠ d_model, so swapping pos and i2 (or transposing) shows in the shape or the values.
    for (;;) {
      const T = rng.pick([5, 7, 9, 10]);
      const d_model = rng.pick([8, 12, 16, 20]);
      if (T !== d_model / 2 && T !== d_model) return { T, d_model };
    }
  },
  reference(inputs) {
    return pure(() => {
      const T = inputs.T as number;
      const d = inputs.d_model as number;
      const pos = tf.reshape(tf.range(0, T, 1, 'float32'), [T, 1]);
      const i2 = tf.reshape(tf.range(0, d, 2, 'float32'), [1, d / 2]);
      const angle = tf.div(pos, tf.pow(tf.scalar(10000), tf.div(i2, d)));
      const pe = tf.reshape(tf.stack([tf.sin(angle), tf.cos(angle)], 2), [T, d]);
      return { result: toArray(pe), blanks: [toArray(angle)] };
    });
  },
};
