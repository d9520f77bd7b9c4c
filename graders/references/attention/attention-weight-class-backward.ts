import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, T, H] per case: N differs from T so that a softmax backward summed over the batch axis is caught.
const SHAPES: [number, number, number][] = [
  [2, 3, 4],
  [3, 4, 2],
  [2, 5, 3],
  [4, 2, 5],
  [1, 6, 4],
];

// Builds the template's AttentionWeight, runs forward and backward (the layer has no parameters: params and grads
// are empty lists, as in the textbook).
const PRELUDE = `
def run_attention_weight(hs, h, da):
    layer = AttentionWeight()
    a = layer.forward(hs, h)
    dhs, dh = layer.backward(da)
    return a, dhs, dh
`;

export const attentionWeightClassBackward: CodeGrader = {
  key: 'attention-weight-class-backward',
  prelude: PRELUDE,
  call: 'run_attention_weight(hs, h, da)',
  resultNames: ['a', 'dhs', 'dh'],
  knownWrong: [
    // only the diagonal of the softmax Jacobian
    'a * (1 - a) * da',
    // the outer factor a forgotten
    'da - np.sum(a * da, axis=1, keepdims=True)',
    // the weighted mean taken over the batch axis
    'a * (da - np.sum(a * da, axis=0, keepdims=True))',
    // the plain sum of da instead of the a-weighted one
    'a * (da - np.sum(da, axis=1, keepdims=True))',
    // a sigmoid-style factor (1 - a) on top of the softmax backward
    'a * (da - np.sum(a * da, axis=1, keepdims=True)) * (1 - a)',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, t, h] = SHAPES[index]!;
    return { hs: rng.normalArray([n, t, h]), h: rng.normalArray([n, h]), da: rng.normalArray([n, t]) };
  },
  reference(inputs) {
    return pure(() => {
      const da = tensor(inputs.da!);
      const forward = (hs: tf.Tensor, h: tf.Tensor) => tf.softmax(tf.sum(tf.mul(hs, tf.expandDims(h, 1)), 2));
      const hs = tensor(inputs.hs!);
      const h = tensor(inputs.h!);
      const a = forward(hs, h);
      // gradients by autodiff of sum(a * da)
      const [dhs, dh] = tf.grads((x, y) => tf.sum(tf.mul(forward(x, y), da)))([hs, h]);
      return { result: [a, dhs!, dh!].map(toArray), blanks: null };
    });
  },
};
