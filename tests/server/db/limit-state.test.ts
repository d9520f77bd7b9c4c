import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDb, openDb, type Db } from '../../../db/client';
import { StoreLimitState } from '../../../db/limit-state';
import type { Store } from '../../../db/store';
import { openPgStore, type PgStore } from '../../../db/store-pg';
import { sqliteStore } from '../../../db/store-sqlite';
import { AuthLimits } from '../../../server/auth/limits';
import { Backoff, RateLimiter } from '../../../server/auth/rate-limit';
import { LimitBudget } from '../../../server/grading/limit-budget';
import { createTestDatabase, pgTestUrl, type TestDatabase } from '../../db/pg-test-url';

/*
 * Issue 16: the rate limits' counters live in the database, so two app processes on one database count the same
 * attempts. On PostgreSQL each case runs on two pools of one database, the way two app processes see it. SQLite is
 * one app process by design (a second connection in the same process would wait synchronously for the first one's
 * open transaction, stalling the event loop that has to finish it), so there "both nodes" are two sets of limiters
 * on the one handle, kept in a file so that the counters are the table's, not memory's.
 */

const url = pgTestUrl('the shared rate limits on PostgreSQL, tests/server/db/limit-state.test.ts');

interface Nodes {
  a: Store;
  b: Store;
  close(): Promise<void>;
}

async function sqliteNodes(): Promise<Nodes> {
  const folder = mkdtempSync(path.join(tmpdir(), 'kakunin-limits-'));
  const file = path.join(folder, 'kakunin.db');
  const db: Db = openDb(file);
  migrateDb(db);
  return {
    a: sqliteStore(db),
    b: sqliteStore(db),
    async close() {
      db.$client.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function pgNodes(serverUrl: string): Promise<Nodes> {
  const database: TestDatabase = await createTestDatabase(serverUrl, 'kakunin_limits');
  const a: PgStore = await openPgStore(database.url, { max: 4 });
  const b: PgStore = await openPgStore(database.url, { max: 4 });
  return {
    a,
    b,
    async close() {
      await a.close();
      await b.close();
      expect(await database.drop()).toBe(true);
    },
  };
}

const KINDS: { kind: string; open: () => Promise<Nodes> }[] = [{ kind: 'sqlite', open: sqliteNodes }];
if (url) KINDS.push({ kind: 'pg', open: () => pgNodes(url) });

describe.each(KINDS)('rate limits shared by two handles of one database ($kind)', ({ open }) => {
  let nodes: Nodes;
  let now = 1_000_000;
  const clock = () => now;

  beforeAll(async () => {
    nodes = await open();
  });
  afterAll(async () => {
    await nodes.close();
  });

  it('counts sign-ups of one address on either node: the 4th of 3 allowed is refused wherever it lands', async () => {
    const options = { now: clock, signUpsPerAddress: 3, passwords: { hash: async (p: string) => p, verify: async () => false } };
    const onA = new AuthLimits({ ...options, state: new StoreLimitState(nodes.a) });
    const onB = new AuthLimits({ ...options, state: new StoreLimitState(nodes.b) });
    const outcomes = [];
    for (const limits of [onA, onB, onA, onB, onA]) outcomes.push(await limits.reserveSignUp('198.51.100.7'));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, true, false, false]);
    expect(outcomes[3]).toEqual({ ok: false, reason: 'address', retryAfterMs: 3_600_000 });
    // an attempt given back on one node frees the slot for the other
    const first = outcomes[0]!;
    if (first.ok) await first.release();
    expect((await onB.reserveSignUp('198.51.100.7')).ok).toBe(true);
    expect((await onA.reserveSignUp('198.51.100.8')).ok).toBe(true); // another address is apart
  });

  it('lets exactly `limit` of 24 parallel attempts through, spread over both nodes', async () => {
    const limiters = [nodes.a, nodes.b].map((store) => new RateLimiter(5, 60_000, { name: 'parallel', state: new StoreLimitState(store), now: clock }));
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => limiters[i % 2]!.hit('learner-1')));
    expect(results.filter(Boolean)).toHaveLength(5);
  });

  it('keeps a sliding window: nothing extra at the edge of a minute', async () => {
    const [a, b] = [nodes.a, nodes.b].map((store) => new RateLimiter(2, 60_000, { name: 'sliding', state: new StoreLimitState(store), now: clock }));
    const start = now;
    expect(await a!.hit('k')).toBe(true);
    now = start + 59_000;
    expect([await b!.hit('k'), await a!.hit('k')]).toEqual([true, false]);
    now = start + 60_000; // the first attempt left the window, the second has not
    expect([await b!.hit('k'), await a!.hit('k')]).toEqual([true, false]);
  });

  it('makes an account wait on node B after failures on node A', async () => {
    const policy = { free: 3, baseMs: 1_000, maxMs: 60_000, forgetMs: 3_600_000 };
    const onA = new Backoff(policy, { name: 'account', state: new StoreLimitState(nodes.a), now: clock });
    const onB = new Backoff(policy, { name: 'account', state: new StoreLimitState(nodes.b), now: clock });
    for (let i = 0; i < 3; i++) {
      const r = await onA.reserve('c@example.jp');
      expect(r.ok).toBe(true);
      if (r.ok) await r.settle.fail();
    }
    // the 3rd failure starts a 1 s wait, seen by the other node
    expect(await onB.reserve('c@example.jp')).toEqual({ ok: false, retryAfterMs: 1_000 });
    expect(await onB.failures('c@example.jp')).toBe(3);
    now += 1_000;
    const owner = await onB.reserve('c@example.jp');
    expect(owner.ok).toBe(true);
    if (owner.ok) await owner.settle.succeed();
    expect(await onA.failures('c@example.jp')).toBe(0);
  });

  it('counts a submission being graded on one node against the limit-hit budget on the other', async () => {
    const [a, b] = [nodes.a, nodes.b].map((store) => new LimitBudget(2, 60_000, { name: 'budget', state: new StoreLimitState(store), now: clock }));
    const first = await a!.begin('learner-2');
    const second = await b!.begin('learner-2');
    expect([first, second]).toEqual([now, now]);
    expect(await a!.begin('learner-2')).toBeNull();
    await b!.end('learner-2', second!, true); // hit a limit: it stays counted
    await a!.end('learner-2', first!, false); // ended normally: it is given back
    expect(await b!.used('learner-2')).toBe(1);
  });

  it('forgets expired rows when pruned', async () => {
    const state = new StoreLimitState(nodes.a);
    const limiter = new RateLimiter(1, 1_000, { name: 'prune', state, now: clock });
    for (const key of ['p1', 'p2', 'p3']) expect(await limiter.hit(key)).toBe(true);
    const keys = async () => {
      const rows = await nodes.b.db.select().from(nodes.b.tables.limitState);
      return rows.map((r) => r.key).filter((k) => k.startsWith('prune:')).sort();
    };
    expect(await keys()).toEqual(['prune:p1', 'prune:p2', 'prune:p3']);
    await state.prune(now + 999);
    expect(await keys()).toHaveLength(3); // not yet expired
    await state.prune(now + 1_000);
    expect(await keys()).toEqual([]);
  });
});
