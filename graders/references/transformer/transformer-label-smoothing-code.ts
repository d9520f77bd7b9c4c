import type { CodeGrader } from '../../code/types';
import { pure, tf, toArray } from '../tensors';

export const transformerLabelSmoothingCode: CodeGrader = {
  key: 'transformer-label-smoothing-code',
  prelude: '',
  call: 'smooth_labels(t, K, eps)',
  knownWrong: ['onehot * (1 - eps)', 'onehot + eps / K', '(1 - eps) * onehot + eps / len(t)', '(1 - eps) * onehot + eps / (K - 1) * (1 - onehot)'],
  cases: 6,
  makeCase(rng, index) {
    // batch ≠ classes, so dividing by the batch size instead of K shows; eps varies so a constant cannot pass.
    const N = index === 0 ? 3 : rng.pick([4, 5, 6]);
    const K = index === 0 ? 5 : rng.pick([7, 8, 10]);
    const eps = index === 0 ? 0.1 : rng.pick([0.05, 0.1, 0.2, 0.3]);
    const t = Array.from({ length: N }, () => rng.int(0, K - 1));
    return { t: { dtype: 'int32', shape: [N], data: t }, K, eps };
  },
  reference(inputs) {
    return pure(() => {
      const t = inputs.t as { data: number[] };
      const K = inputs.K as number;
      const eps = inputs.eps as number;
      const onehot = tf.cast(tf.oneHot(tf.tensor1d(t.data, 'int32'), K), 'float32');
      const q = toArray(tf.add(tf.mul(onehot, 1 - eps), eps / K));
      return { result: q, blanks: [q] };
    });
  },
};
