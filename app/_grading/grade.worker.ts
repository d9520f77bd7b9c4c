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
import { GRADERS } from '@/graders/references/index';
import type { BackendChoice, WarmSpec, WorkerReply, WorkerRequest } from './protocol';

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

const ORDER: Record<BackendChoice, BackendChoice[]> = { webgl: ['webgl', 'wasm', 'cpu'], wasm: ['wasm', 'cpu'], cpu: ['cpu'] };

async function init(prefer: BackendChoice): Promise<void> {
  tf.env().set('PROD', true);
  setWasmPaths('/tfjs-wasm/');
  for (const name of ORDER[prefer]) {
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
  // Some GPUs only render half-precision floats: compare with wider tolerances there.
  halfPrecision = backend === 'webgl' && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE');
  options = { tolerance: halfPrecision ? HALF_PRECISION_TOLERANCE : FLOAT32_TOLERANCE, caseTimeoutMs: CASE_TIMEOUT_MS };
}

/**
 * Compiles the item's kernels before the learner's first run: the reference runs the ops of a right answer, and
 * the template run with a placeholder blank runs the template's own (its result does not matter).
 */
function warm(spec: WarmSpec): void {
  const grader = GRADERS.get(spec.graderKey);
  if (!grader) return;
  for (const inputs of makeCases(grader, spec.seed, 2)) grader.reference(inputs);
  if (spec.item.kind === 'code') runExample(spec.item, grader, '0', spec.seed, options);
}

function reply(message: WorkerReply): void {
  self.postMessage(message);
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'init') {
      if (backend === 'none') await init(request.prefer);
      if (request.warm) warm(request.warm);
      reply({ id: request.id, type: 'ready', backend, halfPrecision });
      return;
    }
    const grader = GRADERS.get(request.graderKey);
    if (!grader) throw new Error(`no grader ${request.graderKey}`);
    const started = performance.now();
    if (request.type === 'run') {
      // Capped like the server's replies (graders/code/caps.ts): the page never receives megabytes.
      const run = capRun(runExample(request.item, grader, request.code, request.seed, options));
      reply({ id: request.id, type: 'run', run, backend: tf.getBackend(), elapsedMs: performance.now() - started });
    } else {
      const verdict = capVerdict(gradeCode(request.item, grader, request.code, request.seed, options));
      reply({ id: request.id, type: 'grade', verdict, backend: tf.getBackend(), elapsedMs: performance.now() - started });
    }
  } catch (error) {
    reply({ id: request.id, type: 'failed', message: capText(error instanceof Error ? error.message : String(error), CAPS.message) });
  }
};
