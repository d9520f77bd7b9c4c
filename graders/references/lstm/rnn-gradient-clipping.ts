import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

function norm(a: JsonArray): number {
  return Math.sqrt((a.data as number[]).reduce((s, x) => s + x * x, 0));
}

export const rnnGradientClipping: CodeGrader = {
  key: 'rnn-gradient-clipping',
  prelude: '',
  call: 'gradient_clipping(grad, threshold)',
  knownWrong: ['grad * threshold', 'grad * norm'],
  cases: 6,
  makeCase(rng, index) {
    const grad = rng.normalArray([3, 4], 2);
    // Case 4 keeps the norm under the threshold (the blank is skipped); every other case clips.
    const factor = index === 4 ? rng.uniform(1.5, 3) : rng.uniform(0.2, 0.8);
    return { grad, threshold: Math.fround(norm(grad) * factor) };
  },
  reference(inputs) {
    return pure(() => {
      const grad = tensor(inputs.grad!);
      const threshold = inputs.threshold as number;
      const rate = threshold / tf.norm(grad).dataSync()[0]!;
      if (rate >= 1) return { result: toArray(grad), blanks: [] };
      const clipped = toArray(tf.mul(grad, rate));
      return { result: clipped, blanks: [clipped] };
    });
  },
};
