import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// [N, T, D, heads] per case: at least 2 heads and T != heads, so a wrong split cannot pass by symmetry.
const SHAPES: [number, number, number, number][] = [
  [2, 3, 4, 2],
  [1, 4, 6, 3],
  [2, 5, 6, 2],
  [3, 2, 8, 4],
  [2, 4, 6, 2],
];

// Builds the template's MultiHeadAttention from the case's weights, runs forward (causal self-attention) and
// backward, and reads the weight gradients from layer.grads (the arrays backward writes into in place).
const PRELUDE = `
def run_mha(x, Wq, Wk, Wv, Wo, num_heads, dout):
    layer = MultiHeadAttention(Wq, Wk, Wv, Wo, int(num_heads))
    out = layer.forward(x)
    dx = layer.backward(dout)
    dWq, dWk, dWv, dWo = layer.grads
    return out, dx, dWq, dWk, dWv, dWo
`;

export const transformerMhaClassSplitHeads: CodeGrader = {
  key: 'transformer-mha-class-split-heads',
  prelude: PRELUDE,
  call: 'run_mha(x, Wq, Wk, Wv, Wo, num_heads, dout)',
  resultNames: ['out', 'dx', 'dWq', 'dWk', 'dWv', 'dWo'],
  knownWrong: [
    // reshaped straight to the heads' shape: the time steps and the features are mixed up
    'x.reshape(N, H, T, dk)',
    // the features of a head taken every H-th column instead of a block of dk columns
    'x.reshape(N, T, dk, H).transpose(0, 3, 1, 2)',
    // scaled here as well as in forward: q, k and v divided by sqrt(dk) once more
    'x.reshape(N, T, H, dk).transpose(0, 2, 1, 3) / np.sqrt(dk)',
    // the axes moved the wrong way: (N, H, dk, T)
    'x.reshape(N, T, H, dk).transpose(0, 2, 3, 1)',
  ],
  cases: SHAPES.length,
  makeCase(rng, index) {
    const [n, t, d, heads] = SHAPES[index]!;
    return {
      x: rng.normalArray([n, t, d]),
      Wq: rng.normalArray([d, d], 0.5),
      Wk: rng.normalArray([d, d], 0.5),
      Wv: rng.normalArray([d, d], 0.5),
      Wo: rng.normalArray([d, d], 0.5),
      num_heads: heads,
      dout: rng.normalArray([n, t, d]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const v = (a: string) => tensor(inputs[a]!);
      const heads = inputs.num_heads as number;
      const x0 = v('x');
      const [n, t, d] = x0.shape as [number, number, number];
      const dk = d / heads;
      const dout = v('dout');
      const causal = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)), 1e9);
      const proj = (x: tf.Tensor, w: tf.Tensor) => tf.reshape(tf.matMul(tf.reshape(x, [n * t, d]) as tf.Tensor2D, w as tf.Tensor2D), [n, t, d]);
      const split = (z: tf.Tensor) => tf.transpose(tf.reshape(z, [n, t, heads, dk]), [0, 2, 1, 3]);
      const forward = (x: tf.Tensor, wq: tf.Tensor, wk: tf.Tensor, wv: tf.Tensor, wo: tf.Tensor) => {
        const q = split(proj(x, wq));
        const k = split(proj(x, wk));
        const val = split(proj(x, wv));
        const s = tf.sub(tf.div(tf.matMul(q as tf.Tensor4D, k as tf.Tensor4D, false, true), Math.sqrt(dk)), causal);
        const ctx = tf.matMul(tf.softmax(s) as tf.Tensor4D, val as tf.Tensor4D);
        return proj(tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [n, t, d]), wo);
      };
      const args = [x0, v('Wq'), v('Wk'), v('Wv'), v('Wo')];
      const out = forward(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!);
      // gradients by autodiff of sum(out * dout)
      const grads = tf.grads((x, wq, wk, wv, wo) => tf.sum(tf.mul(forward(x, wq, wk, wv, wo), dout)))(args);
      return { result: [out, ...grads].map(toArray), blanks: null };
    });
  },
};
