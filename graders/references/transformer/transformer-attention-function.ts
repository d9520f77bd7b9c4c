import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

type MaskKind = 'none' | 'causal' | 'padding';

/** Visible example without a mask; then a causal mask, key padding, no mask, and large scores with each mask. */
const PLAN: { mask: MaskKind; std: number }[] = [
  { mask: 'none', std: 1 },
  { mask: 'causal', std: 1 },
  { mask: 'padding', std: 1 },
  { mask: 'none', std: 1.5 },
  { mask: 'causal', std: 7 },
  { mask: 'padding', std: 7 },
];

function maskArray(kind: MaskKind, Tq: number, Tk: number, valid: number): JsonArray {
  const data: boolean[] = [];
  for (let i = 0; i < Tq; i++) for (let j = 0; j < Tk; j++) data.push(kind === 'causal' ? j > i : j >= valid);
  return { dtype: 'bool', shape: [Tq, Tk], data };
}

export const transformerAttentionFunction: CodeGrader = {
  key: 'transformer-attention-function',
  prelude: '',
  call: 'scaled_dot_product_attention(Q, K, V, mask)',
  knownWrong: [
    // no scaling
    'def scaled_dot_product_attention(Q, K, V, mask=None):\n    s = np.matmul(Q, K.transpose(0, 2, 1))\n    if mask is not None:\n        s = np.where(mask, -1e9, s)\n    s = s - s.max(axis=-1, keepdims=True)\n    w = np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)\n    return np.matmul(w, V)',
    // scaled by d_k instead of its square root
    'def scaled_dot_product_attention(Q, K, V, mask=None):\n    s = np.matmul(Q, K.transpose(0, 2, 1)) / Q.shape[-1]\n    if mask is not None:\n        s = np.where(mask, -1e9, s)\n    s = s - s.max(axis=-1, keepdims=True)\n    w = np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)\n    return np.matmul(w, V)',
    // mask ignored
    'def scaled_dot_product_attention(Q, K, V, mask=None):\n    s = np.matmul(Q, K.transpose(0, 2, 1)) / np.sqrt(Q.shape[-1])\n    s = s - s.max(axis=-1, keepdims=True)\n    w = np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)\n    return np.matmul(w, V)',
    // softmax without subtracting the maximum: overflows on large scores
    'def scaled_dot_product_attention(Q, K, V, mask=None):\n    s = np.matmul(Q, K.transpose(0, 2, 1)) / np.sqrt(Q.shape[-1])\n    if mask is not None:\n        s = np.where(mask, -1e9, s)\n    w = np.exp(s) / np.exp(s).sum(axis=-1, keepdims=True)\n    return np.matmul(w, V)',
  ],
  cases: PLAN.length,
  makeCase(rng, index) {
    const { mask, std } = PLAN[index]!;
    const B = 2;
    const Tq = mask === 'causal' ? rng.pick([4, 5]) : 3;
    const Tk = mask === 'causal' ? Tq : rng.pick([5, 6]);
    const dk = 8;
    const dv = 7;
    for (;;) {
      const Q = rng.normalArray([B, Tq, dk], std);
      const K = rng.normalArray([B, Tk, dk], std);
      const inputs = {
        Q,
        K,
        V: rng.normalArray([B, Tk, dv]),
        mask: mask === 'none' ? null : maskArray(mask, Tq, Tk, rng.int(2, Tk - 1)),
      };
      // Large-score cases must really overflow a naive softmax: some allowed score above 90.
      if (std < 5 || maxAllowedScore(inputs) > 90) return inputs;
    }
  },
  reference(inputs) {
    return pure(() => ({ result: toArray(attention(inputs)), blanks: null }));
  },
};

function maskTensor(mask: JsonArray): tf.Tensor {
  return tf.tensor(mask.data.map((b) => (b ? 1 : 0)), mask.shape, 'float32');
}

function scores(inputs: Record<string, unknown>): tf.Tensor {
  const Q = tensor(inputs.Q as JsonArray) as tf.Tensor3D;
  const K = tensor(inputs.K as JsonArray) as tf.Tensor3D;
  return tf.div(tf.matMul(Q, K, false, true), Math.sqrt(Q.shape[2]));
}

function maxAllowedScore(inputs: Record<string, unknown>): number {
  return pure(() => {
    let s = scores(inputs);
    if (inputs.mask) s = tf.sub(s, tf.mul(maskTensor(inputs.mask as JsonArray), 1e9));
    return tf.max(s).dataSync()[0]!;
  });
}

function attention(inputs: Record<string, unknown>): tf.Tensor {
  let s = scores(inputs);
  if (inputs.mask) s = tf.add(s, tf.mul(maskTensor(inputs.mask as JsonArray), -1e9));
  return tf.matMul(tf.softmax(s), tensor(inputs.V as JsonArray) as tf.Tensor3D);
}
