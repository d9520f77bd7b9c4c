import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, T, H] per case: T differs from H so that summing over the wrong axis changes da's shape.
const SHAPES: [number, number, number][] = [
  [2, 3, 4],
  [3, 4, 2],
  [2, 5, 3],
  [4, 2, 5],
  [1, 6, 4],
];

// Builds the template's WeightSum, runs forward and backward (the layer has no parameters: params and grads are
// empty lists, as in the textbook).
const PRELUDE = `
def run_weight_sum(hs, a, dc):
    layer = WeightSum()
    c = layer.forward(hs, a)
    dhs, da = layer.backward(dc)
    return c, dhs, da
`;

export const attentionWeightsumClassBackward: CodeGrader = {
  key: 'attention-weightsum-class-backward',
  prelude: PRELUDE,
  call: 'run_weight_sum(hs, a, dc)',
  resultNames: ['c', 'dhs', 'da'],
  knownWrong: [
    // summed over the time axis instead of the hidden axis
    'np.sum(dc[:, None, :] * hs, axis=1)',
    // the product not summed at all
    'dc[:, None, :] * hs',
    // the weights multiplied instead of the encoder states
    'np.sum(dc[:, None, :] * a[:, :, None], axis=2)',
    // the sum over both axes: one number per sample
    'np.sum(dc[:, None, :] * hs, axis=(1, 2))',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, t, h] = SHAPES[index]!;
    // weights: positive rows that sum to 1, as a softmax gives
    const raw = Array.from({ length: n * t }, () => rng.uniform(0.1, 1));
    const data = raw.map((w, i) => {
      const row = Math.floor(i / t) * t;
      return Math.fround(w / raw.slice(row, row + t).reduce((p, q) => p + q, 0));
    });
    const a = { dtype: 'float32' as const, shape: [n, t], data };
    return { hs: rng.normalArray([n, t, h]), a, dc: rng.normalArray([n, h]) };
  },
  reference(inputs) {
    return pure(() => {
      const dc = tensor(inputs.dc!);
      const forward = (hs: tf.Tensor, a: tf.Tensor) => tf.sum(tf.mul(hs, tf.expandDims(a, 2)), 1);
      const hs = tensor(inputs.hs!);
      const a = tensor(inputs.a!);
      const c = forward(hs, a);
      // gradients by autodiff of sum(c * dc)
      const [dhs, da] = tf.grads((h, w) => tf.sum(tf.mul(forward(h, w), dc)))([hs, a]);
      return { result: [c, dhs!, da!].map(toArray), blanks: null };
    });
  },
};
