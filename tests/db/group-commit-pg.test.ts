import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isStorageFailure, STORAGE_FAILED_MESSAGE } from '../../db/errors';
import type { Store } from '../../db/store';
import { openPgStore, type PgStore } from '../../db/store-pg';
import { buildBank } from '../../server/bank/bank';
import { syncBank } from '../../server/bank/sync';
import { createContextInner } from '../../server/context';
import { createCaller } from '../../server/root';
import { createTestDatabase, pgTestUrl, type TestDatabase } from './pg-test-url';

/*
 * Issue 16: on PostgreSQL two group commits (db/group-commit.ts) can be open at once, each on a pooled client of its own
 * (the next turn's group does not wait for the one before to commit). These tests show what that means when the two
 * groups touch the same rows: the second waits for the first's row locks, and a conflict (a unique answer, a deadlock)
 * rejects only the caller whose write hit it; the other callers of both groups are committed.
 */

const url = pgTestUrl('tests/db/group-commit-pg.test.ts');
const bank = buildBank(path.resolve(__dirname, '..', 'fixtures', 'questions'));

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Resolves once `condition` holds, checked every 10 ms (a wait for an event, not a timing assertion). */
async function until(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.skipIf(!url)('group commits that overlap on PostgreSQL', () => {
  let database: TestDatabase;
  let store: PgStore;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase(url!, 'kakunin_g');
    store = await openPgStore(database.url, { max: 4 });
    await syncBank(store, bank);
    await store.rows(sql`CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)`);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await store?.close();
    await database?.drop();
  });

  afterEach(() => vi.restoreAllMocks());

  /** Whether a backend of the test database waits for a row or index lock (the second group, blocked by the first). */
  const someoneWaitsForALock = async () =>
    (await admin.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rowCount! > 0;

  /** The transaction statements the pool's clients send, in order. */
  function watchTransactions(): string[] {
    const seen: string[] = [];
    const query = pg.Client.prototype.query;
    vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      if (args[0] === 'BEGIN' || args[0] === 'COMMIT' || args[0] === 'ROLLBACK') seen.push(args[0]);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
    return seen;
  }

  async function newSession() {
    const api = createCaller(await createContextInner({ store, bank }));
    const { sessionId } = await api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'course' });
    const [row] = await store.db.select().from(store.tables.practiceSessions).where(eq(store.tables.practiceSessions.id, sessionId));
    return { api, sessionId, learnerId: row!.learnerId };
  }

  /** A plain INSERT of an answer (no ON CONFLICT): a second one of the same (session, question) hits answers_session_question_uq. */
  const insertAnswer = (sessionId: number, learnerId: number, questionId: string) => (tx: Store) =>
    tx.db
      .insert(tx.tables.answers)
      .values({ sessionId, learnerId, questionId, questionHash: 'h', position: 0, response: {}, verdict: 'correct', score: 1, timeSpentMs: 1 })
      .returning({ id: tx.tables.answers.id })
      .then((rows) => rows[0]!.id);

  const answered = async (sessionId: number) =>
    (await admin.query<{ q: string }>('SELECT question_id AS q FROM answers WHERE session_id = $1 ORDER BY question_id', [sessionId])).rows.map((r) => r.q);

  it('the same (session, question) in two open groups: the second waits, then only its caller gets the unique violation', async () => {
    const { sessionId, learnerId } = await newSession();
    const transactions = watchTransactions();
    const inserted = gate();
    const release = gate();
    const first = [
      store.grouped(async (tx) => {
        const id = await insertAnswer(sessionId, learnerId, 'e2e-a-choice')(tx);
        inserted.open();
        await release.opened;
        return id;
      }),
      store.grouped(insertAnswer(sessionId, learnerId, 'e2e-c-text')),
    ];
    await inserted.opened;
    // the next turn's group, while the first is still open
    const second = [store.grouped(insertAnswer(sessionId, learnerId, 'e2e-a-choice')), store.grouped(insertAnswer(sessionId, learnerId, 'e2e-b-numeric'))];
    await until(someoneWaitsForALock);
    expect(transactions).toEqual(['BEGIN', 'BEGIN']); // two groups open at once, on two clients
    release.open();
    const results = await Promise.allSettled([...first, ...second]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const lost = (results[2] as PromiseRejectedResult).reason as { cause?: { code?: string; constraint?: string } };
    expect([lost.cause?.code, lost.cause?.constraint]).toEqual(['23505', 'answers_session_question_uq']);
    expect(isStorageFailure(lost)).toBe(false);
    expect(transactions).toEqual(['BEGIN', 'BEGIN', 'COMMIT', 'COMMIT']);
    expect(await answered(sessionId)).toEqual(['e2e-a-choice', 'e2e-b-numeric', 'e2e-c-text']);
  });

  it('through the answer service: the answer that lost is refused as already answered, its group’s other answer is stored', async () => {
    const { api, sessionId, learnerId } = await newSession();
    const inserted = gate();
    const release = gate();
    const first = store.grouped(async (tx) => {
      await insertAnswer(sessionId, learnerId, 'e2e-a-choice')(tx);
      inserted.open();
      await release.opened;
    });
    await inserted.opened;
    const second = [
      api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1000 }),
      api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.5' }, timeSpentMs: 1000 }),
    ];
    await until(someoneWaitsForALock);
    release.open();
    const [firstResult, refused, stored] = await Promise.allSettled([first, ...second]);
    expect([firstResult!.status, refused!.status, stored!.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (refused as PromiseRejectedResult).reason as TRPCError;
    expect([reason.code, reason.message]).toEqual(['CONFLICT', 'この問題にはすでに回答しています。']);
    expect(await answered(sessionId)).toEqual(['e2e-a-choice', 'e2e-b-numeric']);
  });

  it('two open groups locking two rows in opposite orders: PostgreSQL breaks the deadlock by refusing one write, as a 503; the other three are stored', async () => {
    await store.rows(sql`TRUNCATE counters`);
    await store.rows(sql`INSERT INTO counters VALUES (1, 0), (2, 0)`);
    const bump = (id: number) => (tx: Store) => tx.rows(sql`UPDATE counters SET n = n + 1 WHERE id = ${id}`);
    const locked = gate();
    const release = gate();
    const first = [
      store.grouped(async (tx) => {
        await bump(1)(tx);
        locked.open();
        await release.opened;
      }),
      store.grouped(bump(2)), // waits for the second group's lock on row 2 …
    ];
    await locked.opened;
    const second = [store.grouped(bump(2)), store.grouped(bump(1))]; // … which waits for the first group's lock on row 1
    await until(someoneWaitsForALock);
    release.open();
    const results = await Promise.allSettled([...first, ...second]);

    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { cause?: { code?: string } }] : []));
    expect(rejected.map((e) => e.cause?.code)).toEqual(['40P01']);
    expect(isStorageFailure(rejected[0])).toBe(true);
    const counters = (await admin.query<{ n: number }>('SELECT n FROM counters ORDER BY id')).rows.map((r) => r.n);
    expect(counters[0]! + counters[1]!).toBe(3);

    // and a learner whose answer lost a deadlock is told to try again (503), not that the server failed (500)
    const { api, sessionId } = await newSession();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const deadlocked = Object.assign(new pg.DatabaseError('deadlock detected', 1, 'error'), { code: '40P01', severity: 'ERROR' });
    const grouped = store.grouped.bind(store);
    vi.spyOn(store, 'grouped').mockImplementationOnce((work) => grouped(async (tx) => (await work(tx), Promise.reject(deadlocked))));
    const answer = await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1 }).catch((e: unknown) => e);
    expect([(answer as TRPCError).code, (answer as TRPCError).message]).toEqual(['SERVICE_UNAVAILABLE', STORAGE_FAILED_MESSAGE]);
  });

  it('with groups one at a time (groupsOneAtATime, for comparison) the second group begins after the first commits: no deadlock', async () => {
    const serial = await openPgStore(database.url, { max: 4, groupsOneAtATime: true });
    try {
      await serial.rows(sql`TRUNCATE counters`);
      await serial.rows(sql`INSERT INTO counters VALUES (1, 0), (2, 0)`);
      const transactions = watchTransactions();
      const bump = (id: number) => (tx: Store) => tx.rows(sql`UPDATE counters SET n = n + 1 WHERE id = ${id}`);
      const locked = gate();
      const release = gate();
      const first = [
        serial.grouped(async (tx) => {
          await bump(1)(tx);
          locked.open();
          await release.opened;
        }),
        serial.grouped(bump(2)),
      ];
      await locked.opened;
      const second = [serial.grouped(bump(2)), serial.grouped(bump(1))];
      await new Promise((resolve) => setImmediate(resolve));
      expect(transactions).toEqual(['BEGIN']);
      release.open();
      const results = await Promise.allSettled([...first, ...second]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(transactions).toEqual(['BEGIN', 'COMMIT', 'BEGIN', 'COMMIT']);
      expect((await admin.query<{ n: number }>('SELECT n FROM counters ORDER BY id')).rows.map((r) => r.n)).toEqual([2, 2]);
    } finally {
      await serial.close();
    }
  });
});
