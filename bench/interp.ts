// Warm evaluations per second of seed answers on the cpu and wasm backends, against a `python3 -c` numpy
// subprocess doing the same check (the cost of a subprocess grader). Prints ratios; asserts nothing.
//
//   npx tsx bench/interp.ts [--seconds 1] [--python-runs 5]

import { execFileSync } from 'node:child_process';
import { initBackend, type NodeBackend } from '../graders/numpy/backend-node';
import { evaluate, type InputValue } from '../graders/numpy/index';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seconds = opt('--seconds', 1);
const pythonRuns = opt('--python-runs', 5);

const mat = (rows: number, cols: number, f: (i: number) => number) => ({
  dtype: 'float32' as const,
  shape: [rows, cols],
  data: Array.from({ length: rows * cols }, (_, i) => Math.round(f(i) * 1e4) / 1e4),
});

const nd = (shape: number[], f: (i: number) => number) => ({
  dtype: 'float32' as const,
  shape,
  data: Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.round(f(i) * 1e4) / 1e4),
});

interface BenchCase {
  name: string;
  code: string;
  inputs: Record<string, ReturnType<typeof mat> | number>;
}

/**
 * A textbook-shaped program: an LSTM cell class and a TimeLSTM holding one cell per step, run forward and backward
 * over T = 10 steps, batch 4, hidden 16 (issue 13 §3). Written here in the textbook's style, not copied.
 */
const TIME_LSTM = `def sigmoid(x):
    return 1 / (1 + np.exp(-x))

class LSTM:
    def __init__(self, Wx, Wh, b):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.cache = None

    def forward(self, x, h_prev, c_prev):
        Wx, Wh, b = self.params
        H = h_prev.shape[1]
        A = x.dot(Wx) + h_prev.dot(Wh) + b
        f = sigmoid(A[:, :H])
        g = np.tanh(A[:, H:2 * H])
        i = sigmoid(A[:, 2 * H:3 * H])
        o = sigmoid(A[:, 3 * H:])
        c_next = f * c_prev + g * i
        h_next = o * np.tanh(c_next)
        self.cache = (x, h_prev, c_prev, i, f, g, o, c_next)
        return h_next, c_next

    def backward(self, dh_next, dc_next):
        Wx, Wh, b = self.params
        x, h_prev, c_prev, i, f, g, o, c_next = self.cache
        tanh_c = np.tanh(c_next)
        ds = dc_next + dh_next * o * (1 - tanh_c ** 2)
        dc_prev = ds * f
        df = ds * c_prev * f * (1 - f)
        dg = ds * i * (1 - g ** 2)
        di = ds * g * i * (1 - i)
        do = dh_next * tanh_c * o * (1 - o)
        dA = np.hstack((df, dg, di, do))
        self.grads[0][...] = x.T.dot(dA)
        self.grads[1][...] = h_prev.T.dot(dA)
        self.grads[2][...] = dA.sum(axis=0)
        return dA.dot(Wx.T), dA.dot(Wh.T), dc_prev

class TimeLSTM:
    def __init__(self, Wx, Wh, b, stateful=False):
        self.params = [Wx, Wh, b]
        self.grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)]
        self.layers = None
        self.h, self.c = None, None
        self.stateful = stateful

    def forward(self, xs):
        Wx, Wh, b = self.params
        N, T, D = xs.shape
        H = Wh.shape[0]
        self.layers = []
        hs = np.empty((N, T, H), dtype='f')
        if not self.stateful or self.h is None:
            self.h = np.zeros((N, H), dtype='f')
            self.c = np.zeros((N, H), dtype='f')
        for t in range(T):
            layer = LSTM(*self.params)
            self.h, self.c = layer.forward(xs[:, t, :], self.h, self.c)
            hs[:, t, :] = self.h
            self.layers.append(layer)
        return hs

    def backward(self, dhs):
        Wx, Wh, b = self.params
        N, T, H = dhs.shape
        D = Wx.shape[0]
        dxs = np.empty((N, T, D), dtype='f')
        dh, dc = 0, 0
        grads = [0, 0, 0]
        for t in reversed(range(T)):
            layer = self.layers[t]
            dx, dh, dc = layer.backward(dhs[:, t, :] + dh, dc)
            dxs[:, t, :] = dx
            for k, grad in enumerate(layer.grads):
                grads[k] += grad
        for k, grad in enumerate(grads):
            self.grads[k][...] = grad
        return dxs

model = TimeLSTM(Wx, Wh, b)
hs = model.forward(xs)
dxs = model.backward(dhs)
np.sum(hs) + np.sum(dxs) + np.sum(model.grads[0]) + np.sum(model.grads[1]) + np.sum(model.grads[2])`;

const cases: BenchCase[] = [
  { name: 'birnn concat', code: 'np.concatenate([h_f, h_b[::-1]], axis=1)', inputs: { h_f: mat(5, 4, (i) => Math.sin(i)), h_b: mat(5, 4, (i) => Math.cos(i)) } },
  { name: 'embedding dot', code: 'E.dot(w)', inputs: { E: mat(6, 4, (i) => Math.sin(i * 0.7)), w: mat(4, 3, (i) => Math.cos(i)) } },
  { name: 'lstm cell', code: 'input_gate * a + forget_gate * c', inputs: { input_gate: mat(2, 4, (i) => i / 8), a: mat(2, 4, (i) => Math.tanh(i - 4)), forget_gate: mat(2, 4, (i) => 1 - i / 8), c: mat(2, 4, (i) => i / 4 - 1) } },
  { name: 'bptt delta', code: 'delta_t.dot(U)', inputs: { delta_t: mat(2, 4, (i) => Math.cos(i)), U: mat(4, 4, (i) => Math.sin(i * 0.6)) } },
  { name: 'grad clip', code: 'grad * rate', inputs: { grad: mat(2, 3, (i) => i - 2), rate: 0.5 } },
  {
    name: 'lstm step (program)',
    code: 'def sigmoid(x):\n    return 1 / (1 + np.exp(-x))\nz = x.dot(W) + h.dot(U)\nf, g, i, o = np.hsplit(z, 4)\nc2 = sigmoid(f) * c + np.tanh(g) * sigmoid(i)\nsigmoid(o) * np.tanh(c2)',
    inputs: { x: mat(1, 3, (i) => i / 3), W: mat(3, 8, (i) => Math.sin(i)), h: mat(1, 2, () => 0.1), U: mat(2, 8, (i) => Math.cos(i)), c: mat(1, 2, () => 0.5) },
  },
  {
    name: 'TimeLSTM class fwd+bwd (T10 N4 H16)',
    code: TIME_LSTM,
    inputs: {
      xs: nd([4, 10, 8], (i) => Math.sin(i * 0.37)),
      dhs: nd([4, 10, 16], (i) => Math.cos(i * 0.11) * 0.1),
      Wx: mat(8, 64, (i) => Math.sin(i * 0.13) * 0.3),
      Wh: mat(16, 64, (i) => Math.cos(i * 0.07) * 0.2),
      b: nd([64], (i) => Math.sin(i) * 0.1),
    },
  },
];

function measure(c: BenchCase): { perSec: number; usPerEval: number } {
  const inputs = c.inputs as Record<string, InputValue>;
  const first = evaluate(c.code, inputs);
  if (!first.ok) throw new Error(`${c.name}: ${first.error.type}: ${first.error.message}`);
  for (let i = 0; i < 20; i++) evaluate(c.code, inputs);
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    for (let i = 0; i < 10; i++) evaluate(c.code, inputs);
    n += 10;
    t = performance.now();
  }
  const ms = t - t0;
  return { perSec: (n / ms) * 1000, usPerEval: (ms * 1000) / n };
}

function pythonInfo(): { bin: string; version: string } {
  const bin = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  const version = execFileSync(bin, ['-c', 'import sys, numpy; print(sys.version.split()[0], "numpy", numpy.__version__)'], { encoding: 'utf8' }).trim();
  return { bin, version };
}

function pythonScript(c: BenchCase): string {
  const lines = ['import json, numpy as np'];
  for (const [name, v] of Object.entries(c.inputs)) {
    if (typeof v === 'number') lines.push(`${name} = ${v}`);
    else lines.push(`${name} = np.array(${JSON.stringify(v.data)}, dtype=np.float32).reshape(${JSON.stringify(v.shape)})`);
  }
  const body = c.code.split('\n');
  const last = body.pop()!;
  lines.push(...body, `_v = ${last}`, 'print(json.dumps({"shape": list(np.shape(_v)), "data": np.asarray(_v).ravel().tolist()}))');
  return lines.join('\n');
}

/** The interpreter's value of a case (on the backend set up last) against numpy's printed one: the bench checks they agree. */
function agrees(c: BenchCase, pythonOut: string): boolean {
  const r = evaluate(c.code, c.inputs as Record<string, InputValue>);
  if (!r.ok) return false;
  const flat = (v: unknown): number[] => (typeof v === 'number' ? [v] : typeof v === 'object' && v && 'data' in v ? (v.data as number[]) : Array.isArray(v) ? v.flatMap(flat) : [NaN]);
  const got = flat(r.value);
  const want = (JSON.parse(pythonOut) as { data: number[] }).data;
  return got.length === want.length && got.every((g, i) => Math.abs(g - want[i]!) <= 1e-5 + 1e-4 * Math.abs(want[i]!));
}

function measurePython(bin: string, c: BenchCase): number {
  const script = pythonScript(c);
  const out = execFileSync(bin, ['-c', script], { encoding: 'utf8' });
  if (!agrees(c, out)) throw new Error(`${c.name}: the interpreter's value differs from numpy's`);
  const t0 = performance.now();
  for (let i = 0; i < pythonRuns; i++) execFileSync(bin, ['-c', script]);
  return (performance.now() - t0) / pythonRuns;
}

async function main(): Promise<void> {
  const results = new Map<string, Map<NodeBackend, { perSec: number; usPerEval: number }>>();
  for (const backend of ['cpu', 'wasm'] as const) {
    const t0 = performance.now();
    const actual = await initBackend(backend);
    console.log(`backend ${actual} ready in ${(performance.now() - t0).toFixed(0)} ms`);
    for (const c of cases) {
      const r = measure(c);
      if (!results.has(c.name)) results.set(c.name, new Map());
      results.get(c.name)!.set(backend, r);
    }
  }
  const py = pythonInfo();
  console.log(`python baseline: ${py.bin} (${py.version}), ${pythonRuns} runs per case\n`);
  const header = ['case', 'cpu µs/eval', 'cpu evals/s', 'wasm µs/eval', 'wasm evals/s', 'python ms', 'cpu ×', 'wasm ×'];
  const rows: string[][] = [];
  for (const c of cases) {
    const r = results.get(c.name)!;
    const cpu = r.get('cpu')!;
    const wasm = r.get('wasm')!;
    const pyMs = measurePython(py.bin, c);
    rows.push([
      c.name,
      cpu.usPerEval.toFixed(1),
      cpu.perSec.toFixed(0),
      wasm.usPerEval.toFixed(1),
      wasm.perSec.toFixed(0),
      pyMs.toFixed(1),
      ((pyMs * 1000) / cpu.usPerEval).toFixed(0),
      ((pyMs * 1000) / wasm.usPerEval).toFixed(0),
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
  console.log('\n× = python subprocess time / warm interpreter evaluation (targets: fill-in answers < 1 ms and ≥ 100×; the TimeLSTM class program ≤ 5 ms on cpu and ≥ 50×)');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
