// Browser grading latency of every `code` and `function` item of the bank, on WebGL and on wasm in the same run, in
// headless Chromium (SwiftShader). The page's grading worker (app/_grading/grade.worker.ts) is bundled as the app
// ships it and driven the way the page drives it: `init` with the item's warm-up spec when the item opens, `grade`
// on 提出. Times are measured in the page from posting `grade` to the verdict's reply (the page's
// 提出 → browser verdict, without React's render).
//
// - cold: the item opens and is submitted at once (the warm-up and the grading run back to back; the worker is the
//   page's, already warm from earlier items, as in a session)
// - warm: further gradings of the same item after its warm-up (--reps of them)
// - reads: dataSync/data/arraySync calls per warm grading (gpu: of them, downloads from the GPU); programs: shader
//   programs compiled by that grading
// - after warm-up: a second fresh page where each item is warmed up first, then graded once (the learner read the
//   question before 提出), with the shaders that grading still compiled
// - server: the same item graded in-process on the tfjs cpu backend (as a grading thread does), p50
//
//   npx tsx bench/browser-grading.ts [--reps 5] [--only id,id] [--backends webgl,wasm] [--flags NAME=v,…] [--reference-on-gpu] [--no-after-warmup] [--out bench/results/x.json]

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { gradeCode } from '../graders/code/grade-code';
import { initBackend } from '../graders/numpy/backend-node';
import { GRADERS } from '../graders/references/index';
import { buildBank } from '../server/bank/bank';
import { launchBrowser } from '../tests/e2e/harness';

const args = process.argv.slice(2);
const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const reps = Number(opt('--reps') ?? 5);
const only = opt('--only')?.split(',');
const backends = (opt('--backends') ?? 'webgl,wasm').split(',');
const out = opt('--out');
const afterWarmup = !args.includes('--no-after-warmup');
// tfjs environment flags for an experiment, e.g. --flags WEBGL_PACK=false,WEBGL_USE_SHAPES_UNIFORMS=true
const flags = Object.fromEntries((opt('--flags') ?? '').split(',').filter(Boolean).map((kv) => {
  const [k, v] = kv.split('=');
  return [k!, v === 'true' ? true : v === 'false' ? false : Number(v)];
}));
const SEED = 12345;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};

const bank = buildBank();
const items = bank.questions
  .filter((q): q is typeof q & { kind: 'code' | 'function'; template: string; solution: string } => q.kind === 'code' || q.kind === 'function')
  .filter((q) => !only || only.includes(q.id))
  .map((q) => ({ id: q.id, kind: q.kind, template: q.template, solution: q.solution.trim(), graderKey: (q as { grader?: string }).grader ?? q.id }));

// Server time for the same item: the grading thread's in-process work on the cpu backend.
await initBackend('cpu');
const serverMs = new Map<string, number>();
for (const it of items) {
  const grader = GRADERS.get(it.graderKey);
  if (!grader) throw new Error(`no grader ${it.graderKey}`);
  const ms: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const v = gradeCode({ id: it.id, kind: it.kind, template: it.template }, grader, it.solution, SEED);
    if (i > 0) ms.push(performance.now() - t0);
    if (v.verdict !== 'correct') throw new Error(`${it.id} (server): ${v.message}`);
  }
  serverMs.set(it.id, quantile(ms, 0.5));
}

// The worker as the app bundles it.
const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-bench-'));
await build({
  entryPoints: ['app/_grading/grade.worker.ts'],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  minify: true,
  outfile: path.join(dir, 'grade.worker.js'),
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
});
const wasmDir = path.join(process.cwd(), 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const http = createServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith('/tfjs-wasm/')) {
    res.writeHead(200, { 'content-type': 'application/wasm' });
    res.end(readFileSync(path.join(wasmDir, path.basename(url))));
  } else if (url === '/grade.worker.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(readFileSync(path.join(dir, 'grade.worker.js')));
  } else {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><meta charset="utf-8"><title>bench</title>');
  }
});
await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
const browser = await launchBrowser();

interface Row {
  id: string;
  kind: string;
  cold: number;
  warm: number[];
  reads: number;
  gpuReads: number;
  programs: number;
  coldPrograms: number;
  /** the first grading on a fresh page after the item's warm-up finished */
  afterWarmup?: number;
  afterWarmupPrograms?: number;
  cases: number;
  verdict: string;
}
/** A tiny driver in the page: posts a request, resolves with the reply and the round trip in ms. */
function installDriver(): void {
  const w = new Worker('/grade.worker.js');
  let next = 1;
  const waiting = new Map<number, (r: unknown) => void>();
  const warming = new Map<number, () => void>();
  w.onmessage = (e) => (e.data.type === 'warmed' ? warming.get(e.data.id)?.() : waiting.get(e.data.id)?.(e.data));
  // an init with a warm-up, resolved when the warm-up (which runs after the `ready` reply) is done
  (window as unknown as { warmUp: unknown }).warmUp = (req: object) => {
    const id = next++;
    return new Promise<void>((resolve) => {
      warming.set(id, resolve);
      w.postMessage({ ...req, id });
    });
  };
  (window as unknown as { send: unknown }).send = (req: object) => {
    const id = next++;
    const t0 = performance.now();
    return new Promise((resolve) => {
      waiting.set(id, (reply) => resolve({ reply, ms: performance.now() - t0 }));
      w.postMessage({ ...req, id });
    });
  };
}

const results: Record<string, { init: number; backend: string; rows: Row[] }> = {};

for (const prefer of backends) {
  const page = await browser.newPage();
  await page.goto(`${base}/`);
  // A tiny driver in the page: post a request, resolve with the reply and the round trip in ms.
  await page.evaluate(installDriver);
  type Reply = { reply: { type: string; backend?: string; message?: string; verdict?: { verdict: string; message: string; total: number }; stats?: { reads: number; gpuReads: number; programs: number } }; ms: number };
  const send = (req: object) => page.evaluate((r) => (window as unknown as { send: (r: object) => Promise<Reply> }).send(r), req);
  const init = await send({ type: 'init', prefer, debug: true, flags, ...(args.includes('--reference-on-gpu') ? { referenceOnGpu: true } : {}) });
  if (init.reply.type !== 'ready') throw new Error(`init failed: ${init.reply.message}`);
  const rows: Row[] = [];
  for (const it of items) {
    const item = { id: it.id, kind: it.kind, template: it.template };
    const grade = { type: 'grade', item, graderKey: it.graderKey, code: it.solution, seed: SEED };
    // cold: the warm-up (as the item opens) and 提出 at once
    const cold = await page.evaluate(
      async ([w, g]) => {
        const s = (window as unknown as { send: (r: object) => Promise<Reply> }).send;
        const t0 = performance.now();
        void s(w);
        const r = await s(g);
        return { reply: r.reply, ms: performance.now() - t0 };
      },
      [{ type: 'init', prefer, warm: { item, graderKey: it.graderKey, seed: SEED } }, grade] as const,
    );
    // A wrong verdict on the model answer is a finding, not a reason to stop the run: it is listed at the end.
    if (cold.reply.verdict?.verdict !== 'correct') process.stderr.write(`${prefer} ${it.id}: NOT CORRECT: ${cold.reply.verdict?.message ?? cold.reply.message}\n`);
    const warm: number[] = [];
    let last = cold;
    for (let i = 0; i < reps; i++) {
      last = await send(grade);
      warm.push(last.ms);
    }
    const row: Row = {
      id: it.id,
      kind: it.kind,
      cold: cold.ms,
      warm,
      reads: last.reply.stats?.reads ?? NaN,
      gpuReads: last.reply.stats?.gpuReads ?? NaN,
      programs: last.reply.stats?.programs ?? NaN,
      coldPrograms: cold.reply.stats?.programs ?? NaN,
      cases: last.reply.verdict?.total ?? NaN,
      verdict: cold.reply.verdict?.verdict ?? cold.reply.type,
    };
    rows.push(row);
    process.stderr.write(`${prefer} ${it.id} cold ${row.cold.toFixed(0)} warm p50 ${quantile(warm, 0.5).toFixed(0)} reads ${row.reads}\n`);
  }
  await page.close();
  // first grading after the warm-up (the learner reads the question first): a fresh page, each item warmed, then graded
  if (afterWarmup) {
    const page2 = await browser.newPage();
    await page2.goto(`${base}/`);
    await page2.evaluate(installDriver);
    const send2 = (req: object) => page2.evaluate((r) => (window as unknown as { send: (r: object) => Promise<Reply> }).send(r), req);
    await send2({ type: 'init', prefer, debug: true, flags, ...(args.includes('--reference-on-gpu') ? { referenceOnGpu: true } : {}) });
    for (const row of rows) {
      const it = items.find((i) => i.id === row.id)!;
      const item = { id: it.id, kind: it.kind, template: it.template };
      await page2.evaluate((r) => (window as unknown as { warmUp: (r: object) => Promise<void> }).warmUp(r), { type: 'init', prefer, warm: { item, graderKey: it.graderKey, seed: SEED } });
      const r = await send2({ type: 'grade', item, graderKey: it.graderKey, code: it.solution, seed: SEED });
      row.afterWarmup = r.ms;
      row.afterWarmupPrograms = r.reply.stats?.programs ?? NaN;
    }
    await page2.close();
  }
  results[prefer] = { init: init.ms, backend: init.reply.backend ?? '?', rows };
}
await browser.close();
http.close();

const f = (x: number) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(1)) : '-');
for (const [prefer, r] of Object.entries(results)) {
  console.log(`\n## ${prefer} (backend in use: ${r.backend}; worker start ${f(r.init)} ms)`);
  console.log('| item | kind | cases | cold | warm p50 | p95 | max | reads (gpu) | programs warm / cold | after warm-up (programs) | server p50 |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of r.rows) {
    console.log(
      `| ${row.id} | ${row.kind} | ${row.cases} | ${f(row.cold)} | ${f(quantile(row.warm, 0.5))} | ${f(quantile(row.warm, 0.95))} | ${f(Math.max(...row.warm))} | ${row.reads} (${row.gpuReads}) | ${row.programs} / ${row.coldPrograms} | ${f(row.afterWarmup ?? NaN)} (${row.afterWarmupPrograms ?? '-'}) | ${f(serverMs.get(row.id)!)} |`,
    );
  }
  const all = r.rows.flatMap((row) => row.warm);
  const colds = r.rows.map((row) => row.cold);
  const afters = r.rows.map((row) => row.afterWarmup ?? NaN);
  const over = r.rows.filter((row) => Math.max(row.cold, ...row.warm) > 1000).map((row) => row.id);
  const wrong = r.rows.filter((row) => row.verdict !== 'correct').map((row) => row.id);
  const readsOver = r.rows.filter((row) => r.backend === 'webgl' && row.kind === 'code' && row.gpuReads > row.cases + 1).map((row) => row.id);
  console.log(
    `\n${prefer}: warm over all items p50 ${f(quantile(all, 0.5))} ms, p95 ${f(quantile(all, 0.95))} ms, max ${f(Math.max(...all))} ms; cold p50 ${f(quantile(colds, 0.5))} ms, p95 ${f(quantile(colds, 0.95))} ms; ` +
      `first after warm-up p50 ${f(quantile(afters, 0.5))} ms, p95 ${f(quantile(afters, 0.95))} ms, max ${f(Math.max(...afters.filter(Number.isFinite)))} ms; ` +
      `items above 1 s: ${over.length ? over.join(', ') : 'none'}; fill-in items with GPU reads > cases + 1: ${readsOver.length ? readsOver.join(', ') : 'none'}; ` +
      `model answer NOT graded correct: ${wrong.length ? wrong.join(', ') : 'none'}`,
  );
}
if (out) writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), reps, serverMs: Object.fromEntries(serverMs), results }, null, 1));
