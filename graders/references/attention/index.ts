import type { CodeGrader } from '../../code/types';
import { attentionSoftmaxFunction } from './attention-softmax-function';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [attentionSoftmaxFunction];
