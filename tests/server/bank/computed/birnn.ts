// Numeric answers of questions/birnn, computed from the quantities in each stem.

/** LSTM, one direction, one bias per block: 4 blocks of W, U, b. */
function lstmParams(h: number, x: number): number {
  return 4 * (h * (h + x) + h);
}

/** GRU, one direction, one bias per block: 3 blocks of W, U, b. */
function gruParams(h: number, x: number): number {
  return 3 * (h * (h + x) + h);
}

/** Index in the backward states (stored in computing order, x_T first) of the state aligned to time t (1-based). */
function backwardIndex(T: number, t: number): number {
  const order: number[] = []; // order[j] = time step of the j-th computed backward state
  for (let time = T; time >= 1; time--) order.push(time);
  return order.indexOf(t);
}

/** Scalar bidirectional RNN with identity activation, no bias: y_t (1-based t). */
function scalarBiRnnOutput(
  xs: number[],
  p: { wf: number; uf: number; wb: number; ub: number; vf: number; vb: number },
  t: number,
): number {
  const T = xs.length;
  const hf: number[] = new Array(T + 2).fill(0);
  const hb: number[] = new Array(T + 2).fill(0);
  for (let s = 1; s <= T; s++) hf[s] = p.wf * xs[s - 1]! + p.uf * hf[s - 1]!;
  for (let s = T; s >= 1; s--) hb[s] = p.wb * xs[s - 1]! + p.ub * hb[s + 1]!;
  return p.vf * hf[t]! + p.vb * hb[t]!;
}

/** Memory of all concatenated hidden states (N, T, 2H) in MiB. */
function stateMemoryMiB(batch: number, T: number, hPerDirection: number, bytesPerValue: number): number {
  return (batch * T * 2 * hPerDirection * bytesPerValue) / 2 ** 20;
}

/** CTC collapse: merge runs of the same label, then drop blanks ('-'). */
function ctcCollapse(path: string[]): string {
  const out: string[] = [];
  let prev = '';
  for (const k of path) {
    if (k !== prev && k !== '-') out.push(k);
    prev = k;
  }
  return out.join('');
}

/** Every path of length T over the alphabet. */
function allPaths(alphabet: string[], T: number): string[][] {
  let paths: string[][] = [[]];
  for (let t = 0; t < T; t++) paths = paths.flatMap((p) => alphabet.map((k) => [...p, k]));
  return paths;
}

/** Number of length-T paths that collapse to `label`. */
function ctcAlignmentCount(label: string, alphabet: string[], T: number): number {
  return allPaths(alphabet, T).filter((p) => ctcCollapse(p) === label).length;
}

/** p(label | x): sum over the paths collapsing to `label` of the product of per-frame probabilities. */
function ctcLabelProbability(label: string, probs: Record<string, number>[]): number {
  const alphabet = Object.keys(probs[0]!);
  return allPaths(alphabet, probs.length)
    .filter((p) => ctcCollapse(p) === label)
    .reduce((sum, p) => sum + p.reduce((prod, k, t) => prod * probs[t]![k]!, 1), 0);
}

function round(v: number, decimals: number): number {
  const m = 10 ** decimals;
  return Math.round(v * m) / m;
}

export const computed: Record<string, number> = {
  'birnn-backward-index': backwardIndex(6, 2),
  'birnn-scalar-forward': scalarBiRnnOutput([1, 2, 3], { wf: 1.0, uf: 0.5, wb: 2.0, ub: 0.5, vf: 0.4, vb: -0.2 }, 2),
  'birnn-lstm-param-count': 2 * lstmParams(256, 300),
  'birnn-stacked-gru-params': 2 * gruParams(128, 2 * 128),
  'birnn-state-memory': stateMemoryMiB(64, 100, 256, 4),
  'birnn-ctc-alignment-count': ctcAlignmentCount('aa', ['a', '-'], 4),
  // exact: 0.379; rounded to 1e-9 to drop the float noise of the sum
  'birnn-ctc-label-prob': round(
    ctcLabelProbability('a', [
      { a: 0.5, b: 0.2, '-': 0.3 },
      { a: 0.4, b: 0.1, '-': 0.5 },
      { a: 0.2, b: 0.3, '-': 0.5 },
    ]),
    9,
  ),
};
