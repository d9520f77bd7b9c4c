import type { JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// decoder state ≠ encoder state ≠ attention size ≠ time: swapping W and U, or s and h, is a shape error.
const DEC = 3;
const ENC = 4;
const ATT = 5;
const T = 6;

export const attentionAdditiveScoreLoop: CodeGrader = {
  key: 'attention-additive-score-loop',
  prelude: `def _softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)
`,
  call: 'additive_attention(s, hs, W, U, v)',
  knownWrong: ['v * np.tanh(W.dot(s) + U.dot(h))', 'np.sum(np.tanh(W.dot(s) + U.dot(h)))', 'v.dot(np.tanh(W.dot(s) + U.dot(hs[0])))', 'v.dot(np.tanh(W.dot(s) * U.dot(h)))'],
  cases: 5,
  makeCase(rng) {
    return {
      s: rng.normalArray([DEC]),
      hs: rng.normalArray([T, ENC]),
      W: rng.normalArray([ATT, DEC], 0.6),
      U: rng.normalArray([ATT, ENC], 0.6),
      v: rng.normalArray([ATT]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!);
      const hs = m('hs') as tf.Tensor2D;
      const Ws = tf.matMul(m('W') as tf.Tensor2D, tf.reshape(m('s'), [DEC, 1])); // (ATT, 1)
      const Uh = tf.matMul(m('U') as tf.Tensor2D, hs, false, true); // (ATT, T): column j = U h_j
      const e = tf.reshape(tf.matMul(tf.reshape(m('v'), [1, ATT]), tf.tanh(tf.add(Ws, Uh))), [T]);
      const alpha = tf.softmax(e);
      const c = tf.reshape(tf.matMul(tf.reshape(alpha, [1, T]), hs), [ENC]);
      const blanks: JsonValue[] = Array.from(e.dataSync());
      return { result: [toArray(alpha), toArray(c)], blanks };
    });
  },
};
