import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

/** Batch, length, heads, head size and model size all different, so a wrong reshape order shows. */
function sizes(rng: CaseRng) {
  for (;;) {
    const s = { B: 2, T: rng.pick([5, 7]), h: rng.pick([3, 4]), dk: rng.pick([3, 4, 6]) };
    if (new Set([s.B, s.T, s.h, s.dk, s.h * s.dk]).size === 5) return s;
  }
}

export const transformerMhaSplitHeadsCode: CodeGrader = {
  key: 'transformer-mha-split-heads-code',
  prelude: '',
  call: 'split_heads(x, W_q, n_heads)',
  knownWrong: ['q.transpose(0, 2, 1).reshape(B, n_heads, T, d_k)', 'q.reshape(B, T, n_heads, d_k).transpose(0, 2, 3, 1)', 'q.reshape(B, n_heads, d_k, T).transpose(0, 1, 3, 2)'],
  cases: 5,
  makeCase(rng) {
    const { B, T, h, dk } = sizes(rng);
    return { x: rng.normalArray([B, T, h * dk]), W_q: rng.normalArray([h * dk, h * dk], 0.3), n_heads: h };
  },
  reference(inputs) {
    return pure(() => {
      const x = tensor(inputs.x!) as tf.Tensor3D;
      const [B, T, d] = x.shape;
      const h = inputs.n_heads as number;
      const q = tf.reshape(tf.matMul(tf.reshape(x, [B * T, d]), tensor(inputs.W_q!) as tf.Tensor2D), [B, T, d]);
      const heads = toArray(tf.transpose(tf.reshape(q, [B, T, h, d / h]), [0, 2, 1, 3]));
      return { result: heads, blanks: [heads] };
    });
  },
};
