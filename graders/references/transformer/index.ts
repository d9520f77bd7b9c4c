import type { CodeGrader } from '../../code/types';
import { transformerAttentionFunction } from './transformer-attention-function';
import { transformerBleuClippedCountCode } from './transformer-bleu-clipped-count-code';
import { transformerMhaSplitHeadsCode } from './transformer-mha-split-heads-code';
import { transformerPeAngleCode } from './transformer-pe-angle-code';
import { transformerLabelSmoothingCode } from './transformer-label-smoothing-code';
import { transformerVitPatchCode } from './transformer-vit-patch-code';
import { transformerMhaClassSplitHeads } from './transformer-mha-class-split-heads';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [transformerPeAngleCode, transformerMhaSplitHeadsCode, transformerBleuClippedCountCode, transformerAttentionFunction, transformerLabelSmoothingCode, transformerVitPatchCode, transformerMhaClassSplitHeads];
