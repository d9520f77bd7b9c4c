// A learner's code verdict while four others flood the graders with endless loops, against the production
// server (fresh database, 127.0.0.1 only). Five accounts sign up; the victim submits a correct answer every
// ~2.1 s (within the 30 a minute limit), first alone (the baseline, same run), then while the four flooders each
// keep --lanes submissions of `while True: pass` going for --flood seconds, resubmitting as soon as one is answered
// (and 0.1 s after one is refused): the server's per-learner limits decide what is graded. Prints the victim's
// verdict latency p50/p95/p99/max alone and under flood, and the flooders' graded/refused counts and reasons.
// Run it alone (it starts a build when the sources changed; other helpers' tests slow it down).
//
//   npx tsx bench/grading-flood.ts [--baseline 20] [--flood 60] [--lanes 3] [--code loop|wall] [--env KEY=VALUE …]
//
// --code wall floods with a loop of heavy built-in calls (upper() of a 999,999-character string), which runs into
// the interpreter's wall-time limit (1 s a case) instead of its step limit: the heaviest job a learner can send
// now (before issue 15, such built-ins held a process up to the pool's 5 s hard timeout). --env passes settings to
// the server, e.g.
// KAKUNIN_LIMIT_HITS_PER_MINUTE=100000 KAKUNIN_SUBMISSIONS_PER_MINUTE=100000 to measure the fair queue alone.

import { ensureBuild } from '../server/cli/build-state.mjs';
import { startServer } from '../tests/e2e/harness';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const BASELINE_S = opt('--baseline', 20);
const FLOOD_S = opt('--flood', 60);
const VICTIM_EVERY_MS = 2_100;
const FLOOD_LANES = opt('--lanes', 3);
const FLOOD_CODES: Record<string, string> = {
  loop: 'def softmax(x):\n    while True:\n        pass',
  wall: "def softmax(x):\n    s = 'a' * 999999\n    while True:\n        t = s.upper()",
};
const codeName = args.includes('--code') ? args[args.indexOf('--code') + 1]! : 'loop';
const ENDLESS = FLOOD_CODES[codeName];
if (!ENDLESS) throw new Error(`--code ${codeName}: one of ${Object.keys(FLOOD_CODES).join(', ')}`);
const serverEnv: Record<string, string> = { KAKUNIN_SIGNUPS_PER_ADDRESS: '50' };
args.forEach((a, i) => {
  if (a !== '--env') return;
  const [key, value] = (args[i + 1] ?? '').split('=');
  if (key && value !== undefined) serverEnv[key] = value;
});
const CORRECT = 'np.concatenate([h_f, h_b[::-1]], axis=1)';

await ensureBuild((m) => console.log(`[build] ${m}`));
// Five sign-ups from one address: more than the sign-up limit allows by default, which is not what is measured.
const server = await startServer(serverEnv);
console.log(`server settings: ${JSON.stringify(serverEnv)}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function call(procedure: string, input: unknown, cookie?: string): Promise<{ status: number; data: unknown; setCookie: string[]; text: string }> {
  const res = await fetch(`${server.url}/api/trpc/${procedure}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(600_000),
  });
  const text = await res.text();
  const json = JSON.parse(text) as { result?: { data: unknown } };
  return { status: res.status, data: json.result?.data, setCookie: res.headers.getSetCookie(), text };
}

async function signUp(i: number): Promise<string> {
  const r = await call('auth.signUp', { email: `flood${i}@bench.kakunin.test`, password: 'correct horse battery', name: `学習者${i}` });
  const cookie = r.setCookie.map((c) => c.split(';')[0]!).find((c) => c.startsWith('kakunin_session='));
  if (r.status !== 200 || !cookie) throw new Error(`sign-up ${i}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return cookie;
}

async function startSession(cookie: string, chapter: string): Promise<number> {
  const r = await call('sessions.start', { chapters: [chapter], count: 100, order: 'course', filters: { kinds: ['code'] } }, cookie);
  if (r.status !== 200) throw new Error(`sessions.start: HTTP ${r.status} ${r.text.slice(0, 200)}`);
  return (r.data as { sessionId: number }).sessionId;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
};
const summary = (xs: number[]) =>
  `n=${String(xs.length).padStart(3)}  p50 ${quantile(xs, 0.5).toFixed(0).padStart(6)} ms  p95 ${quantile(xs, 0.95).toFixed(0).padStart(6)} ms  p99 ${quantile(xs, 0.99).toFixed(0).padStart(6)} ms  max ${Math.max(...xs).toFixed(0).padStart(6)} ms`;

try {
  const cookies: string[] = [];
  for (let i = 0; i < 5; i++) cookies.push(await signUp(i));
  const [victim, ...flooders] = cookies as [string, ...string[]];

  /** One correct submission of the victim in a fresh session (a recorded answer cannot be submitted twice). */
  async function victimOnce(): Promise<number> {
    const sessionId = await startSession(victim, 'birnn');
    const t0 = performance.now();
    const r = await call('sessions.submitCode', { sessionId, questionId: 'birnn-concat', code: CORRECT, timeSpentMs: 1 }, victim);
    const ms = performance.now() - t0;
    const verdict = (r.data as { grading?: { verdict: { verdict: string } } } | undefined)?.grading?.verdict.verdict;
    if (r.status !== 200 || verdict !== 'correct') throw new Error(`victim: HTTP ${r.status} ${verdict ?? r.text.slice(0, 300)}`);
    return ms;
  }

  async function victimFor(seconds: number, at: number[] = []): Promise<number[]> {
    const out: number[] = [];
    const begin = performance.now();
    const end = begin + seconds * 1000;
    while (performance.now() < end) {
      const started = performance.now();
      at.push((started - begin) / 1000);
      out.push(await victimOnce());
      await sleep(Math.max(0, VICTIM_EVERY_MS - (performance.now() - started)));
    }
    return out;
  }

  await victimOnce(); // first grading warms the process's caches: not a sample
  const alone = await victimFor(BASELINE_S);

  const counts = flooders.map(() => ({ graded: 0, refused: new Map<string, number>() }));
  const floodJobMs: number[] = [];
  let flooding = true;
  const lanes = flooders.flatMap((cookie, f) =>
    Array.from({ length: FLOOD_LANES }, async () => {
      const sessionId = await startSession(cookie, 'attention');
      while (flooding) {
        const r = await call('sessions.submitCode', { sessionId, questionId: 'attention-softmax-function', code: ENDLESS, timeSpentMs: 1 }, cookie);
        if (r.status === 200) {
          counts[f]!.graded += 1;
          floodJobMs.push((r.data as { grading: { elapsedMs: number } }).grading.elapsedMs);
        }
        else {
          const message = (JSON.parse(r.text) as { error?: { message?: string } }).error?.message ?? `HTTP ${r.status}`;
          counts[f]!.refused.set(message, (counts[f]!.refused.get(message) ?? 0) + 1);
          await sleep(100); // a refusal is answered at once: do not spin
        }
      }
    }),
  );
  await sleep(2_000); // the flood is under way
  const at: number[] = [];
  const underFlood = await victimFor(FLOOD_S, at);
  flooding = false;
  await Promise.all(lanes);

  console.log(`victim (birnn-concat, correct), one submission every ${VICTIM_EVERY_MS} ms:`);
  console.log(`  alone         ${summary(alone)}`);
  console.log(`  under flood   ${summary(underFlood)}   (p99 ratio ${(quantile(underFlood, 0.99) / quantile(alone, 0.99)).toFixed(1)}x)`);
  const worst = underFlood.indexOf(Math.max(...underFlood));
  console.log(`  slowest under flood: submitted ${(at[worst]! + 2).toFixed(1)} s after the flood began`);
  console.log(`flooders: 4 learners × ${FLOOD_LANES} lanes of ${JSON.stringify(ENDLESS)} for ${FLOOD_S} s`);
  for (const [f, c] of counts.entries()) {
    const refused = [...c.refused.values()].reduce((a, b) => a + b, 0);
    console.log(`  flooder ${f + 1}: graded ${c.graded}, refused ${refused}`);
  }
  console.log(`  flood jobs graded: grading time p50 ${quantile(floodJobMs, 0.5).toFixed(0)} ms, max ${Math.max(...floodJobMs).toFixed(0)} ms (0: stopped by the pool)`);
  const reasons = new Map<string, number>();
  for (const c of counts) for (const [m, n] of c.refused) reasons.set(m, (reasons.get(m) ?? 0) + n);
  for (const [m, n] of reasons) console.log(`  refused ${String(n).padStart(5)} × ${m}`);
} finally {
  await server.stop();
}
