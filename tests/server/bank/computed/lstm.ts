/** Numeric answers of the lstm chapter, computed from the quantities in each stem. */

/** One weight set (W: h×x, U: h×h, `biases` bias vectors of length h). */
function gateBlock(h: number, x: number, biases = 1): number {
  return h * (h + x) + biases * h;
}

/** LSTM layer: four weight sets (input, forget, output gates and the candidate): 4·(h·(h+x)+h). */
function lstmParams(h: number, x: number, biases = 1): number {
  return 4 * gateBlock(h, x, biases);
}

/** Diagonal peephole weights: one vector of length h for each of the gates that look at the cell. */
function peepholeParams(h: number, gates: number): number {
  return gates * h;
}

/** One LSTM step on scalars: c = f·c_prev + i·c̃, h = o·tanh(c). */
function lstmStepH(cPrev: number, f: number, i: number, o: number, cTilde: number): number {
  const c = f * cPrev + i * cTilde;
  return o * Math.tanh(c);
}

/** ∂c^(T)/∂c^(0) along the cell path: the product of the forget gate values. */
function cellPathGradient(forget: number[]): number {
  return forget.reduce((p, f) => p * f, 1);
}

/** Backward through one scalar LSTM step: the gradients to c_prev (cell path) and to the forget gate's pre-activation. */
function lstmStepBackward(
  s: { cPrev: number; f: number; i: number; g: number; o: number },
  dh: number,
  dcNext: number,
): { dcPrev: number; dAf: number } {
  const c = s.f * s.cPrev + s.i * s.g;
  const t = Math.tanh(c);
  const ds = dcNext + dh * s.o * (1 - t * t);
  return { dcPrev: ds * s.f, dAf: ds * s.cPrev * s.f * (1 - s.f) };
}

/** Rounds to `digits` significant figures. */
function roundSig(v: number, digits: number): number {
  return Number(v.toPrecision(digits));
}

function round(v: number, decimals: number): number {
  const m = 10 ** decimals;
  return Math.round(v * m) / m;
}

export const computed: Record<string, number> = {
  'lstm-param-count-h128-x64': lstmParams(128, 64),
  'lstm-param-count-peephole': lstmParams(100, 50) + peepholeParams(100, 3),
  'lstm-backward-dc-prev-numeric': round(lstmStepBackward({ cPrev: 1.0, f: 0.8, i: 0.5, g: 0.6, o: 0.9 }, 1.0, 0.5).dcPrev, 3),
  'lstm-backward-forget-preact-numeric': roundSig(lstmStepBackward({ cPrev: 2.0, f: 0.6, i: 0.4, g: -0.5, o: 0.5 }, 0.8, 0).dAf, 3),
  'lstm-cell-step-numeric': round(lstmStepH(2.0, 0.5, 0.8, 0.9, -0.5), 3),
  'lstm-forget-gate-gradient-product': round(cellPathGradient(Array.from({ length: 20 }, () => 0.9)), 3),
};
