import type { CodeGrader } from '../../code/types';
import { seq2seqEmbedding } from './seq2seq-embedding';
import { seq2seqVaeReparamSample } from './seq2seq-vae-reparam-sample';
import { seq2seqGreedyArgmax } from './seq2seq-greedy-argmax';
import { seq2seqBeamStepFunction } from './seq2seq-beam-step-function';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [seq2seqEmbedding, seq2seqVaeReparamSample, seq2seqGreedyArgmax, seq2seqBeamStepFunction];
