import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// out ≠ in, and a flattened mask (out·in,) cannot multiply W.
const OUT = 6;
const IN = 10;

export const compressionPruningMaskCode: CodeGrader = {
  key: 'compression-pruning-mask-code',
  prelude: '',
  call: 'magnitude_prune(W, sparsity)',
  knownWrong: ['np.abs(W) > threshold', 'W * (np.abs(W) >= threshold)', 'np.abs(W) >= np.mean(np.abs(W))'],
  cases: 6,
  makeCase(rng, index) {
    // Case 5: sparsity 0, nothing is pruned (the threshold is the smallest magnitude).
    return { W: rng.normalArray([OUT, IN], 0.5), sparsity: index === 5 ? 0 : rng.pick([0.5, 0.25, 0.75, 0.9, 0.3]) };
  },
  reference(inputs) {
    const W = inputs.W as JsonArray;
    const k = Math.trunc(W.data.length * (inputs.sparsity as number));
    const magnitudes = (W.data as number[]).map(Math.abs);
    const threshold = [...magnitudes].sort((a, b) => a - b)[k]!;
    const mask = magnitudes.map((m) => m >= threshold);
    return pure(() => ({
      result: toArray(tf.mul(tensor(W), tf.tensor(mask.map(Number), W.shape))),
      blanks: [{ dtype: 'bool', shape: [...W.shape], data: mask }],
    }));
  },
};
