import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const compressionStructuredPruningCode: CodeGrader = {
  key: 'compression-structured-pruning-code',
  prelude: '',
  call: 'prune_filters(W, keep)',
  knownWrong: [
    // the L1 norm over the wrong axes: one value per input channel
    'np.sum(np.abs(W), axis=(0, 2, 3))',
    // the largest signed weight of each filter instead of its L1 norm
    'np.max(W, axis=(1, 2, 3))',
    // one sum over every filter: a scalar, nothing to rank
    'np.sum(np.abs(W))',
  ],
  cases: 6,
  makeCase(rng) {
    // C_out, C_in and K all different; filters of clearly different sizes, with signs that cancel in a plain sum.
    const cOut = rng.pick([5, 6, 7]);
    const cIn = rng.pick([2, 3, 4]);
    const W = rng.normalArray([cOut, cIn, 3, 3], 0.2);
    const per = cIn * 9;
    const filterScale = Array.from({ length: cOut }, () => rng.uniform(0.2, 2));
    W.data = W.data.map((v, i) => Math.fround((v as number) * filterScale[Math.floor(i / per)]!));
    return { W, keep: rng.int(2, cOut - 2) };
  },
  reference(inputs) {
    return pure(() => {
      const W = tensor(inputs.W!);
      const keep = inputs.keep as number;
      const norms = tf.sum(tf.abs(W), [1, 2, 3]);
      const top = Array.from(tf.topk(norms, keep).indices.dataSync()).sort((a, b) => a - b);
      const kept = tf.gather(W, tf.tensor1d(top, 'int32'));
      return { result: toArray(kept), blanks: [toArray(norms)] };
    });
  },
};
