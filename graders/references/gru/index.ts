import type { CodeGrader } from '../../code/types';
import { gruUpdate } from './gru-update';
import { gruCandidateBackward } from './gru-candidate-backward';
import { gruMaskPadding } from './gru-mask-padding';
import { gruCellFunction } from './gru-cell-function';
import { gruUpdateGateBackward } from './gru-update-gate-backward';
import { gruResetGateBackward } from './gru-reset-gate-backward';
import { gruCellBackward } from './gru-cell-backward';
import { gruCellClassForward } from './gru-cell-class-forward';
import { gruCellClassBackward } from './gru-cell-class-backward';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [
  gruUpdate,
  gruCandidateBackward,
  gruMaskPadding,
  gruCellFunction,
  gruUpdateGateBackward,
  gruResetGateBackward,
  gruCellBackward,
  gruCellClassForward,
  gruCellClassBackward,
];
