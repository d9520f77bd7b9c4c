/** Answers to the text items of attention: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'attention-local-attention-term': {
    right: ['ローカル・アテンション', 'local attention', 'ローカルアテンション（local attention）', '局所的注意機構', 'Local-Attention'],
    wrong: ['グローバル Attention', 'ハード Attention', '大域的注意機構', 'ソフトアテンション'],
  },
};
