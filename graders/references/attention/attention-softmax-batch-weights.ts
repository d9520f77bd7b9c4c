import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// batch ≠ time ≠ hidden: a softmax over the wrong axis gives another shape or a broadcasting error.
const BATCH = 3;
const T = 5;
const HIDDEN = 4;

export const attentionSoftmaxBatchWeights: CodeGrader = {
  key: 'attention-softmax-batch-weights',
  prelude: '',
  call: 'attention_weights(hs, h)',
  knownWrong: ['np.exp(e)', 'e / np.sum(e, axis=1, keepdims=True)', 'np.exp(e) / np.max(np.exp(e), axis=1, keepdims=True)', 'np.exp(e) / np.sum(np.exp(e), axis=1, keepdims=True).T'],
  cases: 6,
  makeCase(rng, index) {
    // Case 5: long decoder states, scores of several tens; only the max-shifted template keeps exp finite.
    const scale = index === 5 ? 6 : 1;
    return { hs: rng.normalArray([BATCH, T, HIDDEN]), h: rng.normalArray([BATCH, HIDDEN], scale) };
  },
  reference(inputs) {
    return pure(() => {
      const hs = tensor(inputs.hs!) as tf.Tensor3D;
      const h = tensor(inputs.h!) as tf.Tensor2D;
      const e = tf.sum(tf.mul(hs, tf.expandDims(h, 1)), 2);
      const a = tf.softmax(e);
      const c = tf.sum(tf.mul(hs, tf.expandDims(a, 2)), 1);
      return { result: [toArray(a), toArray(c)], blanks: [toArray(a)] };
    });
  },
};
