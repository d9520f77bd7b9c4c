/** Answers to the text items of compression: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'compression-lottery-ticket': {
    right: ['宝くじ仮説', '宝くじ仮説（lottery ticket hypothesis）', 'Lottery Ticket Hypothesis', 'the lottery ticket hypothesis', 'ロッタリー・チケット仮説', 'ロッタリーチケット仮説', '宝くじ券仮説'],
    wrong: ['宝くじ', '当たりくじ', 'winning ticket', '反復的プルーニング', '多様体仮説'],
  },
};
