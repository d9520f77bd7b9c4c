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

interface BenchCase {
  name: string;
  code: string;
  inputs: Record<string, ReturnType<typeof mat> | number>;
}

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
];

function measure(c: BenchCase): { perSec: number; usPerEval: number } {
  const inputs = c.inputs as Record<string, InputValue>;
  const first = evaluate(c.code, inputs);
  if (!first.ok) throw new Error(`${c.name}: ${first.error.type}: ${first.error.message}`);
  for (let i = 0; i < 200; i++) evaluate(c.code, inputs);
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    for (let i = 0; i < 50; i++) evaluate(c.code, inputs);
    n += 50;
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

function measurePython(bin: string, c: BenchCase): number {
  const script = pythonScript(c);
  execFileSync(bin, ['-c', script]);
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
  console.log('\n× = python subprocess time / warm interpreter evaluation (target: warm eval < 1 ms, ≥ 100×)');
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
