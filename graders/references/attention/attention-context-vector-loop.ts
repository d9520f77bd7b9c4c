import type { JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// decoder steps ≠ encoder steps ≠ hidden: a weighted sum over the wrong axis has a visibly different shape.
const T_DEC = 3;
const T_ENC = 6;
const HIDDEN = 4;

export const attentionContextVectorLoop: CodeGrader = {
  key: 'attention-context-vector-loop',
  prelude: `def _softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)
`,
  call: 'attention_contexts(ss, hs)',
  knownWrong: ['np.sum(alpha * hs.T, axis=0)', 'np.mean(hs, axis=0)', 'alpha.dot(ss)', 'alpha.dot(hs) / len(hs)'],
  cases: 5,
  makeCase(rng) {
    return { ss: rng.normalArray([T_DEC, HIDDEN]), hs: rng.normalArray([T_ENC, HIDDEN]) };
  },
  reference(inputs) {
    return pure(() => {
      const ss = tensor(inputs.ss!) as tf.Tensor2D;
      const hs = tensor(inputs.hs!) as tf.Tensor2D;
      const alpha = tf.softmax(tf.matMul(ss, hs, false, true)); // (T_DEC, T_ENC): row i = the weights at decoder step i
      const cs = tf.matMul(alpha, hs); // (T_DEC, HIDDEN)
      const blanks: JsonValue[] = tf.unstack(cs).map((c) => toArray(c));
      return { result: toArray(cs), blanks };
    });
  },
};
