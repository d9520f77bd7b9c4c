// Load on the production server over loopback with many signed-in learners, against a bare node:http hello-world
// measured in the same run (issue 7, "Load"). Prints requests/s, p50/p99 latency, errors and non-2xx counts, the
// ratio to the bare server, and afterwards checks that the database holds exactly the answers acknowledged.
// Prints the targets as pass/fail lines and asserts nothing (exit 0 even when a target is missed).
//
//   npx tsx bench/load.ts [--learners 100] [--seconds 12] [--code-seconds 10] [--code-connections 20]
//                         [--sessions 6] [--code-sessions 15] [--profile DIR] [--pg [--nodes N]]
//
// Runs:
//   (a) baseline: a bare node:http hello-world in a worker thread of this process (its own event loop, as the
//       Next server has its own process; autocannon drives both from this process's main thread);
//   (a2) the floor: a bare node:http + SQLite server in a worker thread doing only what recording an answer cannot
//       skip (bench/answer-floor.ts), at one connection per learner: the most any implementation reaches here;
//   (b) sessions.answer at one connection per learner: every request is that learner's next unanswered choice
//       question (a repeat would be a 409), from sessions started with filters.kinds = ['choice'];
//   (c) sessions.submitCode of birnn-concat (right answer) at lower concurrency: each request a fresh session of a
//       learner (connection j takes turns among learners j, j+C, j+2C, …). 429s are counted apart: "busy" (the
//       bounded grading queue) and "rate" (a per-learner submission limit), both expected under this load.
//   (p) with --pg, after the runs above: (b) again on PostgreSQL (a fresh database created on the server of
//       KAKUNIN_DATABASE_URL or KAKUNIN_TEST_DATABASE_URL, dropped afterwards), on N app processes (--nodes, default 1)
//       behind the round-robin proxy of tests/e2e (in a process of its own, as a real balancer; none for one node),
//       printed beside the SQLite run: answers/s, p50/p99, and stored = acknowledged counted in PostgreSQL.
// Each run stops by itself: at the deadline every connection finishes its request in flight and closes, so every
// request sent gets its response and "stored = acknowledged" can be checked exactly. Traffic goes to 127.0.0.1 only.

import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CHAPTER_SLUGS } from '../server/bank/chapters';
import { ensureBuild } from '../server/cli/build-state.mjs';
import pg from 'pg';
import { createTestDatabase } from '../tests/db/pg-test-url';
import { prepareDatabase, startServer, type RunningServer } from '../tests/e2e/harness';
import { startAnswerFloor } from './answer-floor';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const LEARNERS = opt('--learners', 100);
const SECONDS = opt('--seconds', 12);
const CODE_SECONDS = opt('--code-seconds', 10);
const CODE_CONNECTIONS = opt('--code-connections', 20);
const SESSIONS_PER_LEARNER = opt('--sessions', 6);
const CODE_SESSIONS_PER_LEARNER = opt('--code-sessions', 15);
const CODE_ITEM = 'birnn-concat';
const CODE_ANSWER = 'np.concatenate([h_f, h_b[::-1]], axis=1)';
const PASSWORD = 'bench-password-0123';
/** `--profile DIR`: the server's main thread is profiled during the answers (phase b), written into DIR */
const PROFILE_DIR = args.includes('--profile') ? path.resolve(args[args.indexOf('--profile') + 1]!) : undefined;
const PG = args.includes('--pg');
const NODES = opt('--nodes', 1);
/** the PostgreSQL server the --pg run creates its database on; taken out of the environment so the SQLite run stays on SQLite */
const PG_SERVER = process.env.KAKUNIN_DATABASE_URL ?? process.env.KAKUNIN_TEST_DATABASE_URL;
delete process.env.KAKUNIN_DATABASE_URL;
if (!Number.isInteger(NODES) || NODES < 1 || (NODES > 1 && !PG)) {
  console.error('--nodes N (N ≥ 1) needs --pg: several app processes share one PostgreSQL database, never one SQLite file');
  process.exit(2);
}
if (PG && !PG_SERVER) {
  console.error('--pg needs KAKUNIN_DATABASE_URL or KAKUNIN_TEST_DATABASE_URL (a postgres:// URL whose role may CREATE DATABASE)');
  process.exit(2);
}

/**
 * --cpu-prof is refused in NODE_OPTIONS: a preload runs the inspector's profiler instead, only while the answers run
 * (phase b): SIGUSR2 starts it, the next SIGUSR2 stops it and writes the profile into DIR.
 */
function profilerPreload(dir: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'kakunin-prof-')), 'preload.cjs');
  writeFileSync(
    file,
    `const inspector = require('node:inspector');
     const fs = require('node:fs');
     const path = require('node:path');
     if (require('node:worker_threads').isMainThread) {
       const session = new inspector.Session();
       session.connect();
       session.post('Profiler.enable');
       session.post('Profiler.setSamplingInterval', { interval: 200 });
       let running = false;
       process.on('SIGUSR2', () => {
         if (!running) {
           session.post('Profiler.start');
           running = true;
           return;
         }
         running = false;
         session.post('Profiler.stop', (err, res) => {
           if (!err) fs.writeFileSync(path.join(${JSON.stringify(dir)}, 'server-' + process.pid + '-' + Date.now() + '.cpuprofile'), JSON.stringify(res.profile));
         });
       });
     }`,
  );
  return file;
}

/** Starts or stops the server's profiler (see profilerPreload). */
function toggleProfiler(pid: number | undefined): void {
  if (PROFILE_DIR && pid !== undefined) process.kill(pid, 'SIGUSR2');
}

// ---------------------------------------------------------------------------------------------------------------
// helpers

/** Runs `fn` over `items` with at most `limit` at once. */
async function inParallel<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

interface Trpc {
  base: string;
  call<T>(procedure: string, input: unknown, cookie?: string): Promise<{ data: T; setCookie: string[] }>;
  query<T>(procedure: string, input: unknown, cookie?: string): Promise<T>;
}

function trpc(base: string): Trpc {
  const unwrap = async (res: Response, procedure: string) => {
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${procedure}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { result: { data: unknown } }).result.data;
  };
  return {
    base,
    async call<T>(procedure: string, input: unknown, cookie?: string) {
      const res = await fetch(`${base}/api/trpc/${procedure}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(input),
        signal: AbortSignal.timeout(30_000),
      });
      const setCookie = res.headers.getSetCookie();
      return { data: (await unwrap(res, procedure)) as T, setCookie };
    },
    async query<T>(procedure: string, input: unknown, cookie?: string) {
      const res = await fetch(`${base}/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`, {
        headers: cookie ? { cookie } : {},
        signal: AbortSignal.timeout(30_000),
      });
      return (await unwrap(res, procedure)) as T;
    },
  };
}

/** The bare hello-world, in a worker thread of this process; resolves with its port and a stop function. */
function startHelloWorld(): Promise<{ url: string; stop: () => Promise<number> }> {
  const source = `
    const { parentPort } = require('node:worker_threads');
    const http = require('node:http');
    const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('hello world'); });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  `;
  const worker = new Worker(source, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (port: number) => resolve({ url: `http://127.0.0.1:${port}`, stop: () => worker.terminate() }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// the load runner: one autocannon instance, a request source per connection, a graceful stop at the deadline

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** What one connection sends: `next()` gives its next request (null when it has nothing left), `done()` its reply. */
interface ConnectionSource {
  next(): RequestSpec | null;
  done(status: number, body: string): void;
}

interface LoadResult {
  name: string;
  connections: number;
  responses: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** connection errors and timeouts (autocannon's `errors`) */
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
  /** connections that ran out of prepared work before the deadline */
  exhausted: number;
  /** requests sent that never got a reply (timed out, connection lost): the server may have committed them */
  unanswered: number;
}

type AutocannonClient = autocannon.Client & { responseMax?: number };

async function runLoad(name: string, url: string, connections: number, seconds: number, source: (index: number) => ConnectionSource): Promise<LoadResult> {
  let clientIndex = 0;
  let responses = 0;
  let exhausted = 0;
  let unanswered = 0;
  let lastResponseAt = 0;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        pipelining: 1,
        // A safety bound only: each connection stops itself at the deadline (see onResponse).
        duration: seconds + 60,
        // A learner's browser waits; a slow reply should show in the latencies rather than as a resend.
        timeout: 30,
        setupClient(rawClient) {
          const client = rawClient as AutocannonClient;
          const src = source(clientIndex++);
          let stopped = false;
          // The next request goes out only if this connection still has work and time; otherwise it closes after its
          // reply (autocannon checks responseMax before each new request), so no request is left unanswered.
          const stop = () => {
            stopped = true;
            client.responseMax = 1;
          };
          let awaitingReply = false;
          let pending: RequestSpec | null = src.next();
          if (!pending) throw new Error(`${name}: connection ${clientIndex - 1} has no work at all`);
          client.setRequests([
            {
              setupRequest: (req) => {
                // autocannon asks for the next request right after a reply; `pending` was fetched then (onResponse).
                // Asked again with no reply in between, it is resending after a timeout or a lost connection: the
                // request sent may still have been committed, so a new one goes instead of a repeat (a 409).
                if (awaitingReply) {
                  unanswered++;
                  pending = src.next() ?? pending;
                }
                awaitingReply = true;
                const spec = pending!;
                return { ...req, method: spec.method, path: spec.path, headers: { ...spec.headers }, body: spec.body ?? '' };
              },
              onResponse: (status, body) => {
                awaitingReply = false;
                responses++;
                lastResponseAt = performance.now();
                src.done(status, body);
                if (stopped) return;
                if (performance.now() >= deadline) return stop();
                pending = src.next();
                if (!pending) {
                  exhausted++;
                  stop();
                }
              },
            },
          ]);
        },
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
  });
  const elapsed = ((lastResponseAt || performance.now()) - startedAt) / 1000;
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  return {
    name,
    connections,
    responses,
    seconds: elapsed,
    rps: responses / elapsed,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses,
    exhausted,
    unanswered,
  };
}

function printResult(r: LoadResult, extra = ''): void {
  const statuses = Object.entries(r.statuses)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  console.log(
    `${r.name.padEnd(34)} ${String(r.connections).padStart(4)} conn  ${r.rps.toFixed(0).padStart(7)} req/s  ` +
      `p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  max ${String(r.max).padStart(5)} ms  ` +
      `errors ${r.errors} (timeouts ${r.timeouts})  non-2xx ${r.non2xx}  [${statuses}] ${r.responses} responses in ${r.seconds.toFixed(1)} s` +
      (r.exhausted ? `  (${r.exhausted} connections ran out of prepared work)` : '') +
      (r.unanswered ? `  (${r.unanswered} requests never answered)` : '') +
      extra,
  );
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return NaN;
  }
}

/** Runs `fn` and tells how busy the server process was meanwhile (1.0 = one core all the time). */
async function withServerCpu<T extends { seconds: number }>(pid: number | undefined, fn: () => Promise<T>): Promise<{ run: T; cores: number }> {
  const before = cpuSeconds(pid);
  const run = await fn();
  return { run, cores: (cpuSeconds(pid) - before) / run.seconds };
}

// ---------------------------------------------------------------------------------------------------------------
// setup: build, servers, learners, sessions

interface Learner {
  index: number;
  cookie: string;
}

interface ChoiceTask {
  sessionId: number;
  questionId: string;
  response: { type: 'choice'; choice: string } | { type: 'multi'; choices: string[] };
}

interface SessionItemView {
  questionId: string;
  kind: string;
  forms: string[];
  choices: { id: string }[] | null;
  answered: boolean;
}

async function signUpAll(api: Trpc, n: number): Promise<Learner[]> {
  return inParallel(
    Array.from({ length: n }, (_, i) => i),
    4, // scrypt is deliberately slow; modest concurrency
    async (index) => {
      const { setCookie } = await api.call('auth.signUp', { email: `learner${index}@bench.kakunin.test`, password: PASSWORD, name: `学習者${index}` });
      const cookie = setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('kakunin_session='));
      if (!cookie) throw new Error(`sign-up of learner ${index} set no session cookie`);
      return { index, cookie };
    },
  );
}

async function choiceTasksOf(api: Trpc, learner: Learner): Promise<ChoiceTask[]> {
  const tasks: ChoiceTask[] = [];
  for (let s = 0; s < SESSIONS_PER_LEARNER; s++) {
    const { data } = await api.call<{ sessionId: number }>(
      'sessions.start',
      { chapters: [...CHAPTER_SLUGS], count: 100, order: 'random', filters: { kinds: ['choice'] } },
      learner.cookie,
    );
    const view = await api.query<{ items: SessionItemView[] }>('sessions.get', { sessionId: data.sessionId }, learner.cookie);
    for (const item of view.items) {
      const first = item.choices?.[0]?.id;
      if (item.answered || !first) continue;
      // The first choice: right or wrong, it is a new answer, graded and recorded.
      if (item.forms.includes('choice')) tasks.push({ sessionId: data.sessionId, questionId: item.questionId, response: { type: 'choice', choice: first } });
      else if (item.forms.includes('multi')) tasks.push({ sessionId: data.sessionId, questionId: item.questionId, response: { type: 'multi', choices: [first] } });
    }
  }
  return tasks;
}

async function codeSessionsOf(api: Trpc, learner: Learner): Promise<number[]> {
  const ids: number[] = [];
  for (let s = 0; s < CODE_SESSIONS_PER_LEARNER; s++) {
    const { data } = await api.call<{ sessionId: number }>(
      'sessions.start',
      { chapters: ['birnn'], count: 100, order: 'course', filters: { kinds: ['code'] } },
      learner.cookie,
    );
    ids.push(data.sessionId);
  }
  // Every such session holds all of the chapter's code items: check one.
  const view = await api.query<{ items: SessionItemView[] }>('sessions.get', { sessionId: ids[0]! }, learner.cookie);
  if (!view.items.some((i) => i.questionId === CODE_ITEM)) throw new Error(`a code session of birnn lacks ${CODE_ITEM}`);
  return ids;
}

const answerPath = (proc: string) => `/api/trpc/${proc}`;
const jsonHeaders = (cookie: string) => ({ 'content-type': 'application/json', cookie });

/** Records an acknowledged answer ("sessionId/questionId"). */
type Ack = (key: string) => void;

/** Warm-up (JIT, route modules, statement caches): 200 answers over fetch, acknowledged like the rest. */
async function warmUp(api: Trpc, learners: Learner[], choiceTasks: ChoiceTask[][], cursor: number[], ack: Ack): Promise<{ replyBytes: number; replies: number }> {
  let replyBytes = 0;
  let replies = 0;
  await inParallel(
    Array.from({ length: 200 }, (_, i) => i % learners.length),
    10,
    async (li) => {
      const task = choiceTasks[li]![cursor[li]!++];
      if (!task) return;
      const { data } = await api.call('sessions.answer', { ...task, timeSpentMs: 1000 }, learners[li]!.cookie);
      ack(`${task.sessionId}/${task.questionId}`);
      replyBytes += Buffer.byteLength(JSON.stringify({ result: { data } }));
      replies++;
    },
  );
  return { replyBytes, replies };
}

/** Answers at one connection per learner: connection i is learner i, each request that learner's next unanswered question. */
function runAnswers(name: string, url: string, learners: Learner[], choiceTasks: ChoiceTask[][], cursor: number[], ack: Ack, statuses: Record<string, number>): Promise<LoadResult> {
  return runLoad(name, url, learners.length, SECONDS, (i) => {
    const li = i % learners.length;
    const learner = learners[li]!;
    let current: ChoiceTask | undefined;
    return {
      next: () => {
        current = choiceTasks[li]![cursor[li]!++];
        if (!current) return null;
        return {
          method: 'POST',
          path: answerPath('sessions.answer'),
          headers: jsonHeaders(learner.cookie),
          body: JSON.stringify({ sessionId: current.sessionId, questionId: current.questionId, response: current.response, timeSpentMs: 1000 }),
        };
      },
      done: (status) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300 && current) ack(`${current.sessionId}/${current.questionId}`);
      },
    };
  });
}

/** One store's answers run as the summary table shows it. */
interface AnswerSummary {
  label: string;
  run: LoadResult;
  /** CPU during the run, in cores: each app process, the proxy when there is one, PostgreSQL's backends */
  cores: string;
  statuses: Record<string, number>;
  /** every answer stored in the database after the run (code answers too on SQLite), and the acknowledged ones */
  stored: number;
  acknowledged: number;
  duplicateAcks: number;
  missing: number;
  unacknowledged: number;
  /** (session, question) pairs stored more than once */
  storedTwice: number;
}

const storedAsAcknowledged = (r: AnswerSummary) => r.stored === r.acknowledged && r.missing + r.unacknowledged + r.storedTwice + r.duplicateAcks === 0;

/** Compares stored answer keys (one per row) with the acknowledged ones. */
function storedVersusAcknowledged(rows: string[], acknowledged: Set<string>): Pick<AnswerSummary, 'stored' | 'missing' | 'unacknowledged' | 'storedTwice'> {
  const stored = new Set(rows);
  return {
    stored: rows.length,
    missing: [...acknowledged].filter((k) => !stored.has(k)).length,
    unacknowledged: [...stored].filter((k) => !acknowledged.has(k)).length,
    storedTwice: rows.length - stored.size,
  };
}

/** The round-robin proxy of tests/e2e in a process of its own (bench/proxy-process.ts), in front of `upstreams`. */
async function startProxyProcess(upstreams: string[]): Promise<{ url: string; pid: number | undefined; stop(): Promise<number[]> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'proxy-process.ts'), ...upstreams], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`proxy process exited with ${code}`)));
    child.once('message', (m) => resolve((m as { url: string }).url));
  });
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners('exit');
        let served: number[] = [];
        child.once('message', (m) => (served = (m as { served: number[] }).served));
        child.once('exit', () => resolve(served));
        child.send('stop');
      }),
  };
}

/**
 * (p): the answers run on PostgreSQL, a fresh database on PG_SERVER, NODES app processes (behind the proxy when more
 * than one). The same number of learners sign up and start sessions as on SQLite.
 */
async function answersOnPostgres(signUps: Record<string, string>): Promise<AnswerSummary> {
  const database = await createTestDatabase(PG_SERVER!, 'kakunin_bench');
  const env = { ...signUps, KAKUNIN_DATABASE_URL: database.url };
  const nodes: RunningServer[] = [];
  let proxy: Awaited<ReturnType<typeof startProxyProcess>> | undefined;
  try {
    await prepareDatabase(env);
    for (let n = 0; n < NODES; n++) nodes.push(await startServer(env));
    if (NODES > 1) proxy = await startProxyProcess(nodes.map((n) => n.url));
    const api = trpc(proxy?.url ?? nodes[0]!.url);
    const label = `PostgreSQL, ${NODES} app process${NODES > 1 ? 'es behind the proxy' : ''}`;
    log(`(p) ${label} at ${api.base} (database ${new URL(database.url).pathname.slice(1)})`);
    const learners = await signUpAll(api, LEARNERS);
    const choiceTasks = await inParallel(learners, 8, (l) => choiceTasksOf(api, l));
    log(`(p) ${learners.length} learners signed up, ${choiceTasks.reduce((s, t) => s + t.length, 0)} unanswered choice items ready`);
    const acknowledged = new Set<string>();
    let duplicateAcks = 0;
    const ack: Ack = (key) => (acknowledged.has(key) ? duplicateAcks++ : acknowledged.add(key));
    const cursor = learners.map(() => 0);
    await warmUp(api, learners, choiceTasks, cursor, ack);
    const statuses: Record<string, number> = {};
    let summary: Pick<AnswerSummary, 'label' | 'run' | 'cores' | 'statuses'>;
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    let rows: string[];
    try {
      // the PostgreSQL backends serving the app processes' pools (same machine: their CPU is read from /proc too)
      const backends = (await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows.map((r) => r.pid);
      const pids = [...nodes.map((n) => n.pid()), proxy?.pid];
      const cpu = () => [...pids.map(cpuSeconds), backends.map(cpuSeconds).filter((c) => !Number.isNaN(c)).reduce((a, b) => a + b, 0)];
      const before = cpu();
      const run = await runAnswers(`(p) sessions.answer, ${NODES} PG node${NODES > 1 ? 's' : ''}`, api.base, learners, choiceTasks, cursor, ack, statuses);
      const used = cpu().map((c, i) => ((c - before[i]!) / run.seconds).toFixed(2));
      const cores = `app ${used.slice(0, NODES).join(' + ')}${proxy ? `, proxy ${used[NODES]}` : ''}, postgres ${used.at(-1)} (${backends.length} backends)`;
      const served = proxy ? await proxy.stop() : undefined;
      proxy = undefined;
      printResult(run, `  CPU (cores) ${cores}${served ? `; requests per node over the whole run ${served.join(' / ')}` : ''}`);
      rows = (await client.query<{ k: string }>(`SELECT session_id || '/' || question_id AS k FROM answers`)).rows.map((r) => r.k);
      summary = { label, run, cores, statuses };
    } finally {
      await client.end();
    }
    return { ...summary, acknowledged: acknowledged.size, duplicateAcks, ...storedVersusAcknowledged(rows, acknowledged) };
  } finally {
    await proxy?.stop();
    await Promise.all(nodes.map((n) => n.stop()));
    if (!(await database.drop())) console.warn(`database ${database.url} could not be dropped`);
  }
}

// ---------------------------------------------------------------------------------------------------------------

const t0 = Date.now();
const log = (message: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}`);

await ensureBuild((m) => log(m));
const hello = await startHelloWorld();
let server: RunningServer | undefined;
// every learner signs up from 127.0.0.1: lift the per-address sign-up limit (5 an hour) for the bench
const signUps = { KAKUNIN_SIGNUPS_PER_ADDRESS: String(LEARNERS), KAKUNIN_SIGNUPS_PER_HOUR: String(Math.max(100, LEARNERS)) };
/** the SQLite answers run (b), for the table beside the PostgreSQL run */
let sqliteRun: AnswerSummary | undefined;
try {
  // the real question bank, a fresh database, 127.0.0.1
  server = await startServer(PROFILE_DIR ? { ...signUps, NODE_OPTIONS: `--require ${profilerPreload(PROFILE_DIR)}` } : signUps);
  const api = trpc(server.url);
  log(`Kakunin production server at ${server.url} (db ${server.dbFile}); bare node:http at ${hello.url}`);

  const learners = await signUpAll(api, LEARNERS);
  log(`${learners.length} learners signed up`);
  const choiceTasks = await inParallel(learners, 8, (l) => choiceTasksOf(api, l));
  const totalChoice = choiceTasks.reduce((s, t) => s + t.length, 0);
  log(`${LEARNERS * SESSIONS_PER_LEARNER} practice sessions of choice items started, ${totalChoice} unanswered choice items ready`);
  const codeSessions = await inParallel(learners, 8, (l) => codeSessionsOf(api, l));
  log(`${LEARNERS * CODE_SESSIONS_PER_LEARNER} sessions with ${CODE_ITEM} started`);

  /** every answer the server acknowledged (2xx), as "sessionId/questionId" */
  const acknowledged = new Set<string>();
  let duplicateAcks = 0;
  const ack = (key: string) => (acknowledged.has(key) ? duplicateAcks++ : acknowledged.add(key));

  const cursor = learners.map(() => 0);
  const { replyBytes, replies } = await warmUp(api, learners, choiceTasks, cursor, ack);
  log(`warm-up: ${acknowledged.size} answers, replies of ${(replyBytes / replies / 1000).toFixed(1)} kB on average`);

  // (a) baseline
  const baseline = await runLoad('(a) bare node:http hello-world', hello.url, 100, SECONDS, () => ({
    next: () => ({ method: 'GET', path: '/', headers: {} }),
    done: () => undefined,
  }));
  printResult(baseline);

  // (a2) the floor: what recording an answer costs on bare node:http + SQLite (bench/answer-floor.ts)
  const floor = await startAnswerFloor({ file: path.join(mkdtempSync(path.join(tmpdir(), 'kakunin-floor-')), 'floor.db'), learners: LEARNERS, replyBytes: Math.round(replyBytes / replies) });
  let floorErrors = 0;
  const floorRun = await runLoad('(a2) floor: bare answer + SQLite', floor.url, LEARNERS, SECONDS, (i) => {
    let n = 0;
    return {
      next: () => ({
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/json', cookie: floor.cookie(i % LEARNERS) },
        body: JSON.stringify({ sessionId: (i % LEARNERS) + 1, questionId: `question-${i}-${n++}`, response: { type: 'choice', choice: 'a' }, timeSpentMs: 1000 }),
      }),
      done: (status) => {
        if (status !== 200) floorErrors++;
      },
    };
  });
  await floor.stop();
  printResult(floorRun, floorErrors ? `  (${floorErrors} not 200)` : '');

  // (b) answers: connection i is learner i, each request that learner's next unanswered question
  const answerStatuses: Record<string, number> = {};
  toggleProfiler(server.pid());
  const { run: answersRun, cores: answerCores } = await withServerCpu(server.pid(), () =>
    runAnswers('(b) sessions.answer (choice)', server!.url, learners, choiceTasks, cursor, ack, answerStatuses),
  );
  toggleProfiler(server.pid());
  printResult(answersRun, `  server CPU ${answerCores.toFixed(2)} cores`);

  // (c) code: connection j takes turns among learners j, j+C, …; each request a fresh session of that learner
  let busy429 = 0;
  let rate429 = 0;
  let other429 = 0;
  let notRecorded = 0;
  let notCorrect = 0;
  const graded: number[] = [];
  const codeRun = await runLoad('(c) sessions.submitCode (birnn)', server.url, CODE_CONNECTIONS, CODE_SECONDS, (j) => {
    const mine = learners.filter((l) => l.index % CODE_CONNECTIONS === j % CODE_CONNECTIONS);
    // interleaved: learner a's 1st session, learner b's 1st, …, learner a's 2nd, …
    const queue: { learner: Learner; sessionId: number }[] = [];
    for (let s = 0; s < CODE_SESSIONS_PER_LEARNER; s++) for (const l of mine) queue.push({ learner: l, sessionId: codeSessions[l.index]![s]! });
    let k = 0;
    let current: { learner: Learner; sessionId: number } | undefined;
    return {
      next: () => {
        // a 429 leaves the session unanswered: it goes back to the end of the queue
        current = queue[k++];
        if (!current) return null;
        return {
          method: 'POST',
          path: answerPath('sessions.submitCode'),
          headers: jsonHeaders(current.learner.cookie),
          body: JSON.stringify({ sessionId: current.sessionId, questionId: CODE_ITEM, code: CODE_ANSWER, timeSpentMs: 5000 }),
        };
      },
      done: (status, body) => {
        if (!current) return;
        if (status === 429) {
          if (body.includes('採点が混み合っています')) busy429++;
          else if (body.includes('提出が多すぎます')) rate429++;
          else other429++;
          if (queue.length < 10_000) queue.push(current);
          return;
        }
        if (status < 200 || status >= 300) return;
        try {
          const data = (JSON.parse(body) as { result: { data: { grading: { recorded: boolean; elapsedMs: number; verdict: { verdict: string } } } } }).result.data;
          if (data.grading.recorded) ack(`${current.sessionId}/${CODE_ITEM}`);
          else notRecorded++;
          if (data.grading.verdict.verdict !== 'correct') notCorrect++;
          graded.push(data.grading.elapsedMs);
        } catch {
          notRecorded++;
        }
      },
    };
  });
  const codeErrorsNon429 = codeRun.non2xx - busy429 - rate429 - other429;
  const gradeP50 = graded.length ? [...graded].sort((a, b) => a - b)[Math.floor(graded.length / 2)]! : NaN;
  printResult(codeRun, `\n${' '.repeat(35)}429 busy (grading queue full) ${busy429}, 429 per-learner rate limit ${rate429}, other 429 ${other429}; ` +
    `non-2xx other than 429: ${codeErrorsNon429}; 2xx not recorded: ${notRecorded}, not graded correct: ${notCorrect}; grading time in the thread p50 ${gradeP50.toFixed(1)} ms`);

  // stored = acknowledged
  const db = new Database(server.dbFile, { readonly: true, fileMustExist: true });
  let rows: string[];
  try {
    rows = (db.prepare('SELECT session_id AS s, question_id AS q FROM answers').all() as { s: number; q: string }[]).map((r) => `${r.s}/${r.q}`);
  } finally {
    db.close();
  }
  const { stored: storedCount, missing, unacknowledged, storedTwice } = storedVersusAcknowledged(rows, acknowledged);
  sqliteRun = {
    label: 'SQLite, 1 app process',
    run: answersRun,
    cores: `app ${answerCores.toFixed(2)}`,
    statuses: answerStatuses,
    acknowledged: acknowledged.size,
    duplicateAcks,
    stored: storedCount,
    missing,
    unacknowledged,
    storedTwice,
  };

  // summary
  const ratio = answersRun.rps / baseline.rps;
  const answerErrors = answersRun.errors + answersRun.non2xx;
  console.log('');
  console.log(`answers (b) / bare server (a) throughput: ${(ratio * 100).toFixed(1)}%  (${answersRun.rps.toFixed(0)} / ${baseline.rps.toFixed(0)} req/s)`);
  console.log(`floor (a2) / bare server (a) throughput:  ${((floorRun.rps / baseline.rps) * 100).toFixed(1)}%  (the most any implementation of an answer reaches here)`);
  console.log(`answers (b) / floor (a2) throughput:       ${((answersRun.rps / floorRun.rps) * 100).toFixed(1)}%`);
  console.log(`code (c) / bare server (a) throughput:    ${((codeRun.rps / baseline.rps) * 100).toFixed(2)}%`);
  console.log(`answer statuses: ${JSON.stringify(answerStatuses)}`);
  console.log(`stored answers ${storedCount}, acknowledged ${acknowledged.size} (duplicate acknowledgements ${duplicateAcks}); acknowledged but missing ${missing}; stored but never acknowledged ${unacknowledged}`);
  const line = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
  line(
    answerErrors === 0 && codeRun.errors + codeErrorsNon429 === 0 && notRecorded + notCorrect === 0,
    `no errors (answers: ${answerErrors}; code: ${codeRun.errors + codeErrorsNon429} besides 429s, ${notRecorded} unrecorded, ${notCorrect} not graded correct)`,
  );
  line(answersRun.p99 < 100, `p99 of answers at ${LEARNERS} concurrent learners under 100 ms (${answersRun.p99} ms)`);
  line(ratio >= 0.25, `answers at least 25% of the bare server's throughput (${(ratio * 100).toFixed(1)}%)`);
  line(storedAsAcknowledged(sqliteRun), `stored answers = acknowledged answers (${storedCount} = ${acknowledged.size})`);
  const neverAnswered = answersRun.unanswered + codeRun.unanswered;
  if (neverAnswered > 0) console.log(`      ${neverAnswered} requests got no reply (client timeout 30 s): each may have been committed after the client gave up`);
} finally {
  await server?.stop();
  await hello.stop();
}

if (PG && sqliteRun) {
  // after the SQLite server has stopped: the PostgreSQL run has the machine to itself, as the SQLite run had
  const pgRun = await answersOnPostgres(signUps);
  console.log('');
  console.log(`answers at ${LEARNERS} concurrent learners, ${SECONDS} s (stored and acknowledged: the whole run, warm-up included; on SQLite code answers too)`);
  console.log(`${'store'.padEnd(50)} ${'answers/s'.padStart(9)} ${'p50'.padStart(6)} ${'p99'.padStart(6)}  errors  stored = acknowledged        CPU (cores)`);
  for (const r of [sqliteRun, pgRun]) {
    const errors = r.run.errors + r.run.non2xx;
    const check = `${r.stored} = ${r.acknowledged} ${storedAsAcknowledged(r) ? 'yes' : `NO (missing ${r.missing}, never acknowledged ${r.unacknowledged}, stored twice ${r.storedTwice}, acknowledged twice ${r.duplicateAcks})`}`;
    console.log(`${r.label.padEnd(50)} ${r.run.rps.toFixed(0).padStart(9)} ${`${r.run.p50} ms`.padStart(6)} ${`${r.run.p99} ms`.padStart(6)}  ${String(errors).padStart(6)}  ${check.padEnd(27)} ${r.cores}`);
  }
  console.log(`PostgreSQL / SQLite answers/s: ${((pgRun.run.rps / sqliteRun.run.rps) * 100).toFixed(1)}%; PostgreSQL answer statuses ${JSON.stringify(pgRun.statuses)}`);
  const line = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
  line(pgRun.run.errors + pgRun.run.non2xx === 0, `no errors on PostgreSQL (${pgRun.run.errors + pgRun.run.non2xx})`);
  line(storedAsAcknowledged(pgRun), `stored answers = acknowledged answers on PostgreSQL (${pgRun.stored} = ${pgRun.acknowledged})`);
}
log('done');
