import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

/** A softmax row (float32) from random scores, so that `a` is what the forward pass would have produced. */
function softmaxRows(scores: number[][]): number[] {
  return scores.flatMap((row) => {
    const m = Math.max(...row);
    const e = row.map((x) => Math.exp(x - m));
    const z = e.reduce((s, x) => s + x, 0);
    return e.map((x) => Math.fround(x / z));
  });
}

export const attentionSoftmaxBackwardCode: CodeGrader = {
  key: 'attention-softmax-backward-code',
  prelude: '',
  call: 'softmax_backward(a, da)',
  knownWrong: ['ds', 'ds - a * ds.sum(axis=1)', 'ds - a * ds.sum()', 'ds - a * np.sum(da, axis=1, keepdims=True)'],
  cases: 6,
  makeCase(rng, index) {
    // batch ≠ time, so a sum over the wrong axis gives other values (or a broadcasting error).
    const N = index === 0 ? 2 : rng.pick([3, 4]);
    const T = index === 0 ? 3 : rng.pick([5, 6]);
    const scale = index === 5 ? 3 : 1;
    const scores = Array.from({ length: N }, () => Array.from({ length: T }, () => rng.normal(0, scale)));
    return { a: { dtype: 'float32', shape: [N, T], data: softmaxRows(scores) }, da: rng.normalArray([N, T]) };
  },
  reference(inputs) {
    return pure(() => {
      const a = tensor(inputs.a!) as tf.Tensor2D;
      const da = tensor(inputs.da!) as tf.Tensor2D;
      const ds = tf.mul(a, da);
      const de = tf.sub(ds, tf.mul(a, tf.sum(ds, 1, true)));
      return { result: toArray(de), blanks: [toArray(de)] };
    });
  },
};
