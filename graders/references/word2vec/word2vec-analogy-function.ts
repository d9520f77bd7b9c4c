import type { JsonArray } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf } from '../tensors';

/** The best cosine must beat the runner-up by this much, so float32 rounding never changes the answer. */
const MARGIN = 0.03;

interface Analogy {
  a: number;
  b: number;
  c: number;
  W: JsonArray;
}

function rows(W: JsonArray): number[][] {
  const [v, d] = W.shape as [number, number];
  return Array.from({ length: v }, (_, i) => (W.data as number[]).slice(i * d, (i + 1) * d));
}

const dot = (x: number[], y: number[]) => x.reduce((s, xi, i) => s + xi * y[i]!, 0);
const norm = (x: number[]) => Math.sqrt(dot(x, x));

/** Scores of every word in float64 (cosine or plain dot product), and the best word with its margin. */
function rank(c: Analogy, score: 'cos' | 'dot', exclude: boolean) {
  const W = rows(c.W);
  const q = W[c.b]!.map((x, j) => x - W[c.a]![j]! + W[c.c]![j]!);
  const s = W.map((w, i) => (exclude && (i === c.a || i === c.b || i === c.c) ? -Infinity : score === 'cos' ? dot(w, q) / (norm(w) * norm(q)) : dot(w, q)));
  const order = s.map((_, i) => i).sort((i, j) => s[j]! - s[i]!);
  return { best: order[0]!, margin: s[order[0]!]! - s[order[1]!]! };
}

function draw(rng: CaseRng, index: number): Analogy {
  const vocab = rng.int(8, 11);
  const embed = rng.int(4, 6);
  const W = rng.normalArray([vocab, embed]);
  // a random order of the word ids: the first five play a, b, c, the planted answer t and a long vector l
  const ids = Array.from({ length: vocab }, (_, i) => i);
  for (let i = vocab - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  const [ia, ib, ic, it, il] = ids as [number, number, number, number, number];
  const set = (i: number, f: (j: number) => number) => {
    const row = Array.from({ length: embed }, (_, j) => f(j));
    for (let j = 0; j < embed; j++) W.data[i * embed + j] = Math.fround(row[j]!);
  };
  const get = (i: number, j: number) => W.data[i * embed + j] as number;
  // 0 and 3: a planted analogy (the answer t is b − a + c plus a little noise).
  if (index === 0 || index === 3) set(it, (j) => get(ib, j) - get(ia, j) + get(ic, j) + rng.normal(0, 0.4));
  // 2: a long vector (a frequent word) that wins on the dot product but not on the cosine.
  if (index === 2) {
    const scale = rng.uniform(3, 5);
    set(il, (j) => get(il, j) * scale);
  }
  return { a: ia, b: ib, c: ic, W };
}

/** The condition case `index` is drawn for (beyond a clear winner). */
function fits(c: Analogy, index: number): boolean {
  const cos = rank(c, 'cos', true);
  if (cos.margin < MARGIN) return false;
  // 1 and 4: without the exclusion the nearest word would be a, b or c itself.
  if (index === 1 || index === 4) return rank(c, 'cos', false).best !== cos.best;
  if (index === 2) return rank(c, 'dot', true).best !== cos.best;
  return true;
}

export const word2vecAnalogyFunction: CodeGrader = {
  key: 'word2vec-analogy-function',
  prelude: '',
  call: 'analogy(a, b, c, W)',
  knownWrong: [
    // a, b and c are not excluded
    'def analogy(a, b, c, W):\n    q = W[b] - W[a] + W[c]\n    sims = W.dot(q) / (np.linalg.norm(W, axis=1) * np.linalg.norm(q))\n    return np.argmax(sims)',
    // dot product instead of the cosine
    'def analogy(a, b, c, W):\n    q = W[b] - W[a] + W[c]\n    sims = W.dot(q)\n    sims[[a, b, c]] = -np.inf\n    return np.argmax(sims)',
    // the signs of a and b swapped
    'def analogy(a, b, c, W):\n    q = W[a] - W[b] + W[c]\n    sims = W.dot(q) / (np.linalg.norm(W, axis=1) * np.linalg.norm(q))\n    sims[[a, b, c]] = -np.inf\n    return np.argmax(sims)',
    // the norm of the whole matrix instead of each word's norm
    'def analogy(a, b, c, W):\n    q = W[b] - W[a] + W[c]\n    sims = W.dot(q) / (np.linalg.norm(W) * np.linalg.norm(q))\n    sims[[a, b, c]] = -np.inf\n    return np.argmax(sims)',
  ],
  cases: 6,
  makeCase(rng, index) {
    let c = draw(rng, index);
    for (let tries = 0; tries < 500 && !fits(c, index); tries++) c = draw(rng, index);
    return { ...c };
  },
  reference(inputs) {
    return pure(() => {
      const W = tensor(inputs.W!) as tf.Tensor2D;
      const row = (k: string) => tf.gather(W, inputs[k] as number);
      const q = tf.add(tf.sub(row('b'), row('a')), row('c'));
      const sims = Array.from(tf.div(tf.sum(tf.mul(W, q), 1), tf.mul(tf.norm(W, 'euclidean', 1), tf.norm(q))).dataSync());
      for (const k of ['a', 'b', 'c']) sims[inputs[k] as number] = -Infinity;
      const best = sims.indexOf(Math.max(...sims));
      return { result: best, blanks: null };
    });
  },
};
