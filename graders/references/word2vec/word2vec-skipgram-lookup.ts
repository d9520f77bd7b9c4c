import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// embed ≠ vocab: a row of W_in has the wrong length, and a word id ≥ EMBED is out of range as a row index.
const EMBED = 4;
const VOCAB = 9;

export const word2vecSkipgramLookup: CodeGrader = {
  key: 'word2vec-skipgram-lookup',
  prelude: `def _softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)
`,
  call: 'skipgram_probs(center, W_in, W_out)',
  knownWrong: ['W_in[:, 0]', 'W_in.T[center + 1]', 'W_in.mean(axis=1)', 'W_in[:, center - 1]'],
  cases: 6,
  makeCase(rng, index) {
    // Word ids below and above EMBED (as a row index, W_in[center] is then a wrong row or out of range); case 5 is word 0.
    const center = index === 5 ? 0 : index % 2 === 0 ? rng.int(EMBED, VOCAB - 1) : rng.int(1, EMBED - 1);
    return { center, W_in: rng.normalArray([EMBED, VOCAB]), W_out: rng.normalArray([VOCAB, EMBED]) };
  },
  reference(inputs) {
    return pure(() => {
      const Win = tensor(inputs.W_in!) as tf.Tensor2D;
      const h = tf.reshape(tf.slice(Win, [0, inputs.center as number], [EMBED, 1]), [EMBED]);
      const p = tf.softmax(tf.reshape(tf.matMul(tensor(inputs.W_out!) as tf.Tensor2D, tf.reshape(h, [EMBED, 1])), [VOCAB]));
      return { result: toArray(p), blanks: [toArray(h)] };
    });
  },
};
