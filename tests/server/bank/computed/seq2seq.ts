// Numeric answers of questions/seq2seq, computed from the quantities in each stem.

/** Fully connected layer with bias. */
function denseParams(inputs: number, outputs: number): number {
  return inputs * outputs + outputs;
}

/** Embedding table: one vector per word, no bias. */
function embeddingParams(vocab: number, dim: number): number {
  return vocab * dim;
}

/**
 * Beam search over a fixed-length sequence: `first` gives P(y1), `next[y]` gives P(y2 | y1 = y).
 * Returns the surviving hypotheses after the last step, best first.
 */
function beamSearch2(
  first: Record<string, number>,
  next: Record<string, Record<string, number>>,
  width: number,
): { seq: string; p: number }[] {
  let beam = Object.entries(first)
    .map(([w, p]) => ({ seq: w, p }))
    .sort((a, b) => b.p - a.p)
    .slice(0, width);
  const candidates: { seq: string; p: number }[] = [];
  for (const h of beam) {
    const last = h.seq.slice(-1);
    for (const [w, p] of Object.entries(next[last]!)) candidates.push({ seq: h.seq + w, p: h.p * p });
  }
  beam = candidates.sort((a, b) => b.p - a.p).slice(0, width);
  return beam;
}

/** Mean natural-log probability per token. */
function meanLogProb(probs: number[]): number {
  return probs.reduce((s, p) => s + Math.log(p), 0) / probs.length;
}

/** Reparameterisation: z = mu + exp(0.5 * logVar) * eps. */
function reparam(mu: number, logVar: number, eps: number): number {
  return mu + Math.exp(0.5 * logVar) * eps;
}

/** KL(N(mu, diag(var)) || N(0, I)). */
function klStandardNormal(mu: number[], variance: number[]): number {
  return 0.5 * mu.reduce((s, m, j) => s + m * m + variance[j]! - Math.log(variance[j]!) - 1, 0);
}

/** Softmax of logits / T. */
function temperatureSoftmax(logits: number[], T: number): number[] {
  const e = logits.map((z) => Math.exp(z / T));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

/** Top-p (nucleus): the size of the smallest set of most probable words whose total probability is at least p. */
function nucleusSize(probs: number[], p: number): number {
  const sorted = [...probs].sort((a, b) => b - a);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    total += sorted[i]!;
    if (total >= p - 1e-12) return i + 1;
  }
  return sorted.length;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export const computed: Record<string, number> = {
  'seq2seq-decoder-params': embeddingParams(8000, 256) + denseParams(512, 8000),
  'seq2seq-beam-search-step': beamSearch2(
    { A: 0.5, B: 0.4, C: 0.1 },
    { A: { A: 0.3, B: 0.3, C: 0.4 }, B: { A: 0.8, B: 0.1, C: 0.1 }, C: { A: 0.2, B: 0.2, C: 0.6 } },
    2,
  )[0]!.p,
  'seq2seq-beam-length-normalization': round(meanLogProb([0.4, 0.9, 0.9, 0.9]), 3),
  'seq2seq-reparam-value': round(reparam(1.2, Math.log(0.25), -0.8), 2),
  'seq2seq-kl-gaussian': round(klStandardNormal([1, 0], [1, 0.5]), 3),
  'seq2seq-vae-param-count':
    denseParams(784, 256) + 2 * denseParams(256, 20) + denseParams(20, 256) + denseParams(256, 784),
  'seq2seq-temperature-softmax': round(temperatureSoftmax([2, 1, 0], 0.5)[0]!, 3),
  'seq2seq-nucleus-size': nucleusSize([0.1, 0.4, 0.03, 0.15, 0.25, 0.05, 0.02], 0.85),
};
