import type { CodeGrader } from '../../code/types';
import { word2vecSkipgramLookup } from './word2vec-skipgram-lookup';
import { word2vecCbowBatchMean } from './word2vec-cbow-batch-mean';
import { word2vecCosineLoop } from './word2vec-cosine-loop';
import { word2vecAnalogyFunction } from './word2vec-analogy-function';
import { word2vecEmbeddingBackward } from './word2vec-embedding-backward';
import { word2vecNsGradient } from './word2vec-ns-gradient';
import { word2vecNoiseProbs } from './word2vec-noise-probs';
import { word2vecEmbeddingClassBackward } from './word2vec-embedding-class-backward';
import { word2vecEmbeddingdotClassBackward } from './word2vec-embeddingdot-class-backward';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [
  word2vecSkipgramLookup,
  word2vecCbowBatchMean,
  word2vecCosineLoop,
  word2vecAnalogyFunction,
  word2vecEmbeddingBackward,
  word2vecNsGradient,
  word2vecNoiseProbs,
  word2vecEmbeddingClassBackward,
  word2vecEmbeddingdotClassBackward,
];
