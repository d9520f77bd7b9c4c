import type { CodeGrader } from '../../code/types';
import { rnnTreeConcat } from './rnn-tree-concat';
import { rnnBpttDelta } from './rnn-bptt-delta';
import { rnnChainRule } from './rnn-chain-rule';
import { rnnY1Formula } from './rnn-y1-formula';
import { rnnForwardFunction } from './rnn-forward-function';
import { rnnPerplexityCode } from './rnn-perplexity-code';
import { rnnStackedForward } from './rnn-stacked-forward';
import { rnnCellClassBackward } from './rnn-cell-class-backward';
import { rnnTimeClassBackward } from './rnn-time-class-backward';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [rnnTreeConcat, rnnBpttDelta, rnnChainRule, rnnY1Formula, rnnForwardFunction, rnnPerplexityCode, rnnStackedForward, rnnCellClassBackward, rnnTimeClassBackward];
