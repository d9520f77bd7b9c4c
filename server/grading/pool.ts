import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GradeReply, GradeRequest } from './protocol';

/** Where esbuild puts the grading thread (see server/cli/build-state.mjs). */
export function gradeThreadPath(): string {
  return path.join(process.cwd(), '.kakunin', 'grade-thread.mjs');
}

export class PoolBusyError extends Error {
  constructor() {
    super('採点が混み合っています。少し待ってからもう一度提出してください。');
    this.name = 'PoolBusyError';
  }
}

export class GradeTimeoutError extends Error {
  constructor(readonly limitMs: number) {
    super(`採点が制限時間 (${limitMs / 1000} 秒) を超えたため打ち切りました。無限ループになっていないか確認してください。`);
    this.name = 'GradeTimeoutError';
  }
}

export interface PoolOptions {
  size?: number;
  /** hard wall-clock limit of one job: past it the thread is terminated and replaced */
  timeoutMs?: number;
  /** jobs waiting beyond the running ones; past it new jobs are refused */
  maxQueue?: number;
  /** heap of one thread */
  maxHeapMb?: number;
}

type Job = { request: Omit<GradeRequest, 'id'>; resolve: (reply: GradeReply) => void; reject: (error: Error) => void };

interface Slot {
  worker: Worker;
  /** true once the thread has loaded tfjs and says so */
  ready: boolean;
  job?: Job & { id: number; timer: NodeJS.Timeout };
}

/**
 * A fixed pool of grading threads. The event loop only passes messages; learner code runs in the threads, each
 * bounded by the interpreter's own limits, a heap limit, and a hard timeout that terminates the thread.
 */
export class GradingPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly timeoutMs: number;
  readonly maxQueue: number;
  private readonly maxHeapMb: number;

  constructor(options: PoolOptions = {}) {
    this.size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxQueue = options.maxQueue ?? 64;
    this.maxHeapMb = options.maxHeapMb ?? 256;
    const file = gradeThreadPath();
    if (!existsSync(file)) throw new Error(`grading thread bundle missing at ${file}: run npm start (or npm run build)`);
    for (let i = 0; i < this.size; i++) this.slots.push({ worker: this.spawn(), ready: false });
  }

  private spawn(): Worker {
    const worker = new Worker(gradeThreadPath(), { resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb } });
    worker.unref();
    worker.on('message', (reply: GradeReply | { type: 'ready' }) => {
      if ('type' in reply && reply.type === 'ready' && !('id' in reply)) this.markReady(worker);
      else this.settle(worker, reply as GradeReply);
    });
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', () => this.fail(worker, new Error('grading thread exited')));
    return worker;
  }

  run(request: Omit<GradeRequest, 'id'>): Promise<GradeReply> {
    if (this.closed) return Promise.reject(new Error('grading pool closed'));
    const busy = this.slots.every((s) => s.job);
    if (busy && this.queue.length >= this.maxQueue) return Promise.reject(new PoolBusyError());
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.dispatch();
    });
  }

  /** Jobs waiting for a thread (for tests and metrics). */
  get waiting(): number {
    return this.queue.length;
  }

  private markReady(worker: Worker): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot) return;
    slot.ready = true;
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || !slot.ready || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      const timer = setTimeout(() => this.timeout(slot), this.timeoutMs);
      slot.job = { ...job, id, timer };
      slot.worker.postMessage({ ...job.request, id } as GradeRequest);
    }
  }

  private settle(worker: Worker, reply: GradeReply): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot?.job || slot.job.id !== reply.id) return;
    clearTimeout(slot.job.timer);
    const { resolve } = slot.job;
    slot.job = undefined;
    resolve(reply);
    this.dispatch();
  }

  private timeout(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    slot.job = undefined;
    this.replace(slot);
    job.reject(new GradeTimeoutError(this.timeoutMs));
    this.dispatch();
  }

  private fail(worker: Worker, error: Error): void {
    const slot = this.slots.find((s) => s.worker === worker);
    if (!slot || this.closed) return;
    const job = slot.job;
    slot.job = undefined;
    if (job) clearTimeout(job.timer);
    this.replace(slot);
    job?.reject(error);
    this.dispatch();
  }

  private replace(slot: Slot): void {
    const old = slot.worker;
    old.removeAllListeners();
    old.on('error', () => {});
    void old.terminate();
    slot.ready = false;
    slot.worker = this.spawn();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('grading pool closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.job) clearTimeout(slot.job.timer);
        slot.worker.removeAllListeners();
        await slot.worker.terminate();
      }),
    );
  }
}

let shared: GradingPool | undefined;

/** The server's pool, started on first use. */
export function getGradingPool(): GradingPool {
  shared ??= new GradingPool({ timeoutMs: Number(process.env.KAKUNIN_GRADE_TIMEOUT_MS ?? 5_000) });
  return shared;
}
