import type { CodeGrader } from '../../code/types';
import { word2vecSkipgramLookup } from './word2vec-skipgram-lookup';
import { word2vecCbowBatchMean } from './word2vec-cbow-batch-mean';
import { word2vecCosineLoop } from './word2vec-cosine-loop';
import { word2vecAnalogyFunction } from './word2vec-analogy-function';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [word2vecSkipgramLookup, word2vecCbowBatchMean, word2vecCosineLoop, word2vecAnalogyFunction];
