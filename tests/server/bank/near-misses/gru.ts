/** Answers to the text items of gru: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'gru-name': {
    right: ['Gated Recurrent Unit', 'Gated Recurrent Unit（GRU）', 'gated recurrent units', 'the Gated Recurrent Unit', 'Gated-Recurrent-Unit', 'GRU（Gated Recurrent Unit）'],
    wrong: ['Gated Recursive Unit', 'Gate Recurrent Unit', 'Gated Residual Unit', 'Generalized Recurrent Unit'],
  },
  'gru-update-gate-term': {
    right: ['更新ゲート', 'アップデートゲート', 'update gate', '更新ゲート（update gate）', 'the update gate'],
    wrong: ['リセットゲート', '忘却ゲート', '入力ゲート', 'reset gate'],
  },
};
