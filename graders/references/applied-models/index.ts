import type { CodeGrader } from '../../code/types';
import { mobilenetCostDepthwise, mobilenetCostPointwise } from './mobilenet-cost';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [mobilenetCostDepthwise, mobilenetCostPointwise];
