'use client';

import type { ExampleRun } from '@/graders/code/grade-code';
import type { CodeError, CodeItem, CodeVerdict } from '@/graders/code/types';
import type { BackendChoice, WarmSpec, WorkerReply, WorkerRequest } from './protocol';

/**
 * The browser ran out of wall-clock time. It says nothing about the learner's code: a phone, a software GPU or the
 * first shader compile can be slow, and the server's verdict decides anyway.
 */
export class BrowserTimeoutError extends Error {
  constructor(readonly limitMs: number) {
    super(`browser grading took longer than ${limitMs} ms`);
    this.name = 'BrowserTimeoutError';
  }
}

/** The worker failed, crashed or was stopped: again not the learner's doing. */
export class BrowserWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserWorkerError';
  }
}

/** The caller gave up on a request (a newer attempt, or the server already found a limit). */
export class BrowserAbortError extends Error {
  constructor() {
    super('browser grading was abandoned');
    this.name = 'BrowserAbortError';
  }
}

/**
 * Which limit stopped a run. Only the interpreter's step limit is evidence of a loop in the learner's code; a
 * wall-clock limit (the interpreter's `timeoutMs`, the page's or the server pool's) may just mean a slow machine.
 */
export function stoppedBy(error: CodeError | undefined): 'steps' | 'time' | 'other' | null {
  if (!error?.limit) return null;
  if (error.limit === 'maxSteps') return 'steps';
  return error.limit === 'timeoutMs' ? 'time' : 'other';
}

/** The first case error of a verdict (the one its message names). */
export function firstError(verdict: CodeVerdict): CodeError | undefined {
  return verdict.cases.find((c) => c.error)?.error;
}

export interface BackendInfo {
  backend: string;
  halfPrecision: boolean;
  /** set when `auto` chose wasm because WebGL is rendered in software (SwiftShader, llvmpipe) */
  softwareRenderer?: string;
}

export interface RequestOptions {
  /** wall clock from the moment the worker starts on this request (not while it waits behind another) */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Starting tfjs and compiling an item's kernels: slow on a software GPU, never the learner's fault. */
const INIT_LIMIT_MS = 60_000;

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout>; type: WorkerRequest['type'] };
type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

const ignore = () => undefined;

function gradingWorker(): Worker {
  return new Worker(new URL('./grade.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * The page's handle on the grading Web Worker. Requests run one at a time, in order, and each one's time limit
 * starts when the worker starts on it. A request that runs past its limit (or is abandoned mid-run) terminates
 * the worker, the only way to stop learner code mid-loop; a fresh one is started and warmed in its place.
 */
export class BrowserGrader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private ready: Promise<BackendInfo> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private warmFor: WarmSpec | undefined;

  constructor(
    private readonly prefer: BackendChoice,
    /** tests pass a fake */
    private readonly createWorker: () => Worker = gradingWorker,
  ) {}

  /** Starts a worker; its first message initialises tfjs (and warms the last item asked for). */
  private start(): Promise<BackendInfo> {
    const worker = this.createWorker();
    this.worker = worker;
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const pending = this.pending.get(event.data.id);
      if (!pending) return;
      this.pending.delete(event.data.id);
      clearTimeout(pending.timer);
      if (event.data.type === 'failed') pending.reject(new BrowserWorkerError(event.data.message));
      else pending.resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      // A crashed worker is dropped; the next request starts a new one (not at once: a worker that cannot load
      // would otherwise be restarted forever).
      if (this.worker === worker) this.discard(new BrowserWorkerError(event.message || 'grading worker failed'), false);
    };
    const ready = this.post(worker, { type: 'init', prefer: this.prefer, ...(this.warmFor ? { warm: this.warmFor } : {}) }, INIT_LIMIT_MS).then((r) => {
      if (r.type !== 'ready') throw new BrowserWorkerError('unexpected reply');
      return { backend: r.backend, halfPrecision: r.halfPrecision, ...(r.softwareRenderer ? { softwareRenderer: r.softwareRenderer } : {}) };
    });
    this.ready = ready;
    ready.catch(ignore);
    return ready;
  }

  private post(worker: Worker, request: Distribute<WorkerRequest>, timeoutMs: number): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new BrowserTimeoutError(timeoutMs));
        // A stuck init is not restarted at once (it would likely get stuck again); a stuck run is.
        if (this.worker === worker) this.discard(new BrowserWorkerError('採点を中断しました。'), request.type !== 'init');
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer, type: request.type });
      worker.postMessage({ ...request, id });
    });
  }

  /** Terminates the worker and fails what it was doing; `rewarm` starts a replacement at once. */
  private discard(reason: Error, rewarm: boolean): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(reason);
    }
    this.pending.clear();
    if (rewarm) void this.init().catch(ignore);
  }

  /** Runs `request` after every earlier one has settled; an abort stops it queued or running. */
  private enqueue(request: Distribute<WorkerRequest>, { timeoutMs, signal }: RequestOptions): Promise<WorkerReply> {
    const task = async (): Promise<WorkerReply> => {
      if (signal?.aborted) throw new BrowserAbortError();
      await this.init();
      const worker = this.worker;
      if (!worker) throw new BrowserWorkerError('grading worker stopped');
      if (signal?.aborted) throw new BrowserAbortError();
      const reply = this.post(worker, request, timeoutMs);
      const onAbort = () => {
        if (this.worker === worker) this.discard(new BrowserAbortError(), true);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await reply;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    };
    const result = this.queue.then(task, task);
    this.queue = result.catch(ignore);
    return result;
  }

  /** Starts the worker (once) and resolves with the backend in use. */
  init(): Promise<BackendInfo> {
    return this.worker && this.ready ? this.ready : this.start();
  }

  /** Compiles an item's kernels ahead of its first run (again after a restart). */
  async warm(spec: WarmSpec): Promise<BackendInfo> {
    this.warmFor = spec;
    if (!this.worker) return this.start();
    const r = await this.enqueue({ type: 'init', prefer: this.prefer, warm: spec }, { timeoutMs: INIT_LIMIT_MS });
    if (r.type !== 'ready') throw new BrowserWorkerError('unexpected reply');
    return { backend: r.backend, halfPrecision: r.halfPrecision, ...(r.softwareRenderer ? { softwareRenderer: r.softwareRenderer } : {}) };
  }

  async grade(item: CodeItem, graderKey: string, code: string, seed: number, options: RequestOptions): Promise<{ verdict: CodeVerdict; backend: string; elapsedMs: number }> {
    const r = await this.enqueue({ type: 'grade', item, graderKey, code, seed }, options);
    if (r.type !== 'grade') throw new BrowserWorkerError('unexpected reply');
    return r;
  }

  async run(item: CodeItem, graderKey: string, code: string, seed: number, options: RequestOptions): Promise<{ run: ExampleRun; backend: string; elapsedMs: number }> {
    const r = await this.enqueue({ type: 'run', item, graderKey, code, seed }, options);
    if (r.type !== 'run') throw new BrowserWorkerError('unexpected reply');
    return r;
  }
}

const shared = new Map<BackendChoice, BrowserGrader>();

/** One grading worker per page and backend: moving to the next code item reuses the warm backend. */
export function sharedBrowserGrader(prefer: BackendChoice): BrowserGrader {
  let grader = shared.get(prefer);
  if (!grader) {
    grader = new BrowserGrader(prefer);
    shared.set(prefer, grader);
  }
  return grader;
}
