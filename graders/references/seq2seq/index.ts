import type { CodeGrader } from '../../code/types';
import { seq2seqEmbedding } from './seq2seq-embedding';
import { seq2seqVaeReparamSample } from './seq2seq-vae-reparam-sample';
import { seq2seqGreedyArgmax } from './seq2seq-greedy-argmax';
import { seq2seqBeamStepFunction } from './seq2seq-beam-step-function';
import { seq2seqTopKFilter } from './seq2seq-top-k-filter';
import { seq2seqTeacherForcingShift } from './seq2seq-teacher-forcing-shift';
import { seq2seqEncoderClassForward } from './seq2seq-encoder-class-forward';
import { seq2seqDecoderClassForward } from './seq2seq-decoder-class-forward';

/** The code items of this chapter. */
export const graders: CodeGrader[] = [
  seq2seqEmbedding,
  seq2seqVaeReparamSample,
  seq2seqGreedyArgmax,
  seq2seqBeamStepFunction,
  seq2seqTopKFilter,
  seq2seqTeacherForcingShift,
  seq2seqEncoderClassForward,
  seq2seqDecoderClassForward,
];
