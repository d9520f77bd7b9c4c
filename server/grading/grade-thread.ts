/**
 * A grading process: learner code runs here, never in the server's process. Bundled by esbuild to
 * .kakunin/grade-thread.mjs (server/cli/build-state.mjs) and started by pool.ts as a child process (IPC with
 * the advanced serialization); it also runs as a worker thread, which only the transport benchmark uses.
 * Every reply is capped (graders/code/caps.ts) before it is sent.
 */
import { parentPort } from 'node:worker_threads';
import { capRun, capText, capVerdict, CAPS } from '../../graders/code/caps';
import { gradeCode, makeCases, runExample } from '../../graders/code/grade-code';
import { initBackend, type NodeBackend } from '../../graders/numpy/backend-node';
import { GRADERS } from '../../graders/references/index';
import type { GradeReply, GradeRequest, ReadyMessage } from './protocol';

type Outgoing = GradeReply | ReadyMessage;

const channel = ((): { send(message: Outgoing): void; onMessage(handler: (request: GradeRequest) => void): void } => {
  const port = parentPort;
  if (port) return { send: (m) => port.postMessage(m), onMessage: (h) => port.on('message', h) };
  const send = process.send?.bind(process);
  if (!send) throw new Error('grade-thread must run as a child process with IPC (or a worker thread)');
  // The server is gone (killed, crashed): nothing will read our replies.
  process.on('disconnect', () => process.exit(0));
  return { send: (m) => void send(m), onMessage: (h) => process.on('message', h as (m: unknown) => void) };
})();

const backendName = (process.env.KAKUNIN_SERVER_BACKEND === 'wasm' ? 'wasm' : 'cpu') as NodeBackend;
const ready = initBackend(backendName).then((backend) => {
  warm();
  return backend;
});
// The pool starts a job's clock only once the process is ready, so start-up never counts against the learner.
void ready.then(() => channel.send({ type: 'ready' }));

/** Runs every reference once, so the first learner's grading does not pay for kernel set-up and JIT. */
function warm(): void {
  for (const grader of GRADERS.values()) {
    for (const inputs of makeCases(grader, 1, 1)) grader.reference(inputs);
  }
}

channel.onMessage((request) => {
  void ready.then(
    (backend) => channel.send(handle(request, backend)),
    (error: unknown) => channel.send({ id: request.id, ok: false, error: capText(String(error), CAPS.message) }),
  );
});

function handle(request: GradeRequest, backend: string): GradeReply {
  const grader = GRADERS.get(request.graderKey);
  if (!grader) return { id: request.id, ok: false, error: capText(`no grader ${request.graderKey}`, CAPS.message) };
  const started = performance.now();
  try {
    if (request.type === 'run') {
      const run = capRun(runExample(request.item, grader, request.code, request.seed, request.options));
      return { id: request.id, ok: true, type: 'run', run, backend, elapsedMs: performance.now() - started };
    }
    const verdict = capVerdict(gradeCode(request.item, grader, request.code, request.seed, request.options));
    return { id: request.id, ok: true, type: 'grade', verdict, backend, elapsedMs: performance.now() - started };
  } catch (error) {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { id: request.id, ok: false, error: capText(text, CAPS.message) };
  }
}
