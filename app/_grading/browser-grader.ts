'use client';

import type { ExampleRun } from '@/graders/code/grade-code';
import type { CodeItem, CodeVerdict } from '@/graders/code/types';
import type { BackendChoice, WarmSpec, WorkerReply, WorkerRequest } from './protocol';

export class BrowserTimeoutError extends Error {
  constructor(readonly limitMs: number) {
    super(`実行が制限時間 (${limitMs / 1000} 秒) を超えたため停止しました。無限ループになっていないか確認してください。`);
    this.name = 'BrowserTimeoutError';
  }
}

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> };
type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * The page's handle on the grading Web Worker. A request that runs past its limit terminates the worker
 * (the only way to stop learner code mid-loop) and a fresh one is started and warmed in its place.
 */
export class BrowserGrader {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private ready: Promise<{ backend: string; halfPrecision: boolean }> | null = null;
  private warmFor: WarmSpec | undefined;

  constructor(private readonly prefer: BackendChoice) {}

  private start(): Worker {
    const worker = new Worker(new URL('./grade.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const pending = this.pending.get(event.data.id);
      if (!pending) return;
      this.pending.delete(event.data.id);
      clearTimeout(pending.timer);
      if (event.data.type === 'failed') pending.reject(new Error(event.data.message));
      else pending.resolve(event.data);
    };
    worker.onerror = (event) => {
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(event.message || 'grading worker failed'));
        this.pending.delete(id);
      }
    };
    return worker;
  }

  private send(request: Distribute<WorkerRequest>, timeoutMs: number): Promise<WorkerReply> {
    this.worker ??= this.start();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.restart();
        reject(new BrowserTimeoutError(timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ ...request, id });
    });
  }

  /** Starts the worker (once) and resolves with the backend in use. */
  init(): Promise<{ backend: string; halfPrecision: boolean }> {
    this.ready ??= this.send({ type: 'init', prefer: this.prefer, ...(this.warmFor ? { warm: this.warmFor } : {}) }, 60_000).then((r) => {
      if (r.type !== 'ready') throw new Error('unexpected reply');
      return { backend: r.backend, halfPrecision: r.halfPrecision };
    });
    return this.ready;
  }

  /** Compiles an item's kernels ahead of its first run (again after a restart). */
  async warm(spec: WarmSpec): Promise<{ backend: string; halfPrecision: boolean }> {
    this.warmFor = spec;
    await this.init();
    const r = await this.send({ type: 'init', prefer: this.prefer, warm: spec }, 60_000);
    if (r.type !== 'ready') throw new Error('unexpected reply');
    return { backend: r.backend, halfPrecision: r.halfPrecision };
  }

  async grade(item: CodeItem, graderKey: string, code: string, seed: number, timeoutMs: number): Promise<{ verdict: CodeVerdict; backend: string; elapsedMs: number }> {
    await this.init();
    const r = await this.send({ type: 'grade', item, graderKey, code, seed }, timeoutMs);
    if (r.type !== 'grade') throw new Error('unexpected reply');
    return r;
  }

  async run(item: CodeItem, graderKey: string, code: string, seed: number, timeoutMs: number): Promise<{ run: ExampleRun; backend: string; elapsedMs: number }> {
    await this.init();
    const r = await this.send({ type: 'run', item, graderKey, code, seed }, timeoutMs);
    if (r.type !== 'run') throw new Error('unexpected reply');
    return r;
  }

  private restart(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('採点を中断しました。'));
    }
    this.pending.clear();
    void this.init().catch(() => undefined);
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
