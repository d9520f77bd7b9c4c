import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { argmaxRow, cell, qTable, rowMax, withCell } from './table';

const fn = (body: string) => `def q_learning_step(Q, s, a, r, s_next, done, alpha, gamma):\n${body}`;

export const rlQLearningStepFunction: CodeGrader = {
  key: 'rl-q-learning-step-function',
  prelude: '',
  call: 'q_learning_step(Q, s, a, r, s_next, done, alpha, gamma)',
  knownWrong: [
    // ignores done: bootstraps from the terminal state
    fn('    Q = Q.copy()\n    Q[s, a] += alpha * (r + gamma * np.max(Q[s_next]) - Q[s, a])\n    return Q'),
    // Sarsa-like: uses the same action a in the next state instead of the max
    fn('    Q = Q.copy()\n    target = r if done else r + gamma * Q[s_next, a]\n    Q[s, a] += alpha * (target - Q[s, a])\n    return Q'),
    // max over the whole table
    fn('    Q = Q.copy()\n    target = r if done else r + gamma * np.max(Q)\n    Q[s, a] += alpha * (target - Q[s, a])\n    return Q'),
    // replaces the value by the target instead of moving towards it
    fn('    Q = Q.copy()\n    target = r if done else r + gamma * np.max(Q[s_next])\n    Q[s, a] = alpha * target\n    return Q'),
  ],
  cases: 7,
  makeCase(rng, index) {
    const states = rng.int(5, 8);
    const actions = rng.int(2, 4);
    const Q = qTable(rng, states, actions);
    const s = rng.int(0, states - 1);
    // Case 4: a self-loop (s_next = s); cases 3 and 6 end the episode (done = True).
    const sNext = index === 4 ? s : rng.int(0, states - 1);
    let a = rng.int(0, actions - 1);
    // Case 0: the greedy action of s_next differs from a, so a Sarsa-like answer shows up in the example.
    if (index === 0) while (a === argmaxRow(Q, sNext)) a = rng.int(0, actions - 1);
    return {
      Q,
      s,
      a,
      r: rng.pick([-1, 0, 1, 5, -10]),
      s_next: sNext,
      done: index === 3 || index === 6,
      alpha: rng.pick([0.1, 0.5, 0.2]),
      gamma: rng.pick([0.9, 0.99, 0.8]),
    };
  },
  reference(inputs) {
    const Q = inputs.Q as JsonArray;
    const [s, a, r, sNext, alpha, gamma] = ['s', 'a', 'r', 's_next', 'alpha', 'gamma'].map((k) => inputs[k] as number) as [number, number, number, number, number, number];
    const target = inputs.done ? r : r + gamma * rowMax(Q, sNext);
    return { result: withCell(Q, s, a, cell(Q, s, a) + alpha * (target - cell(Q, s, a))), blanks: null };
  },
};
