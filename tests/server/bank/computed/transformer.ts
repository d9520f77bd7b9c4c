// Numeric answers of the transformer chapter, computed from the quantities each question's stem gives.

/** Sinusoidal positional encoding PE(pos, dim) of the original Transformer (dim counted from 0). */
function positionalEncoding(pos: number, dim: number, dModel: number): number {
  const i = Math.floor(dim / 2);
  const angle = pos / Math.pow(10000, (2 * i) / dModel);
  return dim % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
}

function dot(a: number[], b: number[]): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const z = e.reduce((s, x) => s + x, 0);
  return e.map((x) => x / z);
}

/** softmax(q·K^T / sqrt(d_k)) V for one query: returns the output vector. */
function scaledDotProductAttention(q: number[], keys: number[][], values: number[][]): number[] {
  const dk = q.length;
  const weights = softmax(keys.map((k) => dot(q, k) / Math.sqrt(dk)));
  const dv = values[0]!.length;
  return Array.from({ length: dv }, (_, j) => weights.reduce((s, w, n) => s + w * values[n]![j]!, 0));
}

/** Parameters of multi-head attention: h heads of W_Q, W_K, W_V (d_model × d_k, with bias) and W_O (h·d_v × d_model, with bias). */
function multiHeadAttentionParams(dModel: number, h: number): number {
  const dk = dModel / h;
  const dv = dModel / h;
  const projections = h * (2 * (dModel * dk + dk) + (dModel * dv + dv));
  const output = h * dv * dModel + dModel;
  return projections + output;
}

function ngrams(words: string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= words.length; i++) out.push(words.slice(i, i + n).join(' '));
  return out;
}

function counts(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/** BLEU's modified n-gram precision: each n-gram's count clipped by its largest count in any one reference. */
function modifiedPrecision(candidate: string, references: string[], n: number): number {
  const cand = counts(ngrams(candidate.split(' '), n));
  const refs = references.map((r) => counts(ngrams(r.split(' '), n)));
  let clipped = 0;
  let total = 0;
  for (const [g, c] of cand) {
    const maxRef = Math.max(0, ...refs.map((r) => r.get(g) ?? 0));
    clipped += Math.min(c, maxRef);
    total += c;
  }
  return clipped / total;
}

/** Brevity penalty with the effective reference length r = the reference length closest to c. */
function brevityPenalty(c: number, referenceLengths: number[]): number {
  const r = [...referenceLengths].sort((a, b) => Math.abs(a - c) - Math.abs(b - c) || a - b)[0]!;
  return c > r ? 1 : Math.exp(1 - r / c);
}

/** Sentence BLEU with uniform weights 1/N over n = 1..N. */
function bleu(candidate: string, references: string[], maxN: number): number {
  const c = candidate.split(' ').length;
  const bp = brevityPenalty(c, references.map((r) => r.split(' ').length));
  let logSum = 0;
  for (let n = 1; n <= maxN; n++) logSum += Math.log(modifiedPrecision(candidate, references, n)) / maxN;
  return bp * Math.exp(logSum);
}

/** Cross-entropy of the smoothed target (1 − ε)·onehot + ε/K against the prediction p (natural log). */
function smoothedCrossEntropy(p: number[], correct: number, eps: number): number {
  const K = p.length;
  return -p.reduce((s, pk, k) => s + ((k === correct ? 1 - eps : 0) + eps / K) * Math.log(pk), 0);
}

/** The Noam schedule d_model^−0.5 · min(step^−0.5, step · warmup^−1.5), maximised over integer steps. */
function noamPeak(dModel: number, warmup: number): number {
  const lr = (step: number) => dModel ** -0.5 * Math.min(step ** -0.5, step * warmup ** -1.5);
  let best = 0;
  for (let step = 1; step <= 10 * warmup; step++) best = Math.max(best, lr(step));
  return best;
}

/** Significant digits. */
const sig = (x: number, digits: number) => Number(x.toPrecision(digits));

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export const computed: Record<string, number> = {
  'transformer-pe-value-d8-pos3': round(positionalEncoding(3, 3, 8), 3),
  'transformer-attention-output-value': round(
    scaledDotProductAttention(
      [1, 1, 1, 1],
      [
        [1, 1, 1, 1],
        [1, 1, 0, 0],
        [1, -1, 1, -1],
      ],
      [
        [2, 0],
        [0, 4],
        [6, 2],
      ],
    )[0]!,
    3,
  ),
  'transformer-mha-param-count': multiHeadAttentionParams(512, 8),
  'transformer-bleu-brevity-penalty-multi-ref': round(brevityPenalty(11, [13, 16, 8]), 3),
  'transformer-bleu-2-sentence': round(bleu('a cat sat on the mat', ['the cat sat on the red mat'], 2), 3),
  'transformer-label-smoothing-loss': round(smoothedCrossEntropy([0.7, 0.1, 0.1, 0.05, 0.05], 0, 0.1), 3),
  'transformer-noam-warmup-peak': sig(noamPeak(512, 4000), 3),
  // 15 % of the tokens are predicted; of those, 10 % random + 10 % unchanged are not [MASK] in the input.
  'transformer-bert-mlm-count': 4000 * 0.15 * (0.1 + 0.1),
  // (224 / 16)² patches and one class token.
  'transformer-vit-token-count': (224 / 16) ** 2 + 1,
};
