import type { CodeGrader } from '../../code/types';
import { batchnormForwardFunction } from './batchnorm-forward-function';
import { densenetBlockConcat } from './densenet-block-concat-code';
import { mobilenetCostDepthwise, mobilenetCostPointwise } from './mobilenet-cost';
import { normalizationGroupnormCode } from './normalization-groupnorm-code';
import { wavenetGatedActivationCode } from './wavenet-gated-activation-code';
import { wavenetMuLawCode } from './wavenet-mu-law-code';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [mobilenetCostDepthwise, mobilenetCostPointwise, densenetBlockConcat, batchnormForwardFunction, wavenetMuLawCode, wavenetGatedActivationCode, normalizationGroupnormCode];
