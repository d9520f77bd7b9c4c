import type { CodeGrader } from '../../code/types';
import { attentionSoftmaxFunction } from './attention-softmax-function';
import { attentionContextVectorLoop } from './attention-context-vector-loop';
import { attentionSoftmaxBatchWeights } from './attention-softmax-batch-weights';
import { attentionAdditiveScoreLoop } from './attention-additive-score-loop';
import { attentionSoftmaxBackwardCode } from './attention-softmax-backward-code';
import { attentionDotScoreBatchCode } from './attention-dot-score-batch-code';
import { attentionWeightsumClassBackward } from './attention-weightsum-class-backward';
import { attentionWeightClassBackward } from './attention-weight-class-backward';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [attentionSoftmaxFunction, attentionContextVectorLoop, attentionSoftmaxBatchWeights, attentionAdditiveScoreLoop, attentionSoftmaxBackwardCode, attentionDotScoreBatchCode, attentionWeightsumClassBackward, attentionWeightClassBackward];
