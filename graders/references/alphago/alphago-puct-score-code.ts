import type { JsonArray } from '../../numpy/json-values';
import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

const MOVES = 6;

/** Visit counts with some unvisited moves, total values consistent with them, priors that sum to 1. */
function node(rng: CaseRng) {
  const N = Array.from({ length: MOVES }, () => (rng.uniform() < 0.3 ? 0 : rng.int(1, 40)));
  N[rng.int(0, MOVES - 1)] = 0; // at least one move not yet visited
  const W = N.map((n) => Math.fround(n * rng.uniform(-0.9, 0.9)));
  const logits = Array.from({ length: MOVES }, () => rng.normal(0, 1));
  const z = logits.reduce((s, x) => s + Math.exp(x), 0);
  const P = logits.map((x) => Math.fround(Math.exp(x) / z));
  return {
    W: { dtype: 'float32', shape: [MOVES], data: W } as JsonArray,
    N: { dtype: 'int32', shape: [MOVES], data: N } as JsonArray,
    P: { dtype: 'float32', shape: [MOVES], data: P } as JsonArray,
  };
}

export const alphagoPuctScoreCode: CodeGrader = {
  key: 'alphago-puct-score-code',
  prelude: '',
  call: 'puct_scores(W, N, P, c_puct)',
  knownWrong: ['c_puct * P * np.sqrt(np.sum(N)) / N', 'P * np.sqrt(np.sum(N)) / (1 + N)', 'c_puct * P * np.sqrt(np.sum(N) / (1 + N))'],
  cases: 6,
  makeCase(rng) {
    return { ...node(rng), c_puct: rng.pick([1.5, 2, 3, 0.5]) };
  },
  reference(inputs) {
    return pure(() => {
      const W = tensor(inputs.W!);
      const N = tensor(inputs.N!);
      const P = tensor(inputs.P!);
      const c = inputs.c_puct as number;
      const Q = tf.where(tf.greater(N, 0), tf.div(W, tf.maximum(N, 1)), tf.zerosLike(W));
      const U = tf.div(tf.mul(tf.mul(c, P), tf.sqrt(tf.sum(N))), tf.add(1, N));
      return { result: toArray(tf.add(Q, U)), blanks: [toArray(U)] };
    });
  },
};
