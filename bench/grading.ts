// Server grading latency of the course's code items, warm, through the worker-thread pool (as the API grades)
// and in-process, against a python3 + numpy subprocess grader doing the same checks, in the same run.
// Prints p50/p95 and ratios; asserts nothing. After the course's items (the goal's summary line), every other `code`
// and `function` item of the bank is measured the same way (--other-runs each; the python baseline with --python-all).
//
//   npx tsx bench/grading.ts [--runs 60] [--python-runs 5] [--other-runs 20] [--python-all]

import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { composeProgram } from '../graders/code/compose';
import { gradeCode, makeCases } from '../graders/code/grade-code';
import { initBackend } from '../graders/numpy/backend-node';
import { GRADERS } from '../graders/references/index';
import { buildBank } from '../server/bank/bank';
import { buildServerBundles } from '../server/cli/build-state.mjs';
import { GradingPool } from '../server/grading/pool';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const runs = opt('--runs', 60);
const pythonRuns = opt('--python-runs', 5);
const otherRuns = opt('--other-runs', 20);
const pythonAll = args.includes('--python-all');
const SEED_ITEMS = [
  'rnn-tree-concat', 'rnn-bptt-delta', 'rnn-gradient-clipping', 'lstm-cec-update', 'gru-update', 'birnn-concat',
  'seq2seq-embedding', 'rnn-chain-rule', 'rnn-y1-formula', 'mobilenet-cost-depthwise', 'mobilenet-cost-pointwise',
];

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

function pythonBinary(): string {
  return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
}

await initBackend('cpu');
await buildServerBundles();
const bank = buildBank(path.join(process.cwd(), 'questions'));
const pool = new GradingPool({ size: 1 });
const python = pythonBinary();
const pythonScript = path.join(process.cwd(), 'bench', 'python-grader.py');

console.log(`python baseline: ${python} (numpy ${execFileSync(python, ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' }).trim()})`);
console.log('item                        pool p50   pool p95   in-proc p50   python p50   python/pool');
const allPool: number[] = [];
const allPython: number[] = [];

async function measure(id: string, runs: number, withPython: boolean): Promise<{ pool: number[]; py: number[] }> {
  const q = bank.byId.get(id);
  if (!q || (q.kind !== 'code' && q.kind !== 'function')) throw new Error(`${id} is not a code item`);
  const grader = GRADERS.get((q as { grader?: string }).grader ?? id)!;
  const item = { id, kind: q.kind, template: q.template };
  const code = q.solution.trim();

  const inProcess: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const v = gradeCode(item, grader, code, 1000 + i);
    inProcess.push(performance.now() - t0);
    if (v.verdict !== 'correct') throw new Error(`${id}: ${v.message}`);
  }
  const viaPool: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const t0 = performance.now();
    const r = await pool.run({ type: 'grade', item, graderKey: grader.key, code, seed: 2000 + i });
    if (i >= 5) viaPool.push(performance.now() - t0); // the first runs warm the thread
    if (!r.ok || r.type !== 'grade' || r.verdict.verdict !== 'correct') throw new Error(`${id}: pool run failed`);
  }
  const py: number[] = [];
  const composed = composeProgram(item, grader.prelude, '', code).source;
  for (let i = 0; withPython && i < pythonRuns; i++) {
    const cases = makeCases(grader, 3000 + i).map((inputs) => ({ inputs, expected: grader.reference(inputs).result }));
    const t0 = performance.now();
    const out = spawnSync(python, [pythonScript], { input: JSON.stringify({ source: composed, call: grader.call, cases }), encoding: 'utf8' });
    py.push(performance.now() - t0);
    if (out.status !== 0 || !out.stdout.includes('"correct"')) throw new Error(`${id}: python baseline failed: ${out.stderr || out.stdout}`);
  }
  const p50 = quantile(viaPool, 0.5);
  const pyText = py.length ? `${quantile(py, 0.5).toFixed(0).padStart(9)} ms ${(quantile(py, 0.5) / p50).toFixed(0).padStart(10)}×` : '        -';
  console.log(`${id.padEnd(26)} ${p50.toFixed(2).padStart(7)} ms ${quantile(viaPool, 0.95).toFixed(2).padStart(7)} ms ${quantile(inProcess, 0.5).toFixed(2).padStart(9)} ms ${pyText}`);
  return { pool: viaPool, py };
}

for (const id of SEED_ITEMS) {
  const { pool: viaPool, py } = await measure(id, runs, true);
  allPool.push(...viaPool);
  allPython.push(...py);
}
const p50 = quantile(allPool, 0.5);
console.log(`\ncourse items: pool p50 ${p50.toFixed(2)} ms, p95 ${quantile(allPool, 0.95).toFixed(2)} ms; python p50 ${quantile(allPython, 0.5).toFixed(0)} ms; ratio ${(quantile(allPython, 0.5) / p50).toFixed(0)}×`);

console.log('\nevery other code and function item of the bank:');
const others: number[] = [];
const slow: string[] = [];
for (const q of bank.questions) {
  if ((q.kind !== 'code' && q.kind !== 'function') || SEED_ITEMS.includes(q.id)) continue;
  const { pool: viaPool } = await measure(q.id, otherRuns, pythonAll);
  others.push(...viaPool);
  if (quantile(viaPool, 0.95) > 50) slow.push(q.id);
}
console.log(`\nother items: pool p50 ${quantile(others, 0.5).toFixed(2)} ms, p95 ${quantile(others, 0.95).toFixed(2)} ms; items with p95 above 50 ms: ${slow.length ? slow.join(', ') : 'none'}`);
await pool.close();
