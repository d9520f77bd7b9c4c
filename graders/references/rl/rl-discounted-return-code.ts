import type { CodeGrader } from '../../code/types';

export const rlDiscountedReturnCode: CodeGrader = {
  key: 'rl-discounted-return-code',
  prelude: '',
  call: 'discounted_returns(rewards, gamma)',
  knownWrong: ['rewards[t] + gamma * G[t]', 'rewards[t] * gamma ** t + g', 'rewards[t + 1] + gamma * g'],
  cases: 6,
  makeCase(rng, index) {
    const T = rng.int(4, 7);
    const rewards = Array.from({ length: T }, () => rng.pick([-1, 0, 0, 1, 2, 5]));
    rewards[T - 1] = rng.pick([-10, 10, 3]); // the episode ends with a win or a loss
    // Case 5: gamma = 0, so every return is the immediate reward.
    const gamma = index === 5 ? 0 : rng.pick([0.9, 0.8, 0.5, 0.95]);
    return { rewards: { dtype: 'float32', shape: [T], data: rewards }, gamma };
  },
  reference(inputs) {
    const rewards = (inputs.rewards as { data: number[] }).data;
    const gamma = inputs.gamma as number;
    const G = new Array<number>(rewards.length).fill(0);
    const blanks: number[] = [];
    let g = 0;
    for (let t = rewards.length - 1; t >= 0; t--) {
      g = rewards[t]! + gamma * g;
      G[t] = Math.fround(g);
      blanks.push(g);
    }
    return { result: { dtype: 'float32', shape: [rewards.length], data: G }, blanks };
  },
};
