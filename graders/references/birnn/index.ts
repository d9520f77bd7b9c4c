import type { CodeGrader } from '../../code/types';
import { birnnConcat } from './birnn-concat';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [birnnConcat];
