import type { CodeGrader } from '../../code/types';
import { detectionIouMatrixClipCode } from './detection-iou-matrix-clip-code';
import { detectionNmsFunction } from './detection-nms-function';
import { detectionPrCumsumCode } from './detection-pr-cumsum-code';
import { detectionSsdDecodeCode } from './detection-ssd-decode-code';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [detectionIouMatrixClipCode, detectionPrCumsumCode, detectionSsdDecodeCode, detectionNmsFunction];
