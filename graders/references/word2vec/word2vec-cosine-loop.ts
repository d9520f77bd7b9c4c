import type { JsonArray, JsonValue } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// vocab ≠ embed.
const VOCAB = 8;
const EMBED = 5;

export const word2vecCosineLoop: CodeGrader = {
  key: 'word2vec-cosine-loop',
  prelude: '',
  call: 'similarities(query, W)',
  knownWrong: [
    'np.dot(q, v) / np.linalg.norm(q) ** 2',
    'np.dot(q, v) / (np.linalg.norm(q) * np.linalg.norm(q))',
    'np.linalg.norm(q - v)',
    'np.dot(q, q) / (np.linalg.norm(q) * np.linalg.norm(v))',
  ],
  cases: 6,
  makeCase(rng, index) {
    const W = rng.normalArray([VOCAB, EMBED]);
    const query = rng.int(0, VOCAB - 1);
    const row = (i: number, f: (x: number, j: number) => number) => {
      for (let j = 0; j < EMBED; j++) W.data[i * EMBED + j] = Math.fround(f(W.data[i * EMBED + j] as number, j));
    };
    // Every case has one long word vector (norms matter); case 2 adds a word pointing the opposite way (cos = -1)
    // and case 4 a word with the query's direction but 3 times its length (cos = 1, though not the same word).
    const other = (k: number) => (query + k) % VOCAB;
    if (index !== 0) row(other(1), (x) => x * rng.uniform(3, 5));
    if (index === 2) row(other(2), (_, j) => -0.5 * (W.data[query * EMBED + j] as number));
    if (index === 4) row(other(3), (_, j) => 3 * (W.data[query * EMBED + j] as number));
    if (index === 5) row(other(2), (x) => x * 0.1);
    return { query, W };
  },
  reference(inputs) {
    return pure(() => {
      const W = tensor(inputs.W!) as tf.Tensor2D;
      const q = tf.gather(W, inputs.query as number);
      const sims = tf.div(tf.sum(tf.mul(W, q), 1), tf.mul(tf.norm(W, 'euclidean', 1), tf.norm(q)));
      const result = toArray(sims) as JsonArray;
      const blanks: JsonValue[] = [...(result.data as number[])];
      return { result, blanks };
    });
  },
};
