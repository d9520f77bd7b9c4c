import type { CodeGrader } from '../../code/types';
import { GRU_CLASS_CALL, GRU_CLASS_CASES, GRU_CLASS_PRELUDE, GRU_CLASS_RESULT_NAMES, gruClassReference, makeGruClassCase } from './gru-cell-class-forward';

// Same layer, inputs and tfjs-autodiff reference as gru-cell-class-forward; the blank is dh_prev in GRU.backward.
export const gruCellClassBackward: CodeGrader = {
  key: 'gru-cell-class-backward',
  prelude: GRU_CLASS_PRELUDE,
  call: GRU_CLASS_CALL,
  resultNames: GRU_CLASS_RESULT_NAMES,
  knownWrong: [
    // z and 1 - z swapped on the direct path
    'dh_next * z + r * drh + np.dot(daz, Whz.T) + np.dot(dar, Whr.T)',
    // the reset gate forgotten on the path through the candidate
    'dh_next * (1 - z) + drh + np.dot(daz, Whz.T) + np.dot(dar, Whr.T)',
    // only the direct path and the candidate: the gates' paths missing
    'dh_next * (1 - z) + r * drh',
    // the sigmoid derivative applied twice
    'dh_next * (1 - z) + r * drh + np.dot(daz * z * (1 - z), Whz.T) + np.dot(dar, Whr.T)',
    // the input-side weights Wxz, Wxr in place of Whz, Whr
    'dh_next * (1 - z) + r * drh + np.dot(daz, Wxz.T) + np.dot(dar, Wxr.T)',
    // the direct path missing
    'r * drh + np.dot(daz, Whz.T) + np.dot(dar, Whr.T)',
  ],
  cases: GRU_CLASS_CASES,
  makeCase: makeGruClassCase,
  reference: gruClassReference,
};
