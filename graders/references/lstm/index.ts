import type { CodeGrader } from '../../code/types';
import { rnnGradientClipping } from './rnn-gradient-clipping';
import { lstmCecUpdate } from './lstm-cec-update';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [rnnGradientClipping, lstmCecUpdate];
