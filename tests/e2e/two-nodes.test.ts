import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAPTER_SLUGS } from '../../server/bank/chapters';
import { buildBank } from '../../server/bank/bank';
import type { SessionView } from '../../server/services/sessions';
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../db/pg-test-url';
import { prepareDatabase, startServer, type RunningServer } from './harness';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

/*
 * Issue 16: two app processes on one PostgreSQL database behind a round-robin proxy with no sticky sessions, so a
 * learner's consecutive requests go to different processes. Everything a learner does on one must be seen by the
 * other (it lives in the database), and a process killed with SIGKILL loses no answer it acknowledged.
 */

const serverUrl = pgTestUrl('tests/e2e/two-nodes.test.ts');
/** the proxy's fixed client address in the sign-up limit test (a documentation range, RFC 5737) */
const CLIENT = '203.0.113.7';
const SIGNUPS_PER_ADDRESS = 3;

let database: TestDatabase;
let nodes: RunningServer[] = [];
let proxy: RoundRobinProxy;
const bank = buildBank();

beforeAll(async () => {
  if (!serverUrl) return;
  database = await createTestDatabase(serverUrl, 'kakunin_two_nodes');
  const env = {
    KAKUNIN_DATABASE_URL: database.url,
    // the proxy (127.0.0.1) is believed about the client's address (X-Forwarded-For)
    KAKUNIN_TRUSTED_PROXIES: '127.0.0.1',
    KAKUNIN_SIGNUPS_PER_ADDRESS: String(SIGNUPS_PER_ADDRESS),
  };
  await prepareDatabase(env);
  nodes = await Promise.all([startServer(env), startServer(env)]);
  proxy = await startRoundRobinProxy(nodes.map((n) => n.url));
});

afterAll(async () => {
  await proxy?.close();
  await Promise.all(nodes.map((n) => n.stop()));
  if (database) expect(await database.drop()).toBe(true);
});

interface Reply<T> {
  status: number;
  data?: T;
  message?: string;
}

/** A learner's browser, reduced to tRPC over fetch with a cookie jar: `at` sends to another address with the same cookies. */
class Learner {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly base: () => string) {}

  at(url: string): Learner {
    const other = new Learner(() => url);
    for (const [k, v] of this.cookies) other.cookies.set(k, v);
    return other;
  }

  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  }

  private headers(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private async unwrap<T>(res: Response): Promise<Reply<T>> {
    this.keep(res);
    const text = await res.text();
    // the proxy's 502 is plain text
    if (!res.headers.get('content-type')?.includes('json')) return { status: res.status, message: text };
    const body = JSON.parse(text) as { result?: { data: T }; error?: { message: string } };
    return { status: res.status, data: body.result?.data, message: body.error?.message };
  }

  async mutate<T>(procedure: string, input: unknown): Promise<Reply<T>> {
    const res = await fetch(`${this.base()}/api/trpc/${procedure}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.headers() },
      body: JSON.stringify(input),
    });
    return this.unwrap<T>(res);
  }

  async query<T>(procedure: string, input?: unknown): Promise<Reply<T>> {
    const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.unwrap<T>(await fetch(`${this.base()}/api/trpc/${procedure}${q}`, { headers: this.headers() }));
  }

  /** a query's data, failing the test on anything but 200 */
  async read<T>(procedure: string, input?: unknown): Promise<T> {
    const reply = await this.query<T>(procedure, input);
    expect([procedure, reply.status, reply.message]).toEqual([procedure, 200, undefined]);
    return reply.data!;
  }
}

/** The right answer of a choice or multi item (from the bank), or a wrong one. */
function answerFor(questionId: string, right: boolean): { type: 'choice'; choice: string } | { type: 'multi'; choices: string[] } {
  const q = bank.questions.find((x) => x.id === questionId);
  if (q?.kind === 'choice') return { type: 'choice', choice: right ? q.answer : q.choices.map((c) => c.id).find((c) => c !== q.answer)! };
  if (q?.kind === 'multi') return { type: 'multi', choices: right ? q.answer : q.choices.map((c) => c.id).filter((c) => !q.answer.includes(c)).slice(0, 1) };
  throw new Error(`${questionId} is not a choice item`);
}

/**
 * Takes out of a progress overview the numbers that depend on the moment it is read (FSRS retrievability decays by the
 * second, and a chapter's mastery score is made of it), so two reads a moment apart can be compared exactly; returns
 * them by path, to be compared with a tolerance.
 */
function withoutClock(value: unknown, path = ''): [string, number][] {
  const taken: [string, number][] = [];
  if (Array.isArray(value)) value.forEach((v, i) => taken.push(...withoutClock(v, `${path}[${i}]`)));
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(record)) {
      const clocked = (k === 'retrievability' || (k === 'score' && path.endsWith('.mastery'))) && typeof v === 'number';
      if (clocked) {
        taken.push([`${path}.${k}`, v]);
        record[k] = 'read at a moment';
      } else taken.push(...withoutClock(v, `${path}.${k}`));
    }
  }
  return taken;
}

/** The nodes that served the proxy's requests since `from`, counted per node. */
const servedSince = (from: number) => [0, 1].map((n) => proxy.served.slice(from).filter((x) => x === n).length);

describe.skipIf(!serverUrl)('two app processes on one PostgreSQL behind a round-robin proxy', () => {
  it('shows one learner the same answers, progress, mock deadline and review queue on both processes', async () => {
    const from = proxy.served.length;
    const viaProxy = new Learner(() => proxy.url);
    const signedUp = await viaProxy.mutate('auth.signUp', { email: 'two@example.jp', password: 'password-two', name: '二台' });
    expect(signedUp.status).toBe(200);
    const signedIn = await viaProxy.mutate<{ name: string }>('auth.signIn', { email: 'two@example.jp', password: 'password-two' });
    expect(signedIn.status).toBe(200);

    const started = await viaProxy.mutate<{ sessionId: number }>('sessions.start', { chapters: [...CHAPTER_SLUGS], count: 6, order: 'course', filters: { kinds: ['choice'] } });
    expect(started.status).toBe(200);
    const sessionId = started.data!.sessionId;
    const before = await viaProxy.read<SessionView>('sessions.get', { sessionId });
    expect(before.items.map((i) => i.answered)).toEqual([false, false, false, false, false, false]);
    // every other one right: the review queue then holds cards of both kinds
    for (const [i, item] of before.items.entries()) {
      const reply = await viaProxy.mutate<{ result: { verdict: string } }>('sessions.answer', { sessionId, questionId: item.questionId, response: answerFor(item.questionId, i % 2 === 0), timeSpentMs: 1000 });
      expect([item.questionId, reply.status, reply.message]).toEqual([item.questionId, 200, undefined]);
    }

    const [a, b] = nodes.map((n) => viaProxy.at(n.url));
    const viewA = await a!.read<SessionView>('sessions.get', { sessionId });
    expect(viewA.answeredCount).toBe(6);
    expect(viewA.correctCount).toBe(3);
    expect(viewA.items.map((i) => i.result?.verdict)).toEqual(['correct', 'incorrect', 'correct', 'incorrect', 'correct', 'incorrect']);
    expect(await b!.read('sessions.get', { sessionId })).toEqual(viewA);

    const summaryA = await a!.read<{ answers: number; answeredQuestions: number }>('progress.summary');
    expect([summaryA.answers, summaryA.answeredQuestions]).toEqual([6, 6]);
    expect(await b!.read('progress.summary')).toEqual(summaryA);
    const overviewA = await a!.read('progress.overview');
    const overviewB = await b!.read('progress.overview');
    const clockA = withoutClock(overviewA);
    const clockB = withoutClock(overviewB);
    expect(overviewB).toEqual(overviewA);
    expect(clockA.length).toBeGreaterThan(6);
    expect(clockB.map(([k]) => k)).toEqual(clockA.map(([k]) => k));
    for (const [i, [k, v]] of clockB.entries()) expect([k, v]).toEqual([k, expect.closeTo(clockA[i]![1], 3)]);

    const mock = await viaProxy.mutate<{ sessionId: number }>('sessions.startMock', { size: 5 });
    expect(mock.status).toBe(200);
    const mockA = await a!.read<SessionView>('sessions.get', { sessionId: mock.data!.sessionId });
    const examA = mockA.exam!;
    const examB = (await b!.read<SessionView>('sessions.get', { sessionId: mock.data!.sessionId })).exam!;
    expect(examA.timeLimitSec).toBe(5 * 72);
    expect(examA.deadline).toBe(mockA.startedAt + 5 * 72 * 1000);
    expect(examB.deadline).toBe(examA.deadline);
    expect(examA.remainingMs).toBeGreaterThan(0);

    const queueA = await a!.read<{ due: { questionId: string }[] }>('review.queue');
    // the three answered wrong come back today
    const wrong = before.items.filter((_, i) => i % 2 === 1).map((i) => i.questionId);
    expect(queueA.due.map((d) => d.questionId).sort()).toEqual([...wrong].sort());
    expect(await b!.read('review.queue')).toEqual(queueA);

    // the proxy really alternated: sign-up, sign-in, start, get, 6 answers, start mock = 11 requests
    expect(proxy.served.slice(from)).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    expect(servedSince(from)).toEqual([6, 5]);
  });

  // Fails while the limits are counted in each process's memory: issue16-limits moves them into the database.
  it('refuses the 4th sign-up from one address whichever process gets it (KAKUNIN_SIGNUPS_PER_ADDRESS=3)', async () => {
    const behind = await startRoundRobinProxy(nodes.map((n) => n.url), { forwardedFor: CLIENT });
    try {
      const replies: Reply<unknown>[] = [];
      for (let i = 0; i < SIGNUPS_PER_ADDRESS + 1; i++) {
        replies.push(await new Learner(() => behind.url).mutate('auth.signUp', { email: `limit${i}@example.jp`, password: 'password-limit', name: `制限${i}` }));
      }
      expect(behind.served).toEqual([0, 1, 0, 1]);
      expect(replies.map((r) => [r.status, r.message])).toEqual([
        [200, undefined],
        [200, undefined],
        [200, undefined],
        [429, 'この接続元からの登録が多すぎます。60分ほど待ってからもう一度お試しください。'],
      ]);
    } finally {
      await behind.close();
    }
  });

  it('keeps every acknowledged answer when one process is killed (SIGKILL) in the middle of a stream of answers', async () => {
    const learner = new Learner(() => proxy.url);
    expect((await learner.mutate('auth.signUp', { email: 'stream@example.jp', password: 'password-stream', name: '連続' })).status).toBe(200);
    const tasks: { sessionId: number; questionId: string }[] = [];
    for (let s = 0; s < 3; s++) {
      const started = await learner.mutate<{ sessionId: number }>('sessions.start', { chapters: [...CHAPTER_SLUGS], count: 100, order: 'random', filters: { kinds: ['choice'] } });
      expect(started.status).toBe(200);
      const view = await learner.read<SessionView>('sessions.get', { sessionId: started.data!.sessionId });
      for (const item of view.items) tasks.push({ sessionId: view.id, questionId: item.questionId });
    }
    expect(tasks.length).toBeGreaterThan(150);

    const key = (t: { sessionId: number; questionId: string }) => `${t.sessionId}/${t.questionId}`;
    const acknowledged = new Set<string>();
    /** refused as already answered when retried: the killed process stored it but its reply was lost */
    const storedByTheDead: string[] = [];
    const failed: string[] = [];
    const statuses: Record<string, number> = {};
    const send = async (task: (typeof tasks)[number]): Promise<string> => {
      let outcome: string;
      try {
        const r = await learner.mutate('sessions.answer', { ...task, response: answerFor(task.questionId, true), timeSpentMs: 1000 });
        outcome = r.status === 200 ? '200' : `${r.status} ${r.message}`;
      } catch (error) {
        // the connection died with the process: the proxy cut the reply off
        outcome = `no reply: ${(error as Error).cause ?? error}`;
      }
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      return outcome;
    };
    const ALREADY = '409 この問題にはすでに回答しています。';
    let next = 0;
    let killedAt = -1;
    const stream = async () => {
      while (next < tasks.length) {
        const task = tasks[next++]!;
        let outcome = await send(task);
        expect(outcome).not.toBe(ALREADY); // each task is sent once, and retried only after no success reply
        // a lost reply is retried, as the browser's save would be: the proxy sends the retry to the next process
        for (let retry = 0; retry < 3 && outcome !== '200' && outcome !== ALREADY; retry++) {
          outcome = await send(task);
          if (outcome === ALREADY) storedByTheDead.push(key(task));
        }
        if (outcome === '200') acknowledged.add(key(task));
        else if (outcome !== ALREADY) failed.push(`${key(task)}: ${outcome}`);
      }
    };
    const streams = [0, 1, 2, 3].map(stream);
    while (acknowledged.size < 40) await new Promise((r) => setTimeout(r, 2));
    killedAt = acknowledged.size;
    await nodes[0]!.kill('SIGKILL');
    await Promise.all(streams);

    expect(failed).toEqual([]);
    console.log(`two-nodes: ${tasks.length} answers sent, ${killedAt} acknowledged before the kill; replies: ${JSON.stringify(statuses)}`);
    expect(killedAt).toBeGreaterThanOrEqual(40);
    // the stream went on through the survivor: most answers came after the kill
    expect(acknowledged.size + storedByTheDead.length).toBe(tasks.length);
    expect(acknowledged.size - killedAt).toBeGreaterThan(100);

    // read back through the surviving process
    const survivor = learner.at(nodes[1]!.url);
    const sessionIds = [...new Set(tasks.map((t) => t.sessionId))];
    const answeredViaSurvivor = new Set<string>();
    for (const sessionId of sessionIds) {
      const view = await survivor.read<SessionView>('sessions.get', { sessionId });
      for (const item of view.items) if (item.answered) answeredViaSurvivor.add(`${sessionId}/${item.questionId}`);
    }
    expect([...acknowledged].filter((k) => !answeredViaSurvivor.has(k))).toEqual([]);
    expect(storedByTheDead.filter((k) => !answeredViaSurvivor.has(k))).toEqual([]);

    // and directly in PostgreSQL: every acknowledged answer once, nothing twice
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ s: number; q: string; n: string }>(
        'SELECT session_id AS s, question_id AS q, count(*) AS n FROM answers WHERE session_id = ANY($1) GROUP BY 1, 2',
        [sessionIds],
      );
      const stored = new Set(rows.map((r) => `${r.s}/${r.q}`));
      expect(rows.filter((r) => Number(r.n) !== 1)).toEqual([]);
      expect([...acknowledged].filter((k) => !stored.has(k))).toEqual([]);
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged.size);
      expect(stored.size).toBe(tasks.length);
    } finally {
      await client.end();
    }
  });
});
