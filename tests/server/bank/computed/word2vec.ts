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

/** Subsampling (Mikolov et al. 2013): probability of discarding one occurrence of a word of frequency f. */
function discardProbability(t: number, f: number): number {
  return Math.max(0, 1 - Math.sqrt(t / f));
}

/** PPMI(x, y) = max(0, log2(C(x, y) N / (C(x) C(y)))). */
function ppmi(cxy: number, cx: number, cy: number, n: number): number {
  return Math.max(0, Math.log2((cxy * n) / (cx * cy)));
}

/** Sum of the co-occurrence row of `word`: its neighbours within the window, counted per occurrence. */
function cooccurrenceRowSum(words: string[], word: string, window: number): number {
  let total = 0;
  words.forEach((w, i) => {
    if (w !== word) return;
    for (let j = i - window; j <= i + window; j++) if (j !== i && j >= 0 && j < words.length) total++;
  });
  return total;
}

/** dL/dh of the negative-sampling loss: Σ (σ(s_i) − t_i) u_i. */
function nsGradientH(scores: number[], labels: number[], vectors: Vec[]): Vec {
  return vectors.reduce<Vec>((acc, u, i) => add(acc, u.map((x) => x * (sigmoid(scores[i]!) - labels[i]!))), vectors[0]!.map(() => 0));
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
  'word2vec-subsampling': round(discardProbability(1e-5, 0.01), 3),
  'word2vec-ppmi': round(ppmi(10, 50, 40, 1000), 3),
  'word2vec-cooccurrence-count': cooccurrenceRowSum('the cat sat on the mat and the cat slept'.split(' '), 'the', 1),
  'word2vec-ns-gradient-value': nsGradientH([0, Math.log(3)], [1, 0], [[1, -1], [2, 1]])[1]!,
};
