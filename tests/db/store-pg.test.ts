import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPgStore, type PgStore } from '../../db/store-pg';
import { buildBank } from '../../server/bank/bank';
import { syncBank } from '../../server/bank/sync';
import { createContextInner } from '../../server/context';
import { createCaller } from '../../server/root';
import { createTestDatabase, pgTestUrl, type TestDatabase } from './pg-test-url';

/*
 * Issue 16, step 2 (not yet wired into the app): the PostgreSQL adapter of the store in a database of its own, dropped
 * at the end. Group commit keeps its guarantees on a pooled client, and the services' SQL runs on PostgreSQL.
 */

const url = pgTestUrl('tests/db/store-pg.test.ts');

const bank = buildBank(path.resolve(__dirname, '..', 'fixtures', 'questions'));

describe.skipIf(!url)('PostgreSQL store', () => {
  let database: TestDatabase;
  let store: PgStore;

  beforeAll(async () => {
    database = await createTestDatabase(url!, 'kakunin_s');
    store = await openPgStore(database.url, { max: 4 });
    await store.rows(sql`CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL UNIQUE)`);
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  const insert = (body: string) => async (tx: PgStore | Parameters<Parameters<PgStore['grouped']>[0]>[0]) =>
    (await tx.rows<{ id: number }>(sql`INSERT INTO notes (body) VALUES (${body}) RETURNING id`))[0]!.id;
  const bodies = async () => (await store.rows<{ body: string }>(sql`SELECT body FROM notes ORDER BY id`)).map((r) => r.body);

  it('group commit: one transaction for the writes of one turn, each in a savepoint; a failing write rejects only its caller', async () => {
    await store.rows(sql`TRUNCATE notes RESTART IDENTITY`);
    const queries = vi.spyOn(pg.Client.prototype, 'query');
    const results = await Promise.allSettled([
      store.grouped(insert('x')),
      store.grouped(async (tx) => {
        await insert('half-done')(tx);
        throw new Error('refused after a write');
      }),
      store.grouped(insert('x')), // UNIQUE violation: the transaction is aborted until its savepoint is rolled back
      store.grouped(insert('y')),
    ]);
    const texts = queries.mock.calls.map((c) => c[0]).filter((q): q is string => typeof q === 'string');
    queries.mockRestore();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused after a write');
    expect(texts.filter((t) => t === 'BEGIN' || t === 'COMMIT')).toEqual(['BEGIN', 'COMMIT']);
    expect(texts.filter((t) => t.startsWith('ROLLBACK TO SAVEPOINT'))).toHaveLength(2);
    expect(await bodies()).toEqual(['x', 'y']);
  });

  it('group commit: a failing COMMIT rejects every caller, and the next group works', async () => {
    await store.rows(sql`TRUNCATE notes RESTART IDENTITY`);
    await store.rows(sql`CREATE TABLE IF NOT EXISTS parent (id int PRIMARY KEY)`);
    await store.rows(sql`CREATE TABLE IF NOT EXISTS orphan (p int REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    const results = await Promise.allSettled([
      store.grouped(insert('p')),
      store.grouped(async (tx) => tx.rows(sql`INSERT INTO orphan (p) VALUES (-1)`)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await bodies()).toEqual([]);
    expect(await store.grouped(insert('q'))).toBeGreaterThan(0);
    expect(await bodies()).toEqual(['q']);
  });

  it('a nested transaction is a savepoint; a throw rolls back only its own writes', async () => {
    await store.rows(sql`TRUNCATE notes RESTART IDENTITY`);
    await store.transaction(async (tx) => {
      await insert('outer')(tx);
      await expect(
        tx.transaction(async (inner) => {
          await insert('inner')(inner);
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
    });
    expect(await bodies()).toEqual(['outer']);
  });

  it('runs the services: a practice session answered, scored and listed; progress and review read it back', async () => {
    await syncBank(store, bank);
    const api = createCaller(await createContextInner({ store, bank }));
    const { sessionId } = await api.sessions.start({ chapters: ['lstm', 'rnn'], count: 10, order: 'course' });
    const first = await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 4200 });
    expect(first.result).toMatchObject({ verdict: 'correct', score: 1, rating: 4, timeSpentMs: 4200 });
    // the same answer again is a retry, answered with the first result (tests/server/routers/answer-retry.test.ts); another is refused
    expect(await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1 })).toEqual(first);
    await expect(api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'a' }, timeSpentMs: 1 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.3' }, timeSpentMs: 1000 });
    const finished = await api.sessions.finish({ sessionId });
    expect(finished).toMatchObject({ answeredCount: 2, correctCount: 1, total: 3 });
    expect(finished.score).toBeCloseTo(1 / 3);
    expect(await api.sessions.list({ limit: 5 })).toMatchObject([{ id: sessionId, answeredCount: 2, total: 3 }]);

    const summary = await api.progress.summary();
    expect(summary).toMatchObject({ answers: 2, answeredQuestions: 2, accuracy: 0.5 });
    const overview = await api.progress.overview();
    expect(overview.totals).toMatchObject({ answers: 2, correct: 1, incorrect: 1, firstTryAccuracy: 0.5, latestAccuracy: 0.5 });
    const page = await api.progress.answers({ page: 1, pageSize: 20 });
    expect(page.rows.map((r) => [r.questionId, r.verdict])).toEqual([
      ['e2e-b-numeric', 'incorrect'],
      ['e2e-a-choice', 'correct'],
    ]);
    const catalog = await api.sessions.catalog();
    expect(catalog.filter((e) => e.answered).map((e) => [e.id, e.lastWrong])).toEqual([
      ['e2e-a-choice', false],
      ['e2e-b-numeric', true],
    ]);
    const queue = await api.review.queue();
    expect(queue.newCardsToday).toMatchObject({ introduced: 2 });
  });

  it('runs a mock exam: saved answers are replaced (time adds up, capped by least()), and finishing schedules them', async () => {
    const api = createCaller(await createContextInner({ store, bank }));
    const { sessionId } = await api.sessions.startMock({ size: 5 });
    const view = await api.sessions.get({ sessionId });
    const choice = view.items.find((i) => i.choices && i.choices.length > 0)!;
    const response = { type: 'choice' as const, choice: choice.choices![0]!.id };
    await api.sessions.answer({ sessionId, questionId: choice.questionId, response, timeSpentMs: 1000 });
    await api.sessions.answer({ sessionId, questionId: choice.questionId, response, timeSpentMs: 2000 });
    const ended = await api.sessions.finish({ sessionId });
    expect(ended.items.find((i) => i.questionId === choice.questionId)?.result?.timeSpentMs).toBe(3000);
    expect(ended.exam?.result).not.toBeNull();
  });
});

describe.skipIf(!url)('several app processes starting on a new PostgreSQL database', () => {
  it('migrate one at a time: every one opens, the tables exist once, each migration is recorded once', async () => {
    const database = await createTestDatabase(url!, 'kakunin_m');
    const opened = await Promise.allSettled([1, 2, 3].map(() => openPgStore(database.url, { max: 2 })));
    const stores = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(opened.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
      const applied = await stores[0]!.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`);
      const files = readdirSync(path.resolve(__dirname, '..', '..', 'db', 'migrations-pg')).filter((f) => f.endsWith('.sql'));
      expect(applied[0]!.n).toBe(files.length);
    } finally {
      for (const store of stores) await store.close();
      await database.drop();
    }
  });
});
