import type { CodeGrader } from '../../code/types';
import { rnnGradientClipping } from './rnn-gradient-clipping';
import { lstmCecUpdate } from './lstm-cec-update';
import { lstmCellBackwardDc } from './lstm-cell-backward-dc';
import { lstmCellFunction } from './lstm-cell-function';
import { lstmBackwardGateGrads } from './lstm-backward-gate-grads';
import { lstmBackwardStackGrads } from './lstm-backward-stack-grads';
import { lstmPeepholeOutputGate } from './lstm-peephole-output-gate';
import { lstmCellClassBackward } from './lstm-cell-class-backward';
import { lstmTimeClassStateful } from './lstm-time-class-stateful';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [rnnGradientClipping, lstmCecUpdate, lstmCellBackwardDc, lstmCellFunction, lstmBackwardGateGrads, lstmBackwardStackGrads, lstmPeepholeOutputGate, lstmCellClassBackward, lstmTimeClassStateful];
