import type { CodeGrader } from '../../code/types';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [];
