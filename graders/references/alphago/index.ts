import type { CodeGrader } from '../../code/types';
import { alphagoBackupCode } from './alphago-backup-code';
import { alphagoInputPlanesCode } from './alphago-input-planes-code';
import { alphagoLegalSoftmaxCode } from './alphago-legal-softmax-code';
import { alphagoPuctScoreCode } from './alphago-puct-score-code';
import { alphagoRootNoiseCode } from './alphago-root-noise-code';
import { alphagoVisitPolicyCode } from './alphago-visit-policy-code';
import { alphagoZeroLossFunction } from './alphago-zero-loss-function';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [
  alphagoPuctScoreCode,
  alphagoLegalSoftmaxCode,
  alphagoVisitPolicyCode,
  alphagoZeroLossFunction,
  alphagoRootNoiseCode,
  alphagoBackupCode,
  alphagoInputPlanesCode,
];
