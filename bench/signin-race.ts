// The sign-in limiter under a race, on the production server over loopback (issue 15, "the sign-in limiter"):
//   (a) 40 parallel wrong guesses at one account: how many were checked (401, scrypt ran) and how many refused (429);
//   (b) 300 parallel sign-ins at 300 accounts, each with its own spoofed X-Forwarded-For (the server trusts no proxy,
//       so they all come from 127.0.0.1): checked vs refused, and how long the storm lasted;
// and the latency of unrelated requests (a page, /signin, and the auth.me query) alone, then during storm (b), as a
// ratio measured in the same run. Prints; asserts nothing. Traffic goes to 127.0.0.1 only, every request is bounded.
//
//   npx tsx bench/signin-race.ts [--guesses 40] [--storm 300]

import path from 'node:path';
import { ensureBuild, root } from '../server/cli/build-state.mjs';
import { startServer, type RunningServer } from '../tests/e2e/harness';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : dflt);
const GUESSES = opt('--guesses', 40);
const STORM = opt('--storm', 300);
const REQUEST_TIMEOUT_MS = 60_000; // a request still unanswered then counts as status 0

const log = (message: string) => console.log(message);

interface Reply {
  status: number;
  ms: number;
}

async function post(url: string, procedure: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply & { cookies: string[] }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/api/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0, cookies: res.headers.getSetCookie().map((c) => c.split(';')[0]!) };
  } catch {
    return { status: 0, ms: performance.now() - t0, cookies: [] }; // timed out or refused: counted as "other 0"
  }
}

async function getTimed(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

function tally(replies: Reply[]): string {
  const by = new Map<number, number>();
  for (const r of replies) by.set(r.status, (by.get(r.status) ?? 0) + 1);
  const checked = by.get(401) ?? 0;
  const refused = by.get(429) ?? 0;
  const other = replies.length - checked - refused;
  return `checked (401) ${checked}, refused (429) ${refused}${other ? `, other ${other} (${[...by].filter(([s]) => s !== 401 && s !== 429).map(([s, n]) => `${s}×${n}`).join(', ')})` : ''}`;
}

/** Sequential unrelated requests until `until` settles (at least `min`): the page and the query alternate. */
async function probe(url: string, cookie: string, until: Promise<unknown> | null, min: number): Promise<{ page: number[]; query: number[] }> {
  const page: number[] = [];
  const query: number[] = [];
  let done = until === null;
  void until?.finally(() => (done = true));
  for (let i = 0; (i < min || !done) && i < 10_000; i++) {
    page.push((await getTimed(`${url}/signin`)).ms);
    query.push((await getTimed(`${url}/api/trpc/auth.me`, { cookie })).ms);
  }
  return { page, query };
}

await ensureBuild((m) => log(m));
let server: RunningServer | undefined;
try {
  server = await startServer({ KAKUNIN_QUESTIONS: path.join(root, 'tests', 'fixtures', 'questions') });
  const { url } = server;
  const signUp = await post(url, 'auth.signUp', { email: 'owner@bench.kakunin.test', password: 'owner-password-0123', name: '持ち主' });
  if (signUp.status !== 200) throw new Error(`sign-up answered ${signUp.status}`);
  const cookie = signUp.cookies.find((c) => c.startsWith('kakunin_session='))!;
  // set by the limiter's version of the server (a known device of the account); absent before it
  const device = signUp.cookies.find((c) => c.startsWith('kakunin_device='));

  // warm up Next's page and the API before timing anything
  await probe(url, cookie, null, 5);
  const alone = await probe(url, cookie, null, 30);
  log(`unrelated requests alone: /signin p50 ${ms(quantile(alone.page, 0.5))}, p99 ${ms(quantile(alone.page, 0.99))}; auth.me p50 ${ms(quantile(alone.query, 0.5))}`);

  // (a) parallel guesses at one account
  const guesses = await Promise.all(
    Array.from({ length: GUESSES }, (_, i) => post(url, 'auth.signIn', { email: 'owner@bench.kakunin.test', password: `wrong-guess-${i}` })),
  );
  log(`(a) ${GUESSES} parallel wrong guesses at one account: ${tally(guesses)}`);

  // a fresh process, so (b) does not start with (a)'s failures on the books
  await server.restart();

  // (b) a storm from "different addresses" at different accounts
  const t0 = performance.now();
  const storm = Promise.all(
    Array.from({ length: STORM }, (_, i) =>
      post(url, 'auth.signIn', { email: `nobody-${i}@bench.kakunin.test`, password: `wrong-guess-${i}` }, { 'x-forwarded-for': `198.51.100.${i % 250}, 10.9.${i >> 8}.${i & 255}` }),
    ),
  );
  const during = await probe(url, cookie, storm, 3);
  const stormReplies = await storm;
  const stormMs = performance.now() - t0;
  log(`(b) ${STORM} parallel sign-ins with spoofed X-Forwarded-For: ${tally(stormReplies)}; all answered in ${ms(stormMs)}`);
  log(
    `unrelated requests during (b): /signin p50 ${ms(quantile(during.page, 0.5))}, max ${ms(Math.max(...during.page))}; ` +
      `auth.me p50 ${ms(quantile(during.query, 0.5))}, max ${ms(Math.max(...during.query))} (${during.page.length} of each)`,
  );
  log(
    `ratio during/alone: /signin p50 ×${(quantile(during.page, 0.5) / quantile(alone.page, 0.5)).toFixed(1)}, max/p99 ×${(Math.max(...during.page) / quantile(alone.page, 0.99)).toFixed(1)}; ` +
      `auth.me p50 ×${(quantile(during.query, 0.5) / quantile(alone.query, 0.5)).toFixed(1)}, max/p99 ×${(Math.max(...during.query) / quantile(alone.query, 0.99)).toFixed(1)}`,
  );

  // the owner, from this same address, after the storm: as a new device, and from the browser that signed up
  const owner = await post(url, 'auth.signIn', { email: 'owner@bench.kakunin.test', password: 'owner-password-0123' });
  const ownerDevice = device ? (await post(url, 'auth.signIn', { email: 'owner@bench.kakunin.test', password: 'owner-password-0123' }, { cookie: device })).status : 'no device cookie';
  log(`owner's sign-in right after (b) from the same address: new device ${owner.status}, known device ${ownerDevice}`);
} finally {
  await server?.stop();
}
