/** Numeric answers of the gru chapter, computed from the quantities in each stem. */

const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

/** One weight set (W: h×x, U: h×h, `biases` bias vectors of length h). */
function gateBlock(h: number, x: number, biases = 1): number {
  return h * (h + x) + biases * h;
}

/** GRU layer: three weight sets (reset gate, update gate, candidate): 3·(h·(h+x)+h). */
function gruParams(h: number, x: number, biases = 1): number {
  return 3 * gateBlock(h, x, biases);
}

interface ScalarGru {
  wr: number;
  ur: number;
  br: number;
  wz: number;
  uz: number;
  bz: number;
  w: number;
  u: number;
  b: number;
}

/** One scalar GRU step with h = (1 − z)·h_prev + z·h̄ and h̄ = tanh(W x + U (r·h_prev) + b). */
function gruStep(p: ScalarGru, x: number, hPrev: number): number {
  const r = sigmoid(p.wr * x + p.ur * hPrev + p.br);
  const z = sigmoid(p.wz * x + p.uz * hPrev + p.bz);
  const hBar = Math.tanh(p.w * x + p.u * (r * hPrev) + p.b);
  return (1 - z) * hPrev + z * hBar;
}

/** ∂L/∂a_z for h = (1 − z)·h_prev + z·h̄, z = σ(a_z): dL/dh · (h̄ − h_prev) · z(1 − z). */
function updateGatePreactivationGrad(dLdh: number, hPrev: number, hBar: number, z: number): number {
  return dLdh * (hBar - hPrev) * z * (1 - z);
}

/** ∂L/∂a_r for one scalar GRU step, z held fixed: dL/dh · z · (1 − h̄²) · U · h_prev · r(1 − r). */
function resetGatePreactivationGrad(
  dLdh: number,
  p: { w: number; x: number; b: number; u: number; hPrev: number; r: number; z: number },
): number {
  const hBar = Math.tanh(p.w * p.x + p.u * (p.r * p.hPrev) + p.b);
  return dLdh * p.z * (1 - hBar * hBar) * p.u * p.hPrev * p.r * (1 - p.r);
}

/** Product of the direct-path factors (1 − z_t) over the given update-gate values. */
function directPathFactor(zs: number[]): number {
  return zs.reduce((acc, z) => acc * (1 - z), 1);
}

function significant(v: number, digits: number): number {
  return Number(v.toPrecision(digits));
}

function round(v: number, decimals: number): number {
  const m = 10 ** decimals;
  return Math.round(v * m) / m;
}

export const computed: Record<string, number> = {
  'gru-param-count-h128-x64': gruParams(128, 64),
  'gru-cell-step-numeric': round(
    gruStep({ wr: 1.0, ur: 2.0, br: -1.0, wz: -1.0, uz: 1.0, bz: 0, w: 0.5, u: 1.0, b: 0 }, 1.0, 0.5),
    3,
  ),
  'gru-update-gate-gradient': updateGatePreactivationGrad(2.0, 0.5, -0.3, 0.25),
  'gru-reset-gate-gradient': round(resetGatePreactivationGrad(1.0, { w: 0.4, x: 1.0, b: -0.2, u: 1.5, hPrev: 0.8, r: 0.5, z: 0.6 }), 3),
  'gru-direct-path-decay': significant(directPathFactor(new Array(10).fill(0.1)), 3),
};
