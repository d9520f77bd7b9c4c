/** Answers to the text items of birnn: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'birnn-ctc-blank-term': {
    right: ['ブランク', 'blank', 'ブランクラベル', 'ブランク（blank）', '空白ラベル', 'the blank'],
    wrong: ['パディング', 'EOS', '終端記号', 'マスク'],
  },
};
