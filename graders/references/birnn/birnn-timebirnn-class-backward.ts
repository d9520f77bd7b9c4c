import type { CodeGrader } from '../../code/types';
import {
  BIRNN_CLASS_CALL,
  BIRNN_CLASS_CASES,
  BIRNN_CLASS_PRELUDE,
  BIRNN_CLASS_RESULT_NAMES,
  birnnClassReference,
  makeBirnnClassCase,
} from './birnn-timebirnn-class-forward';

// Same layer, inputs and tfjs-autodiff reference as birnn-timebirnn-class-forward; the blank is the gradient
// TimeBiRNN.backward hands to the backward direction's TimeRNN (its half of dout, in that layer's time order).
export const birnnTimebirnnClassBackward: CodeGrader = {
  key: 'birnn-timebirnn-class-backward',
  prelude: BIRNN_CLASS_PRELUDE,
  call: BIRNN_CLASS_CALL,
  resultNames: BIRNN_CLASS_RESULT_NAMES,
  knownWrong: [
    // not reversed: step t of the backward layer gets the gradient of original time t
    'dout[:, :, H:]',
    // the forward direction's half
    'dout[:, ::-1, :H]',
    // the batch axis flipped instead of the time axis
    'np.flip(dout[:, :, H:], axis=0)',
    'dout[::-1, :, H:]',
    // the forward direction's half, not reversed
    'dout[:, :, :H]',
  ],
  cases: BIRNN_CLASS_CASES,
  makeCase: makeBirnnClassCase,
  reference: birnnClassReference,
};
