import type { CodeGrader } from '../../code/types';
import { seq2seqEmbedding } from './seq2seq-embedding';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [seq2seqEmbedding];
