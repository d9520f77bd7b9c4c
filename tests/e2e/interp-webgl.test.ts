// The interpreter runs unchanged in a browser Web Worker on the webgl backend: bundle it with esbuild, serve a
// page + worker from 127.0.0.1, drive Debian Chromium (WebGL through SwiftShader) with playwright-core.
// Independent of the Next build (needs no global setup).
//
//   npx vitest run --project e2e tests/e2e/interp-webgl.test.ts

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

const WORKER_SOURCE = `
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from ${JSON.stringify(join(root, 'graders/numpy/backend-browser.ts'))};
import { evaluate } from ${JSON.stringify(join(root, 'graders/numpy/index.ts'))};

const ready = initBackend('webgl');
self.onmessage = async (ev) => {
  try {
    const backend = await ready;
    const { code, inputs } = ev.data;
    evaluate(code, inputs); // warm-up: compiles the shaders
    const t0 = performance.now();
    const result = evaluate(code, inputs);
    const ms = performance.now() - t0;
    const float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE');
    self.postMessage({ backend, getBackend: tf.getBackend(), result, ms, float32, numTensors: tf.memory().numTensors });
  } catch (e) {
    self.postMessage({ failure: String(e && e.stack || e) });
  }
};
`;

const PAGE = `<!doctype html><meta charset="utf-8"><title>interp</title>
<script>
  const worker = new Worker('/worker.js');
  window.runInWorker = (msg) => new Promise((resolve) => {
    worker.onmessage = (ev) => resolve(ev.data);
    worker.postMessage(msg);
  });
</script>`;

let server: Server;
let browser: Browser;
let baseUrl = '';
let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'interp-webgl-'));
  const entry = join(dir, 'worker-entry.ts');
  writeFileSync(entry, WORKER_SOURCE);
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // only the webgl backend is exercised here; the wasm backend is loaded lazily by backend-browser.ts
    external: ['@tensorflow/tfjs-backend-wasm'],
    nodePaths: [join(root, 'node_modules')],
  });
  const workerJs = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === '/worker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(workerJs);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-swiftshader'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface WorkerReply {
  failure?: string;
  backend: string;
  getBackend: string;
  result: { ok: boolean; value?: unknown; error?: unknown; stdout: string };
  ms: number;
  float32: boolean;
}

async function run(code: string, inputs: Record<string, unknown>): Promise<WorkerReply> {
  const page = await browser.newPage();
  try {
    await page.goto(baseUrl);
    const reply = (await page.evaluate((msg) => (window as unknown as { runInWorker: (m: unknown) => Promise<unknown> }).runInWorker(msg), { code, inputs })) as WorkerReply;
    if (reply.failure) throw new Error(reply.failure);
    return reply;
  } finally {
    await page.close();
  }
}

describe('interpreter in a Chromium Web Worker on WebGL', () => {
  it('evaluates the BiRNN concatenation on the webgl backend', async () => {
    const h = (offset: number) => ({ dtype: 'float32', shape: [5, 4], data: Array.from({ length: 20 }, (_, i) => i + offset) });
    const reply = await run('np.concatenate([h_f, h_b[::-1]], axis=1)', { h_f: h(0), h_b: h(100) });
    expect(reply.backend).toBe('webgl');
    expect(reply.getBackend).toBe('webgl');
    const expected: number[] = [];
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 4; c++) expected.push(r * 4 + c);
      for (let c = 0; c < 4; c++) expected.push(100 + (4 - r) * 4 + c);
    }
    expect(reply.result).toEqual({ ok: true, value: { dtype: 'float32', shape: [5, 8], data: expected }, stdout: '' });
  });

  it('runs a program with item assignment, reductions and errors the same way', async () => {
    const code = 'z = np.zeros((2, 3))\nfor t in range(2):\n    z[:, t + 1] = np.exp(np.array([0.0, 1.0])) * (t + 1)\nz.sum(axis=0)';
    const reply = await run(code, {});
    expect(reply.getBackend).toBe('webgl');
    expect(reply.result.ok).toBe(true);
    const data = (reply.result.value as { data: number[] }).data;
    const tol = reply.float32 ? 1e-5 : 1e-2;
    const e = 1 + Math.E;
    [0, e, 2 * e].forEach((x, i) => expect(Math.abs(data[i]! - x)).toBeLessThan(tol * Math.max(1, x)));
    const bad = await run('np.concatenate([np.ones((3, 4)), np.ones((3, 2))], axis=0)', {});
    expect(bad.result).toMatchObject({ ok: false, error: { type: 'ValueError', message: '連結する配列の形が axis=0 以外で一致しません: (3, 4) と (3, 2)', line: 1, col: 1 } });
  });
});
