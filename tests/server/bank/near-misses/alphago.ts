/** Answers to the text items of alphago: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'alphago-final-move-term': {
    right: ['訪問回数', 'visit count', '訪問回数（visit count）', 'the visit count', '訪問数', 'N(s,a)'],
    wrong: ['行動価値', 'Q値', '事前確率', '勝率', 'UCB'],
  },
};
