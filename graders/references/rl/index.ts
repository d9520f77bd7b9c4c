import type { CodeGrader } from '../../code/types';
import { rlDiscountedReturnCode } from './rl-discounted-return-code';
import { rlDoubleDqnTargetCode } from './rl-double-dqn-target-code';
import { rlDqnTargetCode } from './rl-dqn-target-code';
import { rlEpsilonGreedyProbsCode } from './rl-epsilon-greedy-probs-code';
import { rlQLearningStepFunction } from './rl-q-learning-step-function';
import { rlReplaySampleCode } from './rl-replay-sample-code';
import { rlSarsaUpdateCode } from './rl-sarsa-update-code';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [
  rlSarsaUpdateCode,
  rlDiscountedReturnCode,
  rlEpsilonGreedyProbsCode,
  rlQLearningStepFunction,
  rlDqnTargetCode,
  rlReplaySampleCode,
  rlDoubleDqnTargetCode,
];
