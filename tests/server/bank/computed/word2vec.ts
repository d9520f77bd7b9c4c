// Numeric answers of questions/word2vec, computed from the quantities in each stem.

type Vec = number[];

const dot = (a: Vec, b: Vec) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Vec) => Math.sqrt(dot(a, a));
const add = (a: Vec, b: Vec) => a.map((x, i) => x + b[i]!);
const sub = (a: Vec, b: Vec) => a.map((x, i) => x - b[i]!);
const cosine = (a: Vec, b: Vec) => dot(a, b) / (norm(a) * norm(b));
const sigmoid = (s: number) => 1 / (1 + Math.exp(-s));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** (center, context) pairs of skip-gram over one sentence, window c on each side, no padding. */
function skipGramPairs(words: string[], c: number): number {
  let pairs = 0;
  for (let i = 0; i < words.length; i++) {
    for (let j = i - c; j <= i + c; j++) if (j !== i && j >= 0 && j < words.length) pairs++;
  }
  return pairs;
}

/** Memory in MB (10^6 bytes) of W_in (V×D) and W_out (D×V). */
function embeddingMatricesMB(vocab: number, dim: number, bytesPerValue: number): number {
  return (2 * vocab * dim * bytesPerValue) / 1e6;
}

/** Negative-sampling loss: -ln σ(s+) - Σ ln σ(-s_i). */
function negativeSamplingLoss(positive: number, negatives: number[]): number {
  return -Math.log(sigmoid(positive)) - negatives.reduce((s, n) => s + Math.log(sigmoid(-n)), 0);
}

/** Noise distribution P_n(w) ∝ f(w)^power. */
function noiseDistribution(counts: number[], power: number): number[] {
  const weights = counts.map((f) => f ** power);
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

const king = [0.9, 0.8, 0.1];
const man = [0.1, 0.8, 0.1];
const woman = [0.1, 0.1, 0.8];
const queen = [0.8, 0.1, 0.9];

export const computed: Record<string, number> = {
  'word2vec-skipgram-pairs': skipGramPairs('we eat fresh fish every friday night'.split(' '), 2),
  'word2vec-embedding-memory': embeddingMatricesMB(100_000, 300, 4),
  'word2vec-ns-cost-ratio': Math.round(100_000 / (1 + 5)),
  'word2vec-ns-loss': round(negativeSamplingLoss(2, [1, -2]), 3),
  'word2vec-noise-distribution': round(noiseDistribution([81, 16, 1], 0.75)[2]!, 3),
  'word2vec-analogy-cosine': round(cosine(add(sub(king, man), woman), queen), 3),
};
