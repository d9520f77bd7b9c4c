import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

export const batchnormForwardFunction: CodeGrader = {
  key: 'batchnorm-forward-function',
  prelude: '',
  call: 'batchnorm_forward(x, gamma, beta, eps)',
  knownWrong: [
    // normalises each sample over its features (Layer Normalization)
    'def batchnorm_forward(x, gamma, beta, eps):\n    mu = x.mean(axis=1, keepdims=True)\n    var = x.var(axis=1, keepdims=True)\n    return gamma * (x - mu) / np.sqrt(var + eps) + beta',
    // no eps: a constant feature gives 0 / 0
    'def batchnorm_forward(x, gamma, beta, eps):\n    mu = x.mean(axis=0)\n    return gamma * (x - mu) / x.std(axis=0) + beta',
    // eps added to the standard deviation
    'def batchnorm_forward(x, gamma, beta, eps):\n    mu = x.mean(axis=0)\n    return gamma * (x - mu) / (x.std(axis=0) + eps) + beta',
    // scale and shift swapped
    'def batchnorm_forward(x, gamma, beta, eps):\n    mu = x.mean(axis=0)\n    var = x.var(axis=0)\n    return beta * (x - mu) / np.sqrt(var + eps) + gamma',
  ],
  cases: 6,
  makeCase(rng, index) {
    // N ≠ D, so normalising along the wrong axis without keepdims fails to broadcast.
    const N = index === 4 ? 4 : rng.pick([6, 8]);
    const D = rng.pick([3, 5]);
    const x = rng.normalArray([N, D], rng.uniform(0.5, 3));
    const shift = rng.uniform(-4, 4);
    x.data = x.data.map((v) => Math.fround((v as number) + shift));
    // Case 4: one feature is the same value in every sample (variance 0): only eps keeps the division finite.
    // N = 4 and a value exact in binary make its mean exact in float32, so x - mu is exactly 0.
    if (index === 4) for (let n = 0; n < N; n++) x.data[n * D + 1] = 1.5;
    return {
      x,
      gamma: rng.uniformArray([D], 0.5, 2),
      beta: rng.uniformArray([D], -1, 1),
      // Case 5 uses a large eps, so sqrt(var + eps) and std + eps differ visibly.
      eps: index === 5 ? 0.5 : 1e-5,
    };
  },
  reference(inputs) {
    return pure(() => {
      const x = tensor(inputs.x!);
      const { mean, variance } = tf.moments(x, 0);
      const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, inputs.eps as number)));
      return { result: toArray(tf.add(tf.mul(tensor(inputs.gamma!), xhat), tensor(inputs.beta!))), blanks: null };
    });
  },
};
