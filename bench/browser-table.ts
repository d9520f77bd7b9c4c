// Per-item BEFORE/AFTER table (markdown) from two `bench/browser-grading.ts --out` files.
//
//   npx tsx bench/browser-table.ts bench/results/browser-before.json bench/results/browser-after.json

import { readFileSync } from 'node:fs';

interface Row {
  id: string;
  kind: string;
  cold: number;
  warm: number[];
  gpuReads: number;
  reads: number;
  cases: number;
  coldPrograms: number;
  verdict: string;
}
interface Run {
  serverMs: Record<string, number>;
  results: Record<string, { rows: Row[] }>;
}

const [beforeFile, afterFile] = process.argv.slice(2);
const before = JSON.parse(readFileSync(beforeFile!, 'utf8')) as Run;
const after = JSON.parse(readFileSync(afterFile!, 'utf8')) as Run;
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const f = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const row = (run: Run, backend: string, id: string) => run.results[backend]?.rows.find((r) => r.id === id);
const mark = (r: Row | undefined) => (r && r.verdict !== 'correct' ? '✗' : '');

console.log('| item | cases | WebGL warm p50 / p95 | WebGL cold | WebGL GPU reads | WebGL shaders compiled (cold) | wasm warm p50 / p95 | wasm cold | server p50 |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const a of after.results.webgl?.rows ?? []) {
  const b = row(before, 'webgl', a.id);
  const bw = row(before, 'wasm', a.id);
  const aw = row(after, 'wasm', a.id);
  const pair = (x: string, y: string) => `${x} → ${y}`;
  console.log(
    `| ${a.id} | ${a.cases} | ${pair(`${f(b && q(b.warm, 0.5))} / ${f(b && q(b.warm, 0.95))}`, `${f(q(a.warm, 0.5))} / ${f(q(a.warm, 0.95))}`)}${mark(a)} | ${pair(f(b?.cold), f(a.cold))} | ${pair(String(b?.gpuReads ?? '-'), String(a.gpuReads))} | ${pair(String(b?.coldPrograms ?? '-'), String(a.coldPrograms))} | ${pair(`${f(bw && q(bw.warm, 0.5))} / ${f(bw && q(bw.warm, 0.95))}`, `${f(aw && q(aw.warm, 0.5))} / ${f(aw && q(aw.warm, 0.95))}`)}${mark(aw)} | ${pair(f(bw?.cold), f(aw?.cold))} | ${f(after.serverMs[a.id])} |`,
  );
}
for (const backend of ['webgl', 'wasm']) {
  for (const [label, run] of [['before', before], ['after', after]] as const) {
    const rows = run.results[backend]?.rows ?? [];
    const warm = rows.flatMap((r) => r.warm);
    const colds = rows.map((r) => r.cold);
    const over = rows.filter((r) => Math.max(r.cold, ...r.warm) > 1000).length;
    const coldRatio = rows.filter((r) => r.cold > 2 * q(r.warm, 0.5)).length;
    console.log(
      `\n${backend} ${label}: warm p50 ${f(q(warm, 0.5))} ms, p95 ${f(q(warm, 0.95))} ms, max ${f(Math.max(...warm))} ms; cold p50 ${f(q(colds, 0.5))} ms, p95 ${f(q(colds, 0.95))} ms; items above 1 s: ${over}; items with cold > 2× warm p50: ${coldRatio}`,
    );
  }
}
