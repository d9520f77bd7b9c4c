/** Answers to the text items of word2vec: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'word2vec-distributional-hypothesis': {
    right: ['分布仮説（distributional hypothesis）', 'the distributional hypothesis', 'Distributional Hypothesis', '分布仮説'],
    wrong: ['分散表現', '分散仮説', 'distributed representation', '分布意味論'],
  },
};
