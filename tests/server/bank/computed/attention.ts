/** Numeric answers of the attention chapter, computed from the quantities in each stem. */

type Vec = number[];

function softmax(scores: Vec): Vec {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function dot(a: Vec, b: Vec): number {
  return a.reduce((s, x, i) => s + x * b[i]!, 0);
}

/** c = Σ_j α_j h_j (alpha @ h). */
function contextVector(alpha: Vec, hs: Vec[]): Vec {
  return hs[0]!.map((_, k) => hs.reduce((s, h, j) => s + alpha[j]! * h[k]!, 0));
}

/** s^T W h (Luong's "general" score). */
function generalScore(s: Vec, W: Vec[], h: Vec): number {
  const sW = W[0]!.map((_, k) => W.reduce((acc, row, i) => acc + s[i]! * row[k]!, 0));
  return dot(sW, h);
}

/** e = v^T tanh(W s + U h): W (a×ds), U (a×dh), v (a), no biases. */
function additiveParams(ds: number, dh: number, da: number): number {
  return da * ds + da * dh + da;
}

/** ∂L/∂e of a = softmax(e): a ⊙ da − a (a · da). */
function softmaxBackward(a: Vec, da: Vec): Vec {
  const s = dot(a, da);
  return a.map((ai, j) => ai * da[j]! - ai * s);
}

/** Luong's local-p weight: align · exp(−(s − p_t)² / (2σ²)), p_t = S · sigmoid(z), σ = D / 2. */
function localPWeight(S: number, z: number, D: number, s: number, align: number): number {
  const pt = S / (1 + Math.exp(-z));
  const sigma = D / 2;
  return align * Math.exp(-((s - pt) ** 2) / (2 * sigma ** 2));
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

const encoderStates: Vec[] = [
  [1, 1],
  [0, 2],
  [1, -1],
];
const decoderState: Vec = [2, -1];

export const computed: Record<string, number> = {
  'attention-softmax-weight': round(softmax([2.0, 1.0, 0.1])[0]!, 3),
  'attention-context-weighted-sum': contextVector(
    [0.5, 0.3, 0.2],
    [
      [1, 2],
      [3, 0],
      [-1, 4],
    ],
  )[1]!,
  'attention-dot-product-pipeline': round(
    contextVector(softmax(encoderStates.map((h) => dot(decoderState, h))), encoderStates)[0]!,
    3,
  ),
  'attention-additive-param-count': additiveParams(256, 512, 128),
  'attention-general-score': generalScore(
    [1, -1],
    [
      [2, 0, 1],
      [1, 1, 0],
    ],
    [1, 2, 3],
  ),
  'attention-softmax-backward-value': round(softmaxBackward([0.5, 0.3, 0.2], [1, 2, -1])[2]!, 10),
  'attention-luong-local-gaussian': round(localPWeight(20, 0.2, 2, 12, 0.4), 3),
};
