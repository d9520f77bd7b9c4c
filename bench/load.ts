// Load on the production server over loopback with many signed-in learners, against a bare node:http hello-world
// measured in the same run (issue 7, "Load"). Prints requests/s, p50/p99 latency, errors and non-2xx counts, the
// ratio to the bare server, and afterwards checks that the database holds exactly the answers acknowledged.
// Prints the targets as pass/fail lines and asserts nothing (exit 0 even when a target is missed).
//
//   npx tsx bench/load.ts [--learners 100] [--seconds 12] [--code-seconds 10] [--code-connections 20]
//                         [--sessions 6] [--code-sessions 15] [--profile DIR]
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
// Each run stops by itself: at the deadline every connection finishes its request in flight and closes, so every
// request sent gets its response and "stored = acknowledged" can be checked exactly. Traffic goes to 127.0.0.1 only.

import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { CHAPTER_SLUGS } from '../server/bank/chapters';
import { ensureBuild } from '../server/cli/build-state.mjs';
import { startServer, type RunningServer } from '../tests/e2e/harness';
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

// ---------------------------------------------------------------------------------------------------------------

const t0 = Date.now();
const log = (message: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}`);

await ensureBuild((m) => log(m));
const hello = await startHelloWorld();
let server: RunningServer | undefined;
try {
  // the real question bank, a fresh database, 127.0.0.1
  // every learner signs up from 127.0.0.1: lift the per-address sign-up limit (5 an hour) for the bench
  const signUps = { KAKUNIN_SIGNUPS_PER_ADDRESS: String(LEARNERS), KAKUNIN_SIGNUPS_PER_HOUR: String(Math.max(100, LEARNERS)) };
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

  // Warm-up (JIT, route modules, statement caches): a few answers over fetch, acknowledged like the rest.
  const cursor = learners.map(() => 0);
  let replyBytes = 0;
  let replies = 0;
  await inParallel(
    Array.from({ length: 200 }, (_, i) => i % LEARNERS),
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
  const { run: answersRun, cores: answerCores } = await withServerCpu(server.pid(), () => runLoad('(b) sessions.answer (choice)', server!.url, LEARNERS, SECONDS, (i) => {
    const li = i % LEARNERS;
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
        answerStatuses[status] = (answerStatuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300 && current) ack(`${current.sessionId}/${current.questionId}`);
      },
    };
  }));
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
  let stored: Set<string>;
  let storedCount: number;
  try {
    storedCount = (db.prepare('SELECT count(*) AS n FROM answers').get() as { n: number }).n;
    stored = new Set((db.prepare('SELECT session_id AS s, question_id AS q FROM answers').all() as { s: number; q: string }[]).map((r) => `${r.s}/${r.q}`));
  } finally {
    db.close();
  }
  const missing = [...acknowledged].filter((k) => !stored.has(k)).length;
  const unacknowledged = [...stored].filter((k) => !acknowledged.has(k)).length;

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
  line(storedCount === acknowledged.size && missing === 0 && unacknowledged === 0 && duplicateAcks === 0, `stored answers = acknowledged answers (${storedCount} = ${acknowledged.size})`);
  const neverAnswered = answersRun.unanswered + codeRun.unanswered;
  if (neverAnswered > 0) console.log(`      ${neverAnswered} requests got no reply (client timeout 30 s): each may have been committed after the client gave up`);
} finally {
  await server?.stop();
  await hello.stop();
}
log('done');
