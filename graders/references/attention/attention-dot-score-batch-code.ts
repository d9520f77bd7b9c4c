import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const attentionDotScoreBatchCode: CodeGrader = {
  key: 'attention-dot-score-batch-code',
  prelude: '',
  call: 'attention_scores(hs, h)',
  knownWrong: ['np.sum(hs * h[:, np.newaxis, :], axis=0)', 'np.sum(hs * h[np.newaxis, :, :], axis=2)', 'hs * h[:, np.newaxis, :]', 'np.dot(hs, h.T)'],
  cases: 5,
  makeCase(rng, index) {
    // N, T and H all different, so a sum over the wrong axis or a cross-sample product has another shape.
    // Case 0 is the stem's example: N = 3, T = 5, H = 4.
    const N = index === 0 ? 3 : rng.pick([2, 3]);
    const T = index === 0 ? 5 : rng.pick([5, 7]);
    const H = index === 0 ? 4 : rng.pick([4, 6]);
    return { hs: rng.normalArray([N, T, H]), h: rng.normalArray([N, H]) };
  },
  reference(inputs) {
    return pure(() => {
      const hs = tensor(inputs.hs!) as tf.Tensor3D;
      const h = tensor(inputs.h!) as tf.Tensor2D;
      const e = toArray(tf.sum(tf.mul(hs, tf.expandDims(h, 1)), 2));
      return { result: e, blanks: [e] };
    });
  },
};
