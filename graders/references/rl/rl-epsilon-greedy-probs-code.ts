import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { argmaxRow, qTable } from './table';

// n_states ≠ n_actions, so a per-state vector and a per-action vector never have the same shape.
const STATES = 5;
const ACTIONS = 3;

export const rlEpsilonGreedyProbsCode: CodeGrader = {
  key: 'rl-epsilon-greedy-probs-code',
  prelude: '',
  call: 'epsilon_greedy_probs(Q, epsilon)',
  knownWrong: ['1 - epsilon / n_actions', '1 - epsilon + epsilon / (n_actions - 1)', 'epsilon'],
  cases: 6,
  makeCase(rng, index) {
    // Case 4: epsilon = 1 (a uniformly random policy); case 5: epsilon = 0 (the greedy policy).
    const epsilon = index === 4 ? 1 : index === 5 ? 0 : rng.pick([0.1, 0.2, 0.3, 0.05]);
    return { Q: qTable(rng, STATES, ACTIONS), epsilon };
  },
  reference(inputs) {
    const Q = inputs.Q as JsonArray;
    const epsilon = inputs.epsilon as number;
    const greedyProb = 1 - epsilon + epsilon / ACTIONS;
    const data: number[] = [];
    for (let s = 0; s < STATES; s++) {
      const best = argmaxRow(Q, s);
      for (let a = 0; a < ACTIONS; a++) data.push(Math.fround(a === best ? greedyProb : epsilon / ACTIONS));
    }
    return { result: { dtype: 'float32', shape: [STATES, ACTIONS], data }, blanks: [greedyProb] };
  },
};
