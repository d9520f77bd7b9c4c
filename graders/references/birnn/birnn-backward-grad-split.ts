import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// N ≠ T ≠ H ≠ O ≠ 2H, so slicing the wrong axis gives another shape.
const N = 2;
const T = 5;
const H = 3;
const O = 4;

export const birnnBackwardGradSplit: CodeGrader = {
  key: 'birnn-backward-grad-split',
  prelude: '',
  call: 'birnn_output_backward(dys, V)',
  knownWrong: ['dhs[:, H:, ::-1]', 'dhs[:, ::-1]', 'dhs[:, :, H:][:, :, ::-1]', 'np.flip(dhs[:, :, H:], axis=0)'],
  cases: 5,
  makeCase(rng) {
    return { dys: rng.normalArray([N, T, O]), V: rng.normalArray([O, 2 * H], 0.7) };
  },
  reference(inputs) {
    return pure(() => {
      const dhs = tf.reshape(tf.matMul(tf.reshape(tensor(inputs.dys!), [N * T, O]), tensor(inputs.V!) as tf.Tensor2D), [N, T, 2 * H]);
      const dhsF = tf.slice(dhs, [0, 0, 0], [-1, -1, H]);
      const dhsB = toArray(tf.reverse(tf.slice(dhs, [0, 0, H], [-1, -1, H]), 1));
      return { result: [toArray(dhsF), dhsB], blanks: [dhsB] };
    });
  },
};
