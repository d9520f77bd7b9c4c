// Grading in a child process vs a worker thread, measured through the same GradingPool in the same run:
// the round trip of a job that does no work (a syntax error, answered at once: the transport's own cost), a
// correct answer of a real item, the start of a pool (process/thread up, tfjs loaded and warm, first reply) and
// the replacement of one killed by the hard timeout. Prints medians and process/thread ratios; asserts nothing.
// (Worker threads cannot contain one large allocation: nodejs/node#47224. This measured what isolation costs.)
//
//   npx tsx bench/grading-transport.ts [--runs 200]

import path from 'node:path';
import { buildBank } from '../server/bank/bank';
import { buildServerBundles } from '../server/cli/build-state.mjs';
import { GradingPool, type Isolation } from '../server/grading/pool';
import type { GradeRequest } from '../server/grading/protocol';

const args = process.argv.slice(2);
const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 200;

await buildServerBundles();
const bank = buildBank(path.join(process.cwd(), 'questions'));
const found = bank.byId.get('birnn-concat');
if (!found || found.kind !== 'code') throw new Error('birnn-concat is a code item');
const q = found;
const foundFn = bank.byId.get('attention-softmax-function');
if (!foundFn || foundFn.kind !== 'function') throw new Error('attention-softmax-function is a function item');
const fn = foundFn;
const job = (code: string, seed = 1): Omit<GradeRequest, 'id'> => ({ type: 'grade', item: { id: q.id, kind: q.kind, template: q.template }, graderKey: 'birnn-concat', code, seed });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(pool: GradingPool, request: Omit<GradeRequest, 'id'>, want: string): Promise<number> {
  const t0 = performance.now();
  const reply = await pool.run(request);
  const ms = performance.now() - t0;
  if (!reply.ok || reply.type !== 'grade' || reply.verdict.verdict !== want) throw new Error(`unexpected reply ${JSON.stringify(reply).slice(0, 300)}`);
  return ms;
}

async function measure(isolation: Isolation) {
  const t0 = performance.now();
  const pool = new GradingPool({ size: 1, isolation, timeoutMs: 2_000 });
  await timed(pool, job('('), 'error');
  const startMs = performance.now() - t0;
  const empty: number[] = [];
  const correct: number[] = [];
  for (let i = 0; i < runs; i++) {
    empty.push(await timed(pool, job('('), 'error'));
    correct.push(await timed(pool, job(q.solution.trim(), 1000 + i), 'correct'));
  }
  // Killed by the hard timeout (the interpreter's own limits lifted), then the next job waits for the new one.
  const replace: number[] = [];
  for (let i = 0; i < 3; i++) {
    const endless: Omit<GradeRequest, 'id'> = {
      ...job(''),
      item: { id: fn.id, kind: fn.kind, template: fn.template },
      graderKey: fn.grader ?? fn.id,
      code: 'def softmax(x):\n    while True:\n        pass',
      options: { caseTimeoutMs: 60_000, limits: { maxSteps: 1e12 } },
    };
    await pool.run(endless).catch(() => undefined);
    replace.push(await timed(pool, job('('), 'error'));
  }
  await pool.close();
  return { startMs, empty: median(empty), correct: median(correct), replace: median(replace) };
}

const proc = await measure('process');
const thread = await measure('thread');

const row = (name: string, t: number, p: number) => console.log(`${name.padEnd(34)} ${t.toFixed(2).padStart(9)} ${p.toFixed(2).padStart(9)} ${(p / t).toFixed(2).padStart(8)}`);
console.log(`runs ${runs} per mode, birnn-concat, cpu backend                 thread ms  process ms  process/thread`);
row('no-work job round trip (median)', thread.empty, proc.empty);
row('correct answer graded (median)', thread.correct, proc.correct);
row('pool start to first reply', thread.startMs, proc.startMs);
row('replacement after a kill (median)', thread.replace, proc.replace);
console.log(`per-grading overhead of a process: ${(proc.empty - thread.empty).toFixed(2)} ms per job`);
