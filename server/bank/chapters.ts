/** The course's chapters in teaching order (Day 3, then Day 4). Slugs are stable ids. */
export const CHAPTERS = [
  { slug: 'rnn', title: '再帰型ニューラルネットワーク（RNN）', day: 3 },
  { slug: 'lstm', title: 'LSTM', day: 3 },
  { slug: 'gru', title: 'GRU', day: 3 },
  { slug: 'birnn', title: '双方向RNN', day: 3 },
  { slug: 'seq2seq', title: 'seq2seq（HRED・VHRED・VAE）', day: 3 },
  { slug: 'word2vec', title: 'word2vec', day: 3 },
  { slug: 'attention', title: 'Attention Mechanism', day: 3 },
  { slug: 'rl', title: '強化学習', day: 4 },
  { slug: 'alphago', title: 'AlphaGo', day: 4 },
  { slug: 'compression', title: '軽量化・高速化', day: 4 },
  { slug: 'applied-models', title: '応用モデル（MobileNet・DenseNet・正規化・WaveNet）', day: 4 },
  { slug: 'transformer', title: 'Transformer', day: 4 },
  { slug: 'detection', title: '物体検知・セグメンテーション', day: 4 },
] as const;

export type ChapterSlug = (typeof CHAPTERS)[number]['slug'];

export const CHAPTER_SLUGS = CHAPTERS.map((c) => c.slug) as [ChapterSlug, ...ChapterSlug[]];

const chapterIndex = new Map<string, number>(CHAPTER_SLUGS.map((slug, i) => [slug, i]));

/** Position of a chapter in the course (unknown slugs sort last). */
export function chapterOrder(slug: string): number {
  return chapterIndex.get(slug) ?? CHAPTER_SLUGS.length;
}

export function chapterTitle(slug: string): string {
  return CHAPTERS.find((c) => c.slug === slug)?.title ?? slug;
}
