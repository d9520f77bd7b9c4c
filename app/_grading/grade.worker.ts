/// <reference lib="webworker" />
/**
 * The browser's grader: the same interpreter and references as the server, on the tfjs WebGL backend
 * (falling back to wasm, then cpu). It runs in a Web Worker so an endless loop never freezes the page.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
// the class items' references differentiate with tf.grad; tfjs-core leaves registering the gradients to the host
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { FLOAT32_TOLERANCE, HALF_PRECISION_TOLERANCE } from '@/graders/code/compare';
import { capRun, capText, capVerdict, CAPS } from '@/graders/code/caps';
import { gradeCode, makeCases, runExample, type GradeOptions } from '@/graders/code/grade-code';
import { arraysOf, fromJson, readArrays, type JsonValue } from '@/graders/numpy/json-values';
import { GRADERS } from '@/graders/references/index';
import type { BackendChoice, GradeStats, WarmSpec, WorkerReply, WorkerRequest } from './protocol';

declare const self: DedicatedWorkerGlobalScope;

/**
 * The interpreter's own wall-clock limit per case, far above the page's: a slow device (software WebGL, the first
 * shader compile) must not turn a right answer into a TimeoutError. Loops are still caught by the step limit, and
 * the page terminates a worker that runs past its limit.
 */
const CASE_TIMEOUT_MS = 120_000;

let options: GradeOptions = { tolerance: FLOAT32_TOLERANCE, caseTimeoutMs: CASE_TIMEOUT_MS };
let backend = 'none';
let halfPrecision = false;

type BackendName = Exclude<BackendChoice, 'auto'>;
const ORDER: Record<BackendName, BackendName[]> = { webgl: ['webgl', 'wasm', 'cpu'], wasm: ['wasm', 'cpu'], cpu: ['cpu'] };

/**
 * The WebGL renderer's name when it is a software rasterizer, else null. Measured on every item (bench/
 * browser-grading.ts, SwiftShader): wasm grades faster than such a WebGL on all of them, and needs no shader compiles.
 */
function softwareRendererName(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') ?? new OffscreenCanvas(1, 1).getContext('webgl');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
    gl.getExtension('WEBGL_lose_context')?.loseContext(); // the probe's context is not kept
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name) ? name : null;
  } catch {
    return null;
  }
}

let softwareRenderer: string | null = null;

async function init(prefer: BackendChoice, referenceOnGpu: boolean): Promise<void> {
  let order: BackendName[];
  if (prefer === 'auto') {
    softwareRenderer = softwareRendererName();
    order = softwareRenderer ? ['wasm', 'webgl', 'cpu'] : ORDER.webgl;
  } else order = ORDER[prefer];
  tf.env().set('PROD', true);
  // Measured on every item (bench/browser-grading.ts): shapes as uniforms let one compiled shader serve every case's
  // shapes (each case used to compile its own, ~40 ms apiece on a software GPU). Not with WEBGL_PACK off: tfjs 4.22's
  // unpacked kernels with shape uniforms gave transformer-mha-class-split-heads a wrong dWo.
  tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  setWasmPaths('/tfjs-wasm/');
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        break;
      }
    } catch {
      // try the next backend
    }
  }
  backend = tf.getBackend();
  if (backend === 'webgl' && !referenceOnGpu && (await cpuReady())) options = { ...options, referenceOn: onCpu };
  // Some GPUs only render half-precision floats: compare with wider tolerances there.
  halfPrecision = backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE');
  options = { ...options, tolerance: halfPrecision ? HALF_PRECISION_TOLERANCE : FLOAT32_TOLERANCE, caseTimeoutMs: CASE_TIMEOUT_MS };
}

/** Initialises the cpu backend beside WebGL (tfjs keeps both; switching between initialised backends is synchronous). */
async function cpuReady(): Promise<boolean> {
  try {
    const ok = await tf.setBackend('cpu');
    await tf.setBackend('webgl');
    return ok && tf.getBackend() === 'webgl';
  } catch {
    await tf.setBackend('webgl');
    return false;
  }
}

/**
 * Runs the reference on the cpu backend: its values are only compared, so computing them on the GPU cost shader
 * compiles and a GPU→CPU read per value. The learner's code still runs on WebGL.
 */
function onCpu<T>(compute: () => T): T {
  // Both backends are initialised, so setBackend switches before its first await (no promise to wait for).
  void tf.setBackend('cpu');
  try {
    return compute();
  } finally {
    void tf.setBackend('webgl');
  }
}

/** Bumped by every run or grading: a warm-up in progress stops at its next step and leaves the worker to it. */
let warmGeneration = 0;

/** Lets queued messages in (a MessageChannel round trip, not a clamped timer). */
function yieldToMessages(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/**
 * Compiles the item's WebGL kernels while the learner reads the question: the template run with a placeholder blank
 * runs the template's own ops, and the reference (on WebGL here, although gradings compare with it on the cpu
 * backend) runs many of a right answer's ops on the same shapes. It runs in steps after the `ready` reply, and a
 * 提出 or 実行 arriving meanwhile stops it, so a learner who submits at once never waits for it.
 */
async function warm(spec: WarmSpec): Promise<void> {
  const generation = ++warmGeneration;
  const grader = GRADERS.get(spec.graderKey);
  if (!grader) return;
  const steps: (() => unknown)[] = [];
  if (spec.item.kind === 'code') steps.push(() => runExample(spec.item, grader, '0', spec.seed, options));
  for (const inputs of makeCases(grader, spec.seed, 2)) {
    let expected: ReturnType<typeof grader.reference> | undefined;
    steps.push(() => (expected = grader.reference(inputs)));
    steps.push(() => expected && warmRead(expected));
  }
  for (const step of steps) {
    await yieldToMessages();
    if (generation !== warmGeneration) return;
    try {
      step();
    } catch {
      // a placeholder blank may fail in the template: the kernels before it are compiled all the same
    }
  }
}

/**
 * Compiles the join that reads a grading's values in one download (graders/numpy/json-values.ts readArrays): its
 * shader depends on the shapes joined, which are the reference's blanks and result. The stand-in arrays are made
 * on the GPU as the learner's are (tfjs would join small arrays still held on the CPU without the GPU).
 */
function warmRead(expected: { result: JsonValue; blanks: JsonValue[] | null }): void {
  const forward = tf.env().getBool('WEBGL_CPU_FORWARD');
  tf.env().set('WEBGL_CPU_FORWARD', false);
  try {
    tf.tidy(() => {
      const blanks = (expected.blanks ?? []).filter((b) => b !== null && typeof b === 'object' && 'shape' in b);
      const tensors = arraysOf(fromJson([...blanks, expected.result])).map((t) => (t.dtype === 'bool' ? t : tf.mul(t, tf.scalar(1, t.dtype))));
      readArrays(tensors);
    });
  } finally {
    tf.env().set('WEBGL_CPU_FORWARD', forward);
  }
}

/** The warm-up before the reference moved to the cpu backend (wasm; WebGL without cpu): all of it before `ready`. */
function warmBlocking(spec: WarmSpec): void {
  const grader = GRADERS.get(spec.graderKey);
  if (!grader) return;
  for (const inputs of makeCases(grader, spec.seed, 2)) grader.reference(inputs);
  if (spec.item.kind === 'code') runExample(spec.item, grader, '0', spec.seed, options);
}

/** Benchmarks only: counts the backend's reads and shader compiles (tfjs internals, hence the loose types). */
let counting: GradeStats | null = null;
type Internals = { readSync: (id: object) => unknown; read: (id: object) => Promise<unknown>; texData?: { get(id: object): { values?: unknown } | undefined }; binaryCache?: object };

function instrument(): void {
  if (counting) return;
  counting = { reads: 0, gpuReads: 0, programs: 0 };
  const b = tf.backend() as unknown as Internals;
  const count = (id: object) => {
    counting!.reads++;
    if (!b.texData || b.texData.get(id)?.values == null) counting!.gpuReads++;
  };
  const readSync = b.readSync.bind(b);
  const read = b.read.bind(b);
  b.readSync = (id) => (count(id), readSync(id));
  b.read = (id) => (count(id), read(id));
}

function measure<T>(work: () => T): { result: T; stats?: GradeStats } {
  if (!counting) return { result: work() };
  const cache = (tf.backend() as unknown as Internals).binaryCache;
  const programs0 = cache ? Object.keys(cache).length : 0;
  counting.reads = 0;
  counting.gpuReads = 0;
  const result = work();
  return { result, stats: { ...counting, programs: (cache ? Object.keys(cache).length : 0) - programs0 } };
}

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'init') {
      if (backend === 'none') await init(request.prefer, request.referenceOnGpu === true);
      for (const [name, value] of Object.entries(request.flags ?? {})) tf.env().set(name, value);
      if (request.debug) instrument();
      if (request.warm && !options.referenceOn) warmBlocking(request.warm);
      reply({ id: request.id, type: 'ready', backend, halfPrecision, ...(softwareRenderer && backend === 'wasm' ? { softwareRenderer } : {}) });
      if (request.warm && options.referenceOn) await warm(request.warm);
      if (counting && request.warm) reply({ id: request.id, type: 'warmed' });
      return;
    }
    warmGeneration++;
    const grader = GRADERS.get(request.graderKey);
    if (!grader) throw new Error(`no grader ${request.graderKey}`);
    const started = performance.now();
    if (request.type === 'run') {
      // Capped like the server's replies (graders/code/caps.ts): the page never receives megabytes.
      const run = capRun(runExample(request.item, grader, request.code, request.seed, options));
      reply({ id: request.id, type: 'run', run, backend: tf.getBackend(), elapsedMs: performance.now() - started });
    } else {
      const { result, stats } = measure(() => gradeCode(request.item, grader, request.code, request.seed, options));
      const verdict = capVerdict(result);
      reply({ id: request.id, type: 'grade', verdict, backend: tf.getBackend(), elapsedMs: performance.now() - started, ...(stats ? { stats } : {}) });
    }
  } catch (error) {
    reply({ id: request.id, type: 'failed', message: capText(error instanceof Error ? error.message : String(error), CAPS.message) });
  }
};
