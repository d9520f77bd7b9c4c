import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { FairQueue } from './fair-queue';
import type { GradeReply, GradeRequest, ReadyMessage } from './protocol';

/** Where esbuild puts the grading script (see server/cli/build-state.mjs). */
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
    // A hard timeout says nothing certain about the code (the machine may be busy): no word of an endless loop here.
    super(`採点が制限時間 (${limitMs / 1000} 秒) を超えたため打ち切りました（回数には数えません）。計算量の大きすぎる処理がないか確認してください。`);
    this.name = 'GradeTimeoutError';
  }
}

/** The grading process died under a job (out of memory, most likely): the job ends with this, the pool goes on. */
export class GraderCrashError extends Error {
  constructor(readonly detail: string) {
    super('解答がメモリを使いすぎたため、採点を打ち切りました（採点プロセスが停止しました）。大きな配列や文字列を作っていないか確認してください。');
    this.name = 'GraderCrashError';
  }
}

export type Isolation = 'process' | 'thread';

export interface PoolOptions {
  size?: number;
  /** hard wall-clock limit of one job: past it the process is killed and replaced */
  timeoutMs?: number;
  /** jobs waiting in all; past it new jobs are refused */
  maxQueue?: number;
  /** jobs of one learner waiting; past it that learner's new jobs are refused */
  maxQueuedPerLearner?: number;
  /** jobs of one learner running at once */
  maxInFlightPerLearner?: number;
  /** JS heap of one grading process (--max-old-space-size) */
  maxHeapMb?: number;
  /** all data memory of one grading process, heap and ArrayBuffers (RLIMIT_DATA; where /bin/sh has ulimit) */
  maxDataMb?: number;
  /**
   * 'process' (default): a child process per slot, so nothing learner code does can take the server down.
   * 'thread': a worker thread; V8 can abort the whole process when one large allocation passes the worker's heap
   * limit (nodejs/node#47224), so it is only here for bench/grading-transport.ts, which measured the choice.
   */
  isolation?: Isolation;
  /** the grading script; tests pass a fake one */
  script?: string;
  /** one-line operational messages (a grading process died, was replaced) */
  log?: (line: string) => void;
}

type Job = {
  request: Omit<GradeRequest, 'id' | 'learner'>;
  learner: string;
  resolve: (reply: GradeReply) => void;
  reject: (error: Error) => void;
};

/** One grading process (or thread), seen through what the pool needs of it. */
interface Grader {
  readonly pid: number | undefined;
  send(request: GradeRequest): void;
  kill(): Promise<void>;
  /** whether it keeps the server's event loop alive (only while there is work, so an idle pool never does) */
  setRef(ref: boolean): void;
}

interface GraderEvents {
  message(message: GradeReply | ReadyMessage): void;
  /** it stopped (or could not be reached); `why` is for the log */
  gone(why: string): void;
}

/** Passed through from a grading process's stderr per process (an OOM report is ~3 KB), then dropped. */
const STDERR_PASS_BYTES = 8_192;

function startProcess(script: string, heapMb: number, dataMb: number, events: GraderEvents): Grader {
  const heapFlag = `--max-old-space-size=${heapMb}`;
  // RLIMIT_DATA bounds ArrayBuffers too (tfjs tensors), which the heap limit does not see: set it in a shell that
  // then execs node (the IPC channel's fd survives exec). Best effort: without it only the heap is bounded.
  const shell = dataMb > 0 && process.platform !== 'win32' && existsSync('/bin/sh');
  const child: ChildProcess = fork(script, [], {
    execPath: shell ? '/bin/sh' : process.execPath,
    execArgv: shell ? ['-c', `ulimit -d ${dataMb * 1024} 2>/dev/null; exec "$0" "$@"`, process.execPath, heapFlag] : [heapFlag],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderrSeen = 0;
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderrSeen < STDERR_PASS_BYTES) process.stderr.write(chunk.subarray(0, STDERR_PASS_BYTES - stderrSeen));
    stderrSeen += chunk.length;
    stderrTail = (stderrTail + chunk.toString()).slice(-2_000);
  });
  let gone = false;
  const goneOnce = (why: string) => {
    if (gone) return;
    gone = true;
    const fatal = stderrTail.split('\n').find((l) => /FATAL ERROR|Error:/.test(l));
    events.gone(fatal ? `${why}: ${fatal.trim().slice(0, 200)}` : why);
  };
  child.on('message', (m: GradeReply | ReadyMessage) => events.message(m));
  child.on('error', (error) => goneOnce(`error: ${error.message}`));
  child.on('exit', (code, signal) => goneOnce(`exit ${signal ?? code}`));
  const stderr = child.stderr as unknown as { ref(): void; unref(): void } | null;
  const setRef = (ref: boolean) => {
    for (const handle of [child, child.channel, stderr]) {
      if (ref) handle?.ref();
      else handle?.unref();
    }
  };
  setRef(false);
  return {
    pid: child.pid,
    setRef,
    send: (request) => {
      child.send(request, (error) => {
        if (error) goneOnce(`send failed: ${error.message}`);
      });
    },
    kill: () =>
      new Promise<void>((resolve) => {
        gone = true;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.ref(); // so that awaiting the kill keeps the event loop alive until the exit arrives
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

function startThread(script: string, heapMb: number, events: GraderEvents): Grader {
  const worker = new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  worker.unref();
  let gone = false;
  const goneOnce = (why: string) => {
    if (!gone) {
      gone = true;
      events.gone(why);
    }
  };
  worker.on('message', (m: GradeReply | ReadyMessage) => events.message(m));
  worker.on('error', (error) => goneOnce(`error: ${error.message}`));
  worker.on('exit', (code) => goneOnce(`exit ${code}`));
  return {
    pid: undefined,
    setRef: (ref) => (ref ? worker.ref() : worker.unref()),
    send: (request) => worker.postMessage(request),
    kill: async () => {
      gone = true;
      await worker.terminate();
    },
  };
}

interface Slot {
  grader: Grader;
  /** true once the process has loaded tfjs and says so */
  ready: boolean;
  job?: Job & { id: number; timer: NodeJS.Timeout; started: number };
  /** processes in a row that stopped before they were ready (a broken bundle must not spin) */
  failedStarts: number;
  respawn?: NodeJS.Timeout;
}

/**
 * A fixed pool of grading processes. The server's event loop only passes messages; learner code runs in the
 * processes, each bounded by the interpreter's own limits, a heap and data limit, and a hard timeout that kills
 * the process. Whatever ends a process (timeout, out of memory, a crash) fails only its job, and a new process
 * takes the slot. Jobs wait per learner and are shared fairly (fair-queue.ts).
 */
export class GradingPool {
  private readonly slots: Slot[] = [];
  private readonly queue: FairQueue<Job>;
  private nextId = 1;
  private closed = false;
  readonly size: number;
  readonly timeoutMs: number;
  readonly maxHeapMb: number;
  readonly maxDataMb: number;
  readonly isolation: Isolation;
  private readonly script: string;
  private readonly log: (line: string) => void;
  /** processes started, for tests and metrics (the first `size` are the initial ones) */
  spawned = 0;

  constructor(options: PoolOptions = {}) {
    this.size = options.size ?? Math.max(1, Math.min(4, availableParallelism() - 1));
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxHeapMb = options.maxHeapMb ?? 256;
    this.maxDataMb = options.maxDataMb ?? this.maxHeapMb + 1_024;
    this.isolation = options.isolation ?? 'process';
    this.script = options.script ?? gradeThreadPath();
    this.log = options.log ?? ((line) => console.error(line));
    this.queue = new FairQueue<Job>({
      maxQueued: options.maxQueue ?? 64,
      maxQueuedPerLearner: options.maxQueuedPerLearner ?? 2,
      maxInFlightPerLearner: options.maxInFlightPerLearner ?? 1,
    });
    if (!existsSync(this.script)) throw new Error(`grading bundle missing at ${this.script}: run npm start (or npm run build)`);
    for (let i = 0; i < this.size; i++) {
      const slot = { ready: false, failedStarts: 0 } as Slot;
      this.slots.push(slot);
      this.spawn(slot);
    }
  }

  private spawn(slot: Slot): void {
    this.spawned += 1;
    slot.ready = false;
    const events: GraderEvents = {
      message: (m) => {
        if (slot.grader !== grader) return;
        if ('type' in m && m.type === 'ready' && !('id' in m)) this.markReady(slot);
        else this.settle(slot, m as GradeReply);
      },
      gone: (why) => {
        if (slot.grader === grader) this.fail(slot, why);
      },
    };
    const grader = this.isolation === 'thread' ? startThread(this.script, this.maxHeapMb, events) : startProcess(this.script, this.maxHeapMb, this.maxDataMb, events);
    slot.grader = grader;
    this.updateRefs();
  }

  /** While jobs wait or run, the processes keep the event loop alive (a script awaiting a verdict does not exit). */
  private updateRefs(): void {
    const busy = this.queue.size > 0 || this.slots.some((s) => s.job);
    for (const slot of this.slots) slot.grader?.setRef(busy && !this.closed);
  }

  /**
   * Grades (or runs) one job for `request.learner` (one shared queue when absent). Rejects with PoolBusyError
   * when that learner, or everyone together, has too many jobs waiting.
   */
  run(request: Omit<GradeRequest, 'id'>): Promise<GradeReply> {
    if (this.closed) return Promise.reject(new Error('grading pool closed'));
    const { learner = '', ...rest } = request;
    return new Promise((resolve, reject) => {
      if (!this.queue.push(learner, { request: rest, learner, resolve, reject })) return reject(new PoolBusyError());
      this.dispatch();
      this.updateRefs();
    });
  }

  /** Jobs waiting for a process (for tests and metrics). */
  get waiting(): number {
    return this.queue.size;
  }

  /** Jobs of one learner waiting and running. */
  jobsOf(learner: string): { queued: number; inFlight: number } {
    return this.queue.count(learner);
  }

  /** Processes ready to take a job. */
  get ready(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  /** The ids of the grading processes (tests check that a crashed one was replaced). */
  get pids(): (number | undefined)[] {
    return this.slots.map((s) => s.grader.pid);
  }

  private markReady(slot: Slot): void {
    slot.ready = true;
    slot.failedStarts = 0;
    this.dispatch();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (slot.job || !slot.ready) continue;
      const next = this.queue.take();
      if (!next) return;
      const job = next.item;
      const id = this.nextId++;
      const timer = setTimeout(() => this.timeout(slot), this.timeoutMs);
      slot.job = { ...job, id, timer, started: performance.now() };
      slot.grader.send({ ...job.request, id });
    }
  }

  /** Ends the slot's job: its learner's usage grows by the time it took (at least `minUsageMs`). */
  private endJob(slot: Slot, minUsageMs = 0): Slot['job'] {
    const job = slot.job;
    if (!job) return undefined;
    slot.job = undefined;
    clearTimeout(job.timer);
    this.queue.done(job.learner, Math.max(minUsageMs, performance.now() - job.started));
    this.updateRefs();
    return job;
  }

  private settle(slot: Slot, reply: GradeReply): void {
    if (!slot.job || slot.job.id !== reply.id) return;
    this.endJob(slot)!.resolve(reply);
    this.dispatch();
  }

  private timeout(slot: Slot): void {
    const job = this.endJob(slot, this.timeoutMs);
    if (!job) return;
    this.replace(slot, false);
    job.reject(new GradeTimeoutError(this.timeoutMs));
    this.dispatch();
  }

  private fail(slot: Slot, why: string): void {
    if (this.closed) return;
    const wasReady = slot.ready;
    // A crash costs everyone a restart: the learner is charged as for a timeout.
    const job = this.endJob(slot, this.timeoutMs);
    this.log(JSON.stringify({ event: 'grading-process-died', pid: slot.grader.pid, why, duringJob: job !== undefined }));
    if (!wasReady) slot.failedStarts += 1;
    this.replace(slot, !wasReady);
    job?.reject(new GraderCrashError(why));
    this.dispatch();
  }

  private replace(slot: Slot, backoff: boolean): void {
    void slot.grader.kill();
    slot.ready = false;
    if (!backoff) return this.spawn(slot);
    // Stopped before it was ready: wait 0.5 s, doubling up to 30 s, so a broken install does not spin.
    const delay = Math.min(30_000, 500 * 2 ** (slot.failedStarts - 1));
    slot.respawn = setTimeout(() => {
      slot.respawn = undefined;
      if (!this.closed) this.spawn(slot);
    }, delay);
    slot.respawn.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.drain()) job.reject(new Error('grading pool closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.respawn) clearTimeout(slot.respawn);
        const job = slot.job;
        slot.job = undefined;
        if (job) {
          clearTimeout(job.timer);
          job.reject(new Error('grading pool closed'));
        }
        await slot.grader.kill();
      }),
    );
  }
}

let shared: GradingPool | undefined;

const envNumber = (name: string): number | undefined => {
  const v = Number(process.env[name]);
  return process.env[name] && Number.isFinite(v) && v > 0 ? v : undefined;
};

/** The server's pool, started on first use. */
export function getGradingPool(): GradingPool {
  shared ??= new GradingPool({
    timeoutMs: envNumber('KAKUNIN_GRADE_TIMEOUT_MS') ?? 5_000,
    maxHeapMb: envNumber('KAKUNIN_GRADE_HEAP_MB'),
    maxDataMb: envNumber('KAKUNIN_GRADE_DATA_MB'),
    size: envNumber('KAKUNIN_GRADE_PROCESSES'),
  });
  return shared;
}
