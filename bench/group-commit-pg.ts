// Group commit on PostgreSQL (issue 16): one group in flight per store (`groupsOneAtATime`, the default) against groups
// that overlap on several pooled clients. Many learners answer at once through the real answer service
// (sessions.answer → commitAnswer → store.grouped), each waiting for its answer and then a random pause of up to
// --think ms before sending the next (a closed loop, as one browser tab; the pause spreads the learners over turns of
// the event loop, as a network does, else they all answer in the same turn and form one group). Prints answers/s, p50/p99 latency, groups (BEGINs) and the largest number in flight, and
// checks stored = acknowledged. Asserts nothing.
//
//   KAKUNIN_TEST_DATABASE_URL=postgres://… npx tsx bench/group-commit-pg.ts [--learners 50] [--seconds 8] [--pool 10] [--think 5]

import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openPgStore, type PgStore } from '../db/store-pg';
import { CHAPTER_SLUGS } from '../server/bank/chapters';
import { buildBank } from '../server/bank/bank';
import { syncBank } from '../server/bank/sync';
import { createContextInner } from '../server/context';
import { createCaller } from '../server/root';
import { createTestDatabase } from '../tests/db/pg-test-url';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const LEARNERS = opt('--learners', 50);
const SECONDS = opt('--seconds', 8);
const POOL = opt('--pool', 10);
const THINK_MS = opt('--think', 5);
const serverUrl = process.env.KAKUNIN_TEST_DATABASE_URL;
if (!serverUrl) throw new Error('set KAKUNIN_TEST_DATABASE_URL (bash .ci/postgres.sh prints one)');

const bank = buildBank();

type Task = { sessionId: number; questionId: string; response: { type: 'choice'; choice: string } | { type: 'multi'; choices: string[] } };

async function run(oneAtATime: boolean): Promise<void> {
  const database = await createTestDatabase(serverUrl!, 'kakunin_gcb');
  const store: PgStore = await openPgStore(database.url, { max: POOL, groupsOneAtATime: oneAtATime });
  try {
    await syncBank(store, bank);
    const { learners } = store.tables;
    const callers = [];
    const tasks: Task[][] = [];
    for (let i = 0; i < LEARNERS; i++) {
      const [row] = await store.db.insert(learners).values({ name: `bench-${i}` }).returning({ id: learners.id });
      const api = createCaller(await createContextInner({ store, bank, learnerId: row!.id }));
      const mine: Task[] = [];
      for (let s = 0; s < 4; s++) {
        const { sessionId } = await api.sessions.start({ chapters: [...CHAPTER_SLUGS], count: 100, order: 'random', filters: { kinds: ['choice'] } });
        for (const item of (await api.sessions.get({ sessionId })).items) {
          const first = item.choices?.[0]?.id;
          if (!first) continue;
          if (item.forms.includes('choice')) mine.push({ sessionId, questionId: item.questionId, response: { type: 'choice', choice: first } });
          else if (item.forms.includes('multi')) mine.push({ sessionId, questionId: item.questionId, response: { type: 'multi', choices: [first] } });
        }
      }
      callers.push(api);
      tasks.push(mine);
    }

    // BEGINs and the most groups open at once, from the queries the pool's clients send
    let begins = 0;
    let open = 0;
    let mostOpen = 0;
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
      if (a[0] === 'BEGIN') {
        begins++;
        mostOpen = Math.max(mostOpen, ++open);
      } else if (a[0] === 'COMMIT' || a[0] === 'ROLLBACK') open--;
      return (query as (...b: unknown[]) => unknown).apply(this, a);
    } as typeof query;

    const latencies: number[] = [];
    let acknowledged = 0;
    let failed = 0;
    const deadline = performance.now() + SECONDS * 1000;
    const started = performance.now();
    await Promise.all(
      callers.map(async (api, i) => {
        for (const task of tasks[i]!) {
          if (performance.now() >= deadline) return;
          const t0 = performance.now();
          try {
            await api.sessions.answer({ ...task, timeSpentMs: 1000 });
            acknowledged++;
            latencies.push(performance.now() - t0);
          } catch {
            failed++;
          }
          await new Promise((resolve) => setTimeout(resolve, Math.random() * THINK_MS));
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    pg.Client.prototype.query = query;
    latencies.sort((a, b) => a - b);
    const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
    const n = (await store.rows<{ n: string }>(sql`SELECT count(*) AS n FROM answers`))[0]!.n;
    console.log(
      `${oneAtATime ? 'one group at a time' : 'overlapping groups '}: ${(acknowledged / elapsed).toFixed(0)} answers/s, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, ` +
        `${begins} groups (${(acknowledged / Math.max(1, begins)).toFixed(1)} answers each), at most ${mostOpen} open at once, ` +
        `failed ${failed}, stored ${n} = acknowledged ${acknowledged}: ${Number(n) === acknowledged ? 'yes' : 'NO'}`,
    );
  } finally {
    await store.close();
    await database.drop();
  }
}

console.log(`${LEARNERS} learners, ${SECONDS} s each, pool of ${POOL}, think up to ${THINK_MS} ms`);
for (const oneAtATime of [true, false, true, false]) await run(oneAtATime);
