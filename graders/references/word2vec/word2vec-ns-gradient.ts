import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// 1 positive + k negatives ≠ D, so a gradient of the wrong shape shows.
const D = 4;

export const word2vecNsGradient: CodeGrader = {
  key: 'word2vec-ns-gradient',
  prelude: `def _sigmoid(x):
    return 1 / (1 + np.exp(-x))
`,
  call: 'ns_backward(h, U, labels)',
  knownWrong: ['_sigmoid(s)', 's - labels', '-np.log(_sigmoid(s))', '(_sigmoid(s) - labels) / len(labels)'],
  cases: 6,
  makeCase(rng, index) {
    // Row 0 of U is the positive (label 1), the other k rows the negatives (label 0); k = 2 in case 0, else 2–5.
    const k = index === 0 ? 2 : rng.int(2, 5);
    const labels: JsonArray = { dtype: 'float32', shape: [k + 1], data: Array.from({ length: k + 1 }, (_, i) => (i === 0 ? 1 : 0)) };
    return { h: rng.normalArray([D], 0.8), U: rng.normalArray([k + 1, D], 0.8), labels };
  },
  reference(inputs) {
    return pure(() => {
      const h = tensor(inputs.h!) as tf.Tensor1D;
      const U = tensor(inputs.U!) as tf.Tensor2D;
      const s = tf.squeeze(tf.matMul(U, tf.reshape(h, [D, 1])), [1]);
      const ds = tf.sub(tf.sigmoid(s), tensor(inputs.labels!));
      const dh = tf.squeeze(tf.matMul(tf.reshape(ds, [1, -1]), U), [0]);
      const dU = tf.mul(tf.reshape(ds, [-1, 1]), tf.reshape(h, [1, D]));
      return { result: [toArray(dh), toArray(dU)], blanks: [toArray(ds)] };
    });
  },
};
