import type { CodeGrader } from '../../code/types';
import { batchnormForwardFunction } from './batchnorm-forward-function';
import { densenetBlockConcat } from './densenet-block-concat-code';
import { mobilenetCostDepthwise, mobilenetCostPointwise } from './mobilenet-cost';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [mobilenetCostDepthwise, mobilenetCostPointwise, densenetBlockConcat, batchnormForwardFunction];
