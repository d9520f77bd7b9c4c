import type { JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { TANH_ACTIVATION_PRELUDE } from '../gates';
import { pure, tensor, tf, toArray } from '../tensors';

// embed ≠ vocab ≠ hidden: a transposed lookup cannot pass by a shape coincidence.
const EMBED = 3;
const VOCAB = 7;
const HIDDEN = 4;

export const seq2seqEmbedding: CodeGrader = {
  key: 'seq2seq-embedding',
  prelude: TANH_ACTIVATION_PRELUDE,
  call: 'encode(words, E, W, U, b)',
  knownWrong: ['E[:, 0]', 'E.dot(w) + 1'],
  cases: 5,
  makeCase(rng) {
    const length = rng.int(3, 5);
    return {
      words: Array.from({ length }, () => rng.oneHot(VOCAB)),
      E: rng.normalArray([EMBED, VOCAB]),
      W: rng.normalArray([HIDDEN, EMBED], 0.5),
      U: rng.normalArray([HIDDEN, HIDDEN], 0.5),
      b: rng.normalArray([HIDDEN], 0.3),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!);
      const E = m('E') as tf.Tensor2D;
      let h: tf.Tensor = tf.zeros([HIDDEN]);
      const blanks: JsonValue[] = [];
      for (const w of inputs.words as JsonValue[]) {
        const e = tf.dot(E, tensor(w) as tf.Tensor1D);
        blanks.push(toArray(e));
        h = tf.tanh(tf.add(tf.add(tf.dot(m('W') as tf.Tensor2D, e as tf.Tensor1D), tf.dot(m('U') as tf.Tensor2D, h as tf.Tensor1D)), m('b')));
      }
      return { result: toArray(h), blanks };
    });
  },
};
