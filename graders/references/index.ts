import type { CodeGrader } from '../code/types';
import { graders as rnn } from './rnn';
import { graders as lstm } from './lstm';
import { graders as gru } from './gru';
import { graders as birnn } from './birnn';
import { graders as seq2seq } from './seq2seq';
import { graders as word2vec } from './word2vec';
import { graders as attention } from './attention';
import { graders as rl } from './rl';
import { graders as alphago } from './alphago';
import { graders as compression } from './compression';
import { graders as appliedModels } from './applied-models';
import { graders as transformer } from './transformer';
import { graders as detection } from './detection';

/** Every code item's grader, by key (a question's `grader`, or its id). One list per chapter in ./<chapter>/index.ts. */
export const GRADERS: ReadonlyMap<string, CodeGrader> = new Map(
  [rnn, lstm, gru, birnn, seq2seq, word2vec, attention, rl, alphago, compression, appliedModels, transformer, detection].flat().map((g) => [g.key, g]),
);

export function graderFor(question: { id: string; grader?: string | undefined }): CodeGrader | undefined {
  return GRADERS.get(question.grader ?? question.id);
}
