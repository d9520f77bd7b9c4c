import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { argmaxRow, cell, qTable, withCell } from './table';

// n_states ≠ n_actions: indexing the table as Q[a, s] fails or reads another cell.
const STATES = 6;
const ACTIONS = 4;

export const rlSarsaUpdateCode: CodeGrader = {
  key: 'rl-sarsa-update-code',
  prelude: '',
  call: 'sarsa_update(Q, s, a, r, s_next, a_next, alpha, gamma)',
  knownWrong: ['r + Q[s_next, a_next] - Q[s, a]', 'Q[s, a] - (r + gamma * Q[s_next, a_next])', 'gamma * (r + Q[s_next, a_next]) - Q[s, a]'],
  cases: 6,
  makeCase(rng, index) {
    const Q = qTable(rng, STATES, ACTIONS);
    const s = rng.int(0, STATES - 1);
    const sNext = rng.int(0, STATES - 1);
    const greedy = argmaxRow(Q, sNext);
    // Case 3: the next action happens to be the greedy one (Sarsa and Q-learning agree); otherwise an exploring one.
    let aNext = greedy;
    if (index !== 3) while (aNext === greedy) aNext = rng.int(0, ACTIONS - 1);
    return {
      Q,
      s,
      a: rng.int(0, ACTIONS - 1),
      r: rng.pick([-1, 1, 2, -5, 10]),
      s_next: sNext,
      a_next: aNext,
      alpha: rng.pick([0.1, 0.2, 0.5]),
      gamma: rng.pick([0.9, 0.8, 0.95]),
    };
  },
  reference(inputs) {
    const Q = inputs.Q as JsonArray;
    const [s, a, r, sNext, aNext, alpha, gamma] = ['s', 'a', 'r', 's_next', 'a_next', 'alpha', 'gamma'].map((k) => inputs[k] as number) as [number, number, number, number, number, number, number];
    const tdError = r + gamma * cell(Q, sNext, aNext) - cell(Q, s, a);
    return { result: withCell(Q, s, a, cell(Q, s, a) + alpha * tdError), blanks: [tdError] };
  },
};
