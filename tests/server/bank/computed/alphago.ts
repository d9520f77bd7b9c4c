/** Numeric answers of the alphago chapter, computed from the quantities in each stem. */

/** Weights k·k·C_in·C_out plus one bias per output channel. */
function convParams(k: number, cIn: number, cOut: number): number {
  return k * k * cIn * cOut + cOut;
}

interface Edge {
  n: number;
  q: number;
  p: number;
}

/** PUCT: Q(s,a) + c P(s,a) √(Σ_b N(s,b)) / (1 + N(s,a)); returns the score of the selected action. */
function puctSelectedScore(edges: Edge[], c: number): number {
  const total = edges.reduce((s, e) => s + e.n, 0);
  const scores = edges.map((e) => e.q + (c * e.p * Math.sqrt(total)) / (1 + e.n));
  return Math.max(...scores);
}

/** π(a) = N(a)^{1/τ} / Σ_b N(b)^{1/τ}. */
function visitPolicy(counts: number[], tau: number, index: number): number {
  const powered = counts.map((n) => n ** (1 / tau));
  return powered[index]! / powered.reduce((a, b) => a + b, 0);
}

/** AlphaGo (2016 paper) leaf evaluation: V = (1 − λ) v_θ + λ z. */
function mixedLeafValue(v: number, z: number, lambda: number): number {
  return (1 - lambda) * v + lambda * z;
}

/** E[z] = p·(+1) + (1 − p)·(−1) = 2p − 1, so p = (v + 1) / 2. */
function winProbability(v: number): number {
  return (v + 1) / 2;
}

/** The fewest wins out of `games` whose rate is strictly above `rate`. */
function fewestWinsAbove(games: number, rate: number): number {
  let w = 0;
  while (w / games <= rate) w += 1;
  return w;
}

/** Backup of one simulation: N ← N + 1, W ← W + v, Q = W / N. */
function qAfterBackup(n: number, w: number, v: number): number {
  return (w + v) / (n + 1);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export const computed: Record<string, number> = {
  'alphago-policynet-first-conv-params': convParams(5, 48, 192),
  'alphago-puct-selection-score': round(
    puctSelectedScore(
      [
        { n: 12, q: 0.5, p: 0.2 },
        { n: 3, q: 0.2, p: 0.5 },
        { n: 1, q: -0.1, p: 0.3 },
      ],
      1,
    ),
    3,
  ),
  'alphago-zero-visit-temperature': round(visitPolicy([60, 30, 10], 0.5, 0), 3),
  'alphago-leaf-value-mixing': mixedLeafValue(0.6, -1, 0.5),
  'alphago-value-to-win-probability': winProbability(0.4),
  'alphago-evaluator-gate-numeric': fewestWinsAbove(400, 0.55),
  'alphago-backup-q-numeric': qAfterBackup(4, 1.2, 0.7),
};
