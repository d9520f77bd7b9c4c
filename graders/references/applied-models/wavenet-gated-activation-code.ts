import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

/** y[:, t] = W[:, :, 0] · x[:, t − d] + W[:, :, 1] · x[:, t], with zeros before the start. */
function causalConv(x: tf.Tensor2D, W: tf.Tensor3D, d: number): tf.Tensor2D {
  const [C, T] = x.shape;
  const prev = tf.concat([tf.zeros([C, d]), tf.slice(x, [0, 0], [C, T - d])], 1) as tf.Tensor2D;
  const w0 = tf.squeeze(tf.slice(W, [0, 0, 0], [-1, -1, 1]), [2]) as tf.Tensor2D;
  const w1 = tf.squeeze(tf.slice(W, [0, 0, 1], [-1, -1, 1]), [2]) as tf.Tensor2D;
  return tf.add(tf.matMul(w0, prev), tf.matMul(w1, x));
}

export const wavenetGatedActivationCode: CodeGrader = {
  key: 'wavenet-gated-activation-code',
  prelude: `def _sigmoid(a):
    return 1 / (1 + np.exp(-a))

def _causal_conv(x, W, d):
    # dilated causal convolution with kernel size 2: x (C, T), W (C, C, 2) -> (C, T)
    x_prev = np.concatenate([np.zeros((x.shape[0], d)), x[:, :-d]], axis=1)
    return W[:, :, 0].dot(x_prev) + W[:, :, 1].dot(x)
`,
  call: 'residual_block(x, W_f, W_g, W_r, W_s, d)',
  knownWrong: [
    // ReLU instead of tanh for the filter
    'np.maximum(f, 0) * _sigmoid(g)',
    // the gate alone
    '_sigmoid(g)',
    // both through tanh
    'np.tanh(f) * np.tanh(g)',
  ],
  cases: 6,
  makeCase(rng) {
    // C ≠ T ≠ S (skip channels) so a transposed weight shows in the shape; d ≥ 1 and d < T.
    const C = rng.pick([3, 4]);
    const T = rng.pick([7, 9]);
    const S = rng.pick([2, 5]);
    return {
      x: rng.normalArray([C, T]),
      W_f: rng.normalArray([C, C, 2], 0.6),
      W_g: rng.normalArray([C, C, 2], 0.6),
      W_r: rng.normalArray([C, C], 0.5),
      W_s: rng.normalArray([S, C], 0.5),
      d: rng.pick([1, 2, 4]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const x = tensor(inputs.x!) as tf.Tensor2D;
      const d = inputs.d as number;
      const f = causalConv(x, tensor(inputs.W_f!) as tf.Tensor3D, d);
      const g = causalConv(x, tensor(inputs.W_g!) as tf.Tensor3D, d);
      const z = tf.mul(tf.tanh(f), tf.sigmoid(g)) as tf.Tensor2D;
      const res = tf.add(x, tf.matMul(tensor(inputs.W_r!) as tf.Tensor2D, z));
      const skip = tf.matMul(tensor(inputs.W_s!) as tf.Tensor2D, z);
      return { result: [toArray(res), toArray(skip)], blanks: [toArray(z)] };
    });
  },
};
