/**
 * A grading thread: learner code runs here, never on the server's event loop. Bundled by esbuild to
 * .kakunin/grade-thread.mjs (server/cli/build-state.mjs) and started by pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import { gradeCode, makeCases, runExample } from '../../graders/code/grade-code';
import { initBackend, type NodeBackend } from '../../graders/numpy/backend-node';
import { GRADERS } from '../../graders/references/index';
import type { GradeReply, GradeRequest } from './protocol';

const port = parentPort;
if (!port) throw new Error('grade-thread must run as a worker thread');

const backendName = (process.env.KAKUNIN_SERVER_BACKEND === 'wasm' ? 'wasm' : 'cpu') as NodeBackend;
const ready = initBackend(backendName).then((backend) => {
  warm();
  return backend;
});
// The pool starts a job's clock only once the thread is ready, so start-up never counts against the learner.
void ready.then(() => port.postMessage({ type: 'ready' }));

/** Runs every reference once, so the first learner's grading does not pay for kernel set-up and JIT. */
function warm(): void {
  for (const grader of GRADERS.values()) {
    for (const inputs of makeCases(grader, 1, 1)) grader.reference(inputs);
  }
}

port.on('message', (request: GradeRequest) => {
  void ready.then(
    (backend) => {
      const reply = handle(request, backend);
      port.postMessage(reply);
    },
    (error: unknown) => port.postMessage({ id: request.id, ok: false, error: String(error) } satisfies GradeReply),
  );
});

function handle(request: GradeRequest, backend: string): GradeReply {
  const grader = GRADERS.get(request.graderKey);
  if (!grader) return { id: request.id, ok: false, error: `no grader ${request.graderKey}` };
  const started = performance.now();
  try {
    if (request.type === 'run') {
      const run = runExample(request.item, grader, request.code, request.seed, request.options);
      return { id: request.id, ok: true, type: 'run', run, backend, elapsedMs: performance.now() - started };
    }
    const verdict = gradeCode(request.item, grader, request.code, request.seed, request.options);
    return { id: request.id, ok: true, type: 'grade', verdict, backend, elapsedMs: performance.now() - started };
  } catch (error) {
    return { id: request.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
