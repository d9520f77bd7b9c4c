/** Answers to the text items of rl: right spellings that must be accepted, near-misses that must not. */
export const nearMisses: Record<string, { right: string[]; wrong: string[] }> = {
  'rl-off-policy-term': {
    right: ['方策オフ型', 'オフポリシー学習', '方策オフ型の学習', 'off-policy学習', '方策オフ学習', '方策オフ型学習', 'Off-Policy', 'オフポリシー型手法', '方策オフ型（off-policy）'],
    wrong: ['方策オン型', 'オンポリシー', 'on-policy 学習', 'オフライン学習', '方策勾配法'],
  },
  'rl-markov-property-term': {
    right: ['マルコフ性', 'Markov property', 'マルコフ性（Markov property）', 'the Markov property', 'マルコフ性質'],
    wrong: ['マルコフ決定過程', 'マルコフ連鎖', 'MDP', 'エルゴード性', '定常性'],
  },
};
