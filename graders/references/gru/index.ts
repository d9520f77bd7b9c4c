import type { CodeGrader } from '../../code/types';
import { gruUpdate } from './gru-update';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [gruUpdate];
