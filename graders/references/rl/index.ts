import type { CodeGrader } from '../../code/types';
import { rlDiscountedReturnCode } from './rl-discounted-return-code';
import { rlEpsilonGreedyProbsCode } from './rl-epsilon-greedy-probs-code';
import { rlQLearningStepFunction } from './rl-q-learning-step-function';
import { rlSarsaUpdateCode } from './rl-sarsa-update-code';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [rlSarsaUpdateCode, rlDiscountedReturnCode, rlEpsilonGreedyProbsCode, rlQLearningStepFunction];
