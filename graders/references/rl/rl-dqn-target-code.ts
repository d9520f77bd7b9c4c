import type { JsonArray } from '../../numpy/json-values';
import type { CodeGrader } from '../../code/types';
import { pure, tensor, tf, toArray } from '../tensors';

// batch ≠ n_actions, so a max over the wrong axis gives a vector of the wrong length.
const BATCH = 6;
const ACTIONS = 4;

export const rlDqnTargetCode: CodeGrader = {
  key: 'rl-dqn-target-code',
  prelude: '',
  call: 'dqn_targets(rewards, q_next, dones, gamma)',
  knownWrong: [
    'rewards + gamma * np.max(q_next, axis=0) * (1 - dones)',
    '(rewards + gamma * np.max(q_next, axis=1)) * (1 - dones)',
    'rewards + gamma * np.mean(q_next, axis=1) * (1 - dones)',
    'rewards + np.max(q_next, axis=1) * (1 - dones)',
  ],
  cases: 6,
  makeCase(rng) {
    // Every case has transitions that end the episode and transitions that do not.
    const dones = Array.from({ length: BATCH }, (_, i) => (i < 2 ? i : rng.uniform() < 0.3 ? 1 : 0));
    for (let i = BATCH - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [dones[i], dones[j]] = [dones[j]!, dones[i]!];
    }
    return {
      rewards: rng.array([BATCH], () => rng.pick([-1, 0, 0, 1])),
      q_next: rng.normalArray([BATCH, ACTIONS], 2),
      dones: { dtype: 'float32', shape: [BATCH], data: dones } as JsonArray,
      gamma: rng.pick([0.99, 0.9, 0.95]),
    };
  },
  reference(inputs) {
    return pure(() => {
      const r = tensor(inputs.rewards!);
      const qNext = tensor(inputs.q_next!);
      const done = tensor(inputs.dones!);
      const gamma = inputs.gamma as number;
      const y = tf.add(r, tf.mul(tf.mul(gamma, tf.max(qNext, 1)), tf.sub(1, done)));
      return { result: toArray(y), blanks: [toArray(y)] };
    });
  },
};
