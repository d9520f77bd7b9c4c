/** Answers to the text items of seq2seq: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'vae-blank': {
    right: ['確率分布 z∼N(0,1)', '確率分布（正規分布）', '確率分布（probability distribution）', '確率分布 z〜N(0, I)', 'probability distribution'],
    wrong: ['正規分布', '潜在変数', 'ノイズ', '確率'],
  },
  'seq2seq-scheduled-sampling': {
    right: ['Scheduled Sampling', 'スケジュールド・サンプリング', 'スケジュールドサンプリング（scheduled sampling）', 'scheduled-sampling'],
    wrong: ['teacher forcing', 'ティーチャーフォーシング', 'exposure bias', 'サンプリング'],
  },
};
