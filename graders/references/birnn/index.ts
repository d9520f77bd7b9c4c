import type { CodeGrader } from '../../code/types';
import { birnnConcat } from './birnn-concat';
import { birnnReversePadded } from './birnn-reverse-padded';
import { birnnBackwardGradSplit } from './birnn-backward-grad-split';
import { birnnForwardFunction } from './birnn-forward-function';
import { birnnCtcGreedyDecode } from './birnn-ctc-greedy-decode';
import { birnnBackwardMasked } from './birnn-backward-masked';
import { birnnTimebirnnClassForward } from './birnn-timebirnn-class-forward';
import { birnnTimebirnnClassBackward } from './birnn-timebirnn-class-backward';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [
  birnnConcat,
  birnnReversePadded,
  birnnBackwardGradSplit,
  birnnForwardFunction,
  birnnCtcGreedyDecode,
  birnnBackwardMasked,
  birnnTimebirnnClassForward,
  birnnTimebirnnClassBackward,
];
