/** Numeric answers of the rnn (再帰型ニューラルネットワーク, with the CNN review) chapter, computed from each stem. */

/** Parameters of a simple RNN: W_in (h×x), W (h×h), b (h), W_out (y×h), c (y). Independent of the sequence length. */
function simpleRnnParams(x: number, h: number, y: number): number {
  return h * x + h * h + h + y * h + y;
}

interface ScalarRnn {
  wIn: number;
  w: number;
  b: number;
  wOut: number;
  c: number;
}

/** Scalar RNN forward pass z^t = f(W_in x^t + W z^{t-1} + b), y^t = W_out z^t + c; returns the last output. */
function scalarRnnLastOutput(p: ScalarRnn, xs: number[], z0: number, f: (u: number) => number): number {
  let z = z0;
  for (const x of xs) z = f(p.wIn * x + p.w * z + p.b);
  return p.wOut * z + p.c;
}

/**
 * dE/dW_in by BPTT for a scalar linear RNN (identity activations) with E = ½(y^T − d)² on the last output only:
 * δ^T = W_out (y^T − d), δ^{t−1} = W δ^t, dE/dW_in = Σ_t δ^t x^t.
 */
function bpttGradWIn(p: ScalarRnn, xs: number[], z0: number, d: number): number {
  const yLast = scalarRnnLastOutput(p, xs, z0, (u) => u);
  let delta = p.wOut * (yLast - d);
  let grad = 0;
  for (let t = xs.length - 1; t >= 0; t--) {
    grad += delta * xs[t]!;
    delta = p.w * delta;
  }
  return grad;
}

/** Smallest k with |w|^k < eps (the gradient factor of a linear scalar RNN after k steps back). */
function stepsUntilBelow(w: number, eps: number): number {
  let k = 0;
  let factor = 1;
  while (factor >= eps) {
    factor *= Math.abs(w);
    k++;
  }
  return k;
}

/** Norm clipping: g ← (θ/‖g‖) g when ‖g‖ > θ. */
function clipByNorm(g: number[], threshold: number): number[] {
  const norm = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
  return norm > threshold ? g.map((v) => (v * threshold) / norm) : g;
}

/** Output size of a convolution or pooling: ⌊(H + 2P − F)/S⌋ + 1. */
function convOut(h: number, f: number, s: number, p: number): number {
  return Math.floor((h + 2 * p - f) / s) + 1;
}

/** Round to a number of decimals (the stems ask for 3). */
function round(v: number, decimals: number): number {
  const m = 10 ** decimals;
  return Math.round(v * m) / m;
}

const chainSide = convOut(convOut(convOut(convOut(32, 5, 1, 0), 2, 2, 0), 3, 1, 1), 2, 2, 0);

/** Perplexity exp(−mean log p_t) of the probabilities given to the correct words. */
function perplexity(probs: number[]): number {
  return Math.exp(-probs.reduce((s, p) => s + Math.log(p), 0) / probs.length);
}

export const computed: Record<string, number> = {
  'rnn-perplexity-numeric': round(perplexity([0.5, 0.25, 0.125, 0.5]), 2),
  'rnn-param-count-x8-h16-y4': simpleRnnParams(8, 16, 4),
  'rnn-forward-two-steps-tanh': round(
    scalarRnnLastOutput({ wIn: 0.6, w: 0.9, b: 0.1, wOut: 2.0, c: -0.5 }, [1.0, 0.5], 0, Math.tanh),
    3,
  ),
  'rnn-bptt-grad-w-in-two-steps': bpttGradWIn({ wIn: 1, w: 0.5, b: 0, wOut: 2, c: 0 }, [1, 2], 0, 3),
  'rnn-vanishing-steps-w09': stepsUntilBelow(0.9, 0.01),
  'rnn-gradient-clipping-numeric': round(clipByNorm([3, 4, 12], 5)[2]!, 3),
  'cnn-output-size-floor': convOut(28, 5, 2, 1),
  'cnn-conv-pool-chain-elements': chainSide * chainSide * 16,
};
