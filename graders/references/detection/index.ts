import type { CodeGrader } from '../../code/types';
import { detectionFocalLossCode } from './detection-focal-loss-code';
import { detectionIouMatrixClipCode } from './detection-iou-matrix-clip-code';
import { detectionNmsFunction } from './detection-nms-function';
import { detectionPrCumsumCode } from './detection-pr-cumsum-code';
import { detectionRoiMaxPoolCode } from './detection-roi-max-pool-code';
import { detectionRoialignBilinearCode } from './detection-roialign-bilinear-code';
import { detectionSegMiouDiceCode } from './detection-seg-miou-dice-code';
import { detectionSsdDecodeCode } from './detection-ssd-decode-code';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [detectionIouMatrixClipCode, detectionPrCumsumCode, detectionSsdDecodeCode, detectionNmsFunction, detectionFocalLossCode, detectionSegMiouDiceCode, detectionRoialignBilinearCode, detectionRoiMaxPoolCode];
