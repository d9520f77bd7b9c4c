import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const EPS = 1e-5;

export const normalizationGroupnormCode: CodeGrader = {
  key: 'normalization-groupnorm-code',
  prelude: '',
  call: 'group_norm(x, gamma, beta, G)',
  knownWrong: [
    // Batch Normalization's axes (over the batch as well)
    'np.mean(xg, axis=(0, 2, 3, 4), keepdims=True)',
    // Layer Normalization over the whole sample: same as G = 1 only
    'np.mean(x, axis=(1, 2, 3), keepdims=True).reshape(N, 1, 1, 1, 1)',
    // per channel (Instance Normalization)
    'np.mean(xg, axis=(3, 4), keepdims=True)',
  ],
  cases: 6,
  makeCase(rng) {
    // N, G, C/G, H, W chosen so that 1 < G < C and the sizes differ; channel offsets make a wrong grouping visible.
    const N = 2;
    const G = rng.pick([2, 3]);
    const perGroup = rng.pick([2, 4]);
    const C = G * perGroup;
    const H = rng.pick([3, 5]);
    const W = rng.pick([4, 6]);
    const x = rng.normalArray([N, C, H, W]);
    const offset = Array.from({ length: C }, () => rng.uniform(-3, 3));
    const scale = Array.from({ length: C }, () => rng.uniform(0.5, 2));
    x.data = x.data.map((v, i) => {
      const c = Math.floor(i / (H * W)) % C;
      return Math.fround((v as number) * scale[c]! + offset[c]!);
    });
    return { x, gamma: rng.uniformArray([C], 0.5, 1.5), beta: rng.uniformArray([C], -0.5, 0.5), G };
  },
  reference(inputs) {
    return pure(() => {
      const x = tensor(inputs.x!) as tf.Tensor4D;
      const G = inputs.G as number;
      const [N, C, H, W] = x.shape;
      const xg = tf.reshape(x, [N, G, C / G, H, W]);
      const { mean, variance } = tf.moments(xg, [2, 3, 4], true);
      const xhat = tf.reshape(tf.div(tf.sub(xg, mean), tf.sqrt(tf.add(variance, EPS))), [N, C, H, W]);
      const gamma = tf.reshape(tensor(inputs.gamma!), [1, C, 1, 1]);
      const beta = tf.reshape(tensor(inputs.beta!), [1, C, 1, 1]);
      return { result: toArray(tf.add(tf.mul(gamma, xhat), beta)), blanks: [toArray(mean)] };
    });
  },
};
