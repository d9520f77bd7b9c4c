import type { JsonArray } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

/** log softmax of each row, in float64, rounded to float32. */
function logSoftmaxRows(rng: CaseRng, beams: number, vocab: number, std: number): JsonArray {
  const data: number[] = [];
  for (let b = 0; b < beams; b++) {
    const logits = Array.from({ length: vocab }, () => rng.normal(0, std));
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0));
    data.push(...logits.map((x) => Math.fround(x - lse)));
  }
  return { dtype: 'float32', shape: [beams, vocab], data };
}

function floats(values: number[]): JsonArray {
  return { dtype: 'float32', shape: [values.length], data: values.map((v) => Math.fround(v)) };
}

function ints(values: number[]): JsonArray {
  return { dtype: 'int32', shape: [values.length], data: values };
}

export const seq2seqBeamStepFunction: CodeGrader = {
  key: 'seq2seq-beam-step-function',
  prelude: '',
  call: 'beam_search_step(scores, log_probs, k)',
  knownWrong: [
    // the previous scores are forgotten: only the last word's probability counts
    'def beam_search_step(scores, log_probs, k):\n    V = log_probs.shape[1]\n    flat = log_probs.reshape(-1)\n    top = np.argsort(-flat)[:k]\n    return top // V, top % V, flat[top]',
    // log probabilities multiplied like probabilities
    'def beam_search_step(scores, log_probs, k):\n    V = log_probs.shape[1]\n    flat = (scores[:, None] * log_probs).reshape(-1)\n    top = np.argsort(-flat)[:k]\n    return top // V, top % V, flat[top]',
    // the best word of each beam only: one candidate per beam
    'def beam_search_step(scores, log_probs, k):\n    total = scores[:, None] + log_probs\n    words = np.argmax(total, axis=1)\n    best = np.max(total, axis=1)\n    order = np.argsort(-best)[:k]\n    return order, words[order], best[order]',
    // ascending order: the k worst candidates
    'def beam_search_step(scores, log_probs, k):\n    V = log_probs.shape[1]\n    flat = (scores[:, None] + log_probs).reshape(-1)\n    top = np.argsort(flat)[:k]\n    return top // V, top % V, flat[top]',
    // the flat index divided by the number of beams instead of the vocabulary size
    'def beam_search_step(scores, log_probs, k):\n    B, V = log_probs.shape\n    flat = (scores[:, None] + log_probs).reshape(-1)\n    top = np.argsort(-flat)[:k]\n    return top // B, top % B, flat[top]',
  ],
  cases: 6,
  makeCase(rng, index) {
    // 0: the visible example. 1: the first step (only the BOS beam, k > B).
    // 2: one beam far ahead, so all k survivors come from it. Others: ordinary steps with k = B.
    if (index === 0) return { scores: floats([-0.7, -1.2]), log_probs: logSoftmaxRows(rng, 2, 4, 1.2), k: 2 };
    if (index === 1) return { scores: floats([0]), log_probs: logSoftmaxRows(rng, 1, rng.int(5, 6), 1.5), k: 3 };
    const beams = 3;
    const vocab = rng.int(5, 6);
    if (index === 2) return { scores: floats([-0.3, -6 - rng.uniform(0, 1), -7 - rng.uniform(0, 1)]), log_probs: logSoftmaxRows(rng, beams, vocab, 0.8), k: beams };
    const scores = Array.from({ length: beams }, () => -rng.uniform(0.5, 4)).sort((a, b) => b - a);
    return { scores: floats(scores), log_probs: logSoftmaxRows(rng, beams, vocab, 1.5), k: beams };
  },
  reference(inputs) {
    return pure(() => {
      const logProbs = tensor(inputs.log_probs!) as tf.Tensor2D;
      const vocab = logProbs.shape[1];
      const total = tf.add(tf.expandDims(tensor(inputs.scores!), 1), logProbs);
      const { values, indices } = tf.topk(tf.reshape(total, [-1]), inputs.k as number);
      const flat = Array.from(indices.dataSync());
      return {
        result: [ints(flat.map((i) => Math.floor(i / vocab))), ints(flat.map((i) => i % vocab)), toArray(values)],
        blanks: null,
      };
    });
  },
};
