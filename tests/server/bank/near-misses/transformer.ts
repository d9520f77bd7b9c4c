/** Answers to the text items of transformer: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'transformer-source-target-attention': {
    right: [
      'エンコーダー・デコーダー・アテンション',
      'ソースターゲット注意機構',
      'ソース・ターゲット・アテンション',
      'Source-Target-Attention',
      '交差注意',
      'Cross-Attention',
      'クロス・アテンション',
      'source target attention',
    ],
    wrong: ['Self-Attention', 'セルフアテンション', 'マスク付き Self-Attention', 'Multi-Head Attention'],
  },
  'transformer-bert-mlm-term': {
    right: ['マスク言語モデル', 'masked language modeling', 'MLM（Masked Language Model）', 'マスクド・ランゲージ・モデル', 'Masked LMタスク'],
    wrong: ['Next Sentence Prediction', '次文予測', '自己回帰言語モデル', 'Causal Language Model', '言語モデル'],
  },
};
