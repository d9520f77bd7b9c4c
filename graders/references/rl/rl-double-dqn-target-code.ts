import type { CodeGrader } from '../../code/types';
import type { CaseRng } from '../../code/rng';
import type { JsonArray } from '../../numpy/json-values';
import { pure, tensor, tf, toArray } from '../tensors';

// batch ≠ n_actions, so indexing with the wrong axis order fails or reads other cells.
const BATCH = 5;
const ACTIONS = 3;

/** Online and target values for the next states, drawn independently (their argmax differs in about 2 of 3 rows). */
function nextValues(rng: CaseRng): { online: JsonArray; target: JsonArray } {
  return { online: rng.normalArray([BATCH, ACTIONS], 2), target: rng.normalArray([BATCH, ACTIONS], 2) };
}

export const rlDoubleDqnTargetCode: CodeGrader = {
  key: 'rl-double-dqn-target-code',
  prelude: '',
  call: 'double_dqn_targets(rewards, q_next_online, q_next_target, dones, gamma)',
  knownWrong: [
    'q_next_target[a_star]',
    'q_next_target[a_star, np.arange(len(a_star))]',
    'np.max(q_next_online, axis=1)',
    'q_next_target[np.arange(len(a_star)), np.argmax(q_next_target, axis=1)]',
  ],
  cases: 6,
  makeCase(rng, index) {
    const { online, target } = nextValues(rng);
    const dones = Array.from({ length: BATCH }, (_, i) => (i === index % BATCH ? 1 : 0));
    return {
      rewards: rng.array([BATCH], () => rng.pick([-1, 0, 1])),
      q_next_online: online,
      q_next_target: target,
      dones: { dtype: 'float32', shape: [BATCH], data: dones } as JsonArray,
      gamma: rng.pick([0.99, 0.9]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const online = tensor(inputs.q_next_online!);
      const target = tensor(inputs.q_next_target!);
      const aStar = tf.argMax(online, 1);
      const qEval = tf.sum(tf.mul(target, tf.oneHot(aStar, ACTIONS)), 1);
      const y = tf.add(tensor(inputs.rewards!), tf.mul(tf.mul(inputs.gamma as number, qEval), tf.sub(1, tensor(inputs.dones!))));
      return { result: toArray(y), blanks: [toArray(qEval)] };
    });
  },
};
