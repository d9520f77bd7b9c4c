import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// batch ≠ vocab, so a sum over the wrong axis has a different shape or different values.
const BATCH = 3;
const VOCAB = 8;

export const seq2seqTopKFilter: CodeGrader = {
  key: 'seq2seq-top-k-filter',
  prelude: `def _softmax(x):
    e = np.exp(x - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
`,
  call: 'top_k_probs(logits, k, T)',
  knownWrong: ['kept', 'p / np.sum(kept, axis=1, keepdims=True)', 'kept / np.sum(p, axis=1, keepdims=True)', 'kept / k'],
  cases: 6,
  makeCase(rng, index) {
    // Case 0: k = 3, T = 1. Others vary k (2–5) and the temperature (sharper and flatter than 1).
    const k = index === 0 ? 3 : rng.int(2, 5);
    const T = index === 0 ? 1 : rng.pick([0.5, 0.8, 1.5, 2]);
    return { logits: rng.normalArray([BATCH, VOCAB], 1.5), k, T };
  },
  reference(inputs) {
    return pure(() => {
      const k = inputs.k as number;
      const p = tf.softmax(tf.div(tensor(inputs.logits!), inputs.T as number)) as tf.Tensor2D;
      const { values } = tf.topk(p, k);
      const kth = tf.slice(values, [0, k - 1], [BATCH, 1]);
      const kept = tf.where(tf.greaterEqual(p, kth), p, tf.zerosLike(p));
      const out = tf.div(kept, tf.sum(kept, 1, true));
      return { result: toArray(out), blanks: [toArray(out)] };
    });
  },
};
