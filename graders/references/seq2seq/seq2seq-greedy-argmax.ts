import type { JsonArray, JsonValue } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf } from '../tensors';

// hidden ≠ embed ≠ vocab: np.argmax(h) is a valid but wrong word id, and E[w] is a row of the right length only for a word id.
const HIDDEN = 4;
const EMBED = 3;
const VOCAB = 7;
/** The best logit must beat the second by this much at every step, so float32 rounding never changes the argmax. */
const MARGIN = 0.1;

type Case = { h: JsonArray; E: JsonArray; W_x: JsonArray; W_h: JsonArray; W_o: JsonArray; bos: number; n_steps: number };

function at(a: JsonArray, i: number, j: number): number {
  return a.data[i * a.shape[1]! + j] as number;
}

/** The decoding in float64: the smallest gap between the two best logits over all steps. */
function smallestGap(c: Case): number {
  let h = c.h.data as number[];
  let w = c.bos;
  let gap = Infinity;
  for (let step = 0; step < c.n_steps; step++) {
    const next: number[] = [];
    for (let j = 0; j < HIDDEN; j++) {
      let s = 0;
      for (let k = 0; k < EMBED; k++) s += at(c.E, w, k) * at(c.W_x, k, j);
      for (let k = 0; k < HIDDEN; k++) s += h[k]! * at(c.W_h, k, j);
      next.push(Math.tanh(s));
    }
    h = next;
    const logits = Array.from({ length: VOCAB }, (_, v) => h.reduce((s, hk, k) => s + hk * at(c.W_o, k, v), 0));
    const sorted = [...logits].sort((a, b) => b - a);
    gap = Math.min(gap, sorted[0]! - sorted[1]!);
    w = logits.indexOf(sorted[0]!);
  }
  return gap;
}

function draw(rng: CaseRng, index: number): Case {
  return {
    h: rng.uniformArray([HIDDEN], -0.9, 0.9),
    E: rng.normalArray([VOCAB, EMBED]),
    W_x: rng.normalArray([EMBED, HIDDEN], 0.8),
    W_h: rng.normalArray([HIDDEN, HIDDEN], 0.6),
    W_o: rng.normalArray([HIDDEN, VOCAB], 1.5),
    bos: 0,
    n_steps: index === 0 ? 4 : rng.int(5, 6),
  };
}

export const seq2seqGreedyArgmax: CodeGrader = {
  key: 'seq2seq-greedy-argmax',
  prelude: `def _softmax(x):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)
`,
  call: 'greedy_decode(h, E, W_x, W_h, W_o, bos, n_steps)',
  knownWrong: ['np.argmax(p) + 1', 'np.argsort(p)[-2]', 'bos', 'np.argmax(W_o.dot(p))'],
  cases: 6,
  makeCase(rng, index) {
    let c = draw(rng, index);
    for (let tries = 0; tries < 200 && smallestGap(c) < MARGIN; tries++) c = draw(rng, index);
    return { ...c };
  },
  reference(inputs) {
    return pure(() => {
      const m = (a: string) => tensor(inputs[a]!) as tf.Tensor2D;
      const E = m('E');
      let h = tf.reshape(tensor(inputs.h!), [1, HIDDEN]) as tf.Tensor2D;
      let w = inputs.bos as number;
      const out: number[] = [];
      for (let step = 0; step < (inputs.n_steps as number); step++) {
        const x = tf.slice(E, [w, 0], [1, EMBED]);
        h = tf.tanh(tf.add(tf.matMul(x, m('W_x')), tf.matMul(h, m('W_h'))));
        const p = tf.softmax(tf.matMul(h, m('W_o')));
        w = tf.argMax(p, 1).dataSync()[0]!;
        out.push(w);
      }
      const blanks: JsonValue[] = [...out];
      return { result: out, blanks };
    });
  },
};
