import type { CodeGrader } from '../code/types';
import { attentionSoftmaxFunction } from './attention-softmax-function';
import { birnnConcat } from './birnn-concat';
import { gruUpdate } from './gru-update';
import { lstmCecUpdate } from './lstm-cec-update';
import { mobilenetCostDepthwise, mobilenetCostPointwise } from './mobilenet-cost';
import { rnnBpttDelta } from './rnn-bptt-delta';
import { rnnChainRule } from './rnn-chain-rule';
import { rnnGradientClipping } from './rnn-gradient-clipping';
import { rnnTreeConcat } from './rnn-tree-concat';
import { rnnY1Formula } from './rnn-y1-formula';
import { seq2seqEmbedding } from './seq2seq-embedding';

/** Every code item's grader, by key (a question's `grader`, or its id). */
export const GRADERS: ReadonlyMap<string, CodeGrader> = new Map(
  [
    rnnTreeConcat,
    rnnBpttDelta,
    rnnGradientClipping,
    lstmCecUpdate,
    gruUpdate,
    birnnConcat,
    seq2seqEmbedding,
    rnnChainRule,
    rnnY1Formula,
    mobilenetCostDepthwise,
    mobilenetCostPointwise,
    attentionSoftmaxFunction,
  ].map((g) => [g.key, g]),
);

export function graderFor(question: { id: string; grader?: string | undefined }): CodeGrader | undefined {
  return GRADERS.get(question.grader ?? question.id);
}
