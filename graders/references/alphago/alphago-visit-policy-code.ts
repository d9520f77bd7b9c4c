import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// Several root positions at once; positions ≠ moves so a sum over the wrong axis is visible.
const POSITIONS = 3;
const MOVES = 8;

export const alphagoVisitPolicyCode: CodeGrader = {
  key: 'alphago-visit-policy-code',
  prelude: '',
  call: 'visit_count_policy(N, tau)',
  knownWrong: [
    'N ** 1 / tau / np.sum(N ** 1 / tau, axis=1, keepdims=True)',
    'np.exp(N / tau) / np.sum(np.exp(N / tau), axis=1, keepdims=True)',
    'N ** (1 / tau) / np.sum(N ** (1 / tau), axis=0, keepdims=True)',
  ],
  cases: 6,
  makeCase(rng) {
    const N: number[] = [];
    for (let p = 0; p < POSITIONS; p++) {
      // 100 simulations spread unevenly; some moves are never visited.
      const weights = Array.from({ length: MOVES }, () => (rng.uniform() < 0.25 ? 0 : rng.uniform() ** 2));
      weights[rng.int(0, MOVES - 1)] = 1.5;
      const total = weights.reduce((a, b) => a + b, 0);
      N.push(...weights.map((w) => Math.round((100 * w) / total)));
    }
    return { N: { dtype: 'int32', shape: [POSITIONS, MOVES], data: N }, tau: rng.pick([0.5, 0.25, 2, 0.5]) };
  },
  reference(inputs) {
    return pure(() => {
      const x = tf.pow(tensor(inputs.N!), 1 / (inputs.tau as number));
      const pi = toArray(tf.div(x, tf.sum(x, 1, true)));
      return { result: pi, blanks: [pi] };
    });
  },
};
