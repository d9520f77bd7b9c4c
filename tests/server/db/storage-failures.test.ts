import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { migrateDb, openDb, type Db } from '../../../db/client';
import { sqliteStore } from '../../../db/store-sqlite';
import { STORAGE_FAILED_MESSAGE } from '../../../db/errors';
import * as schema from '../../../db/schema';
import { answers, learners, practiceSessions } from '../../../db/schema';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContext, createContextInner } from '../../../server/context';
import { createCaller } from '../../../server/root';

/*
 * Issue 15: with the disk full, sessions.start answered 200 with an id 4,356 times for sessions that were never stored
 * (INSERT … RETURNING read with `.get()` outside a transaction drops the autocommit's error). Every write that
 * returns an id must throw instead, and the learner gets one message.
 */

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  while (cleanups.length > 0) cleanups.pop()!();
});

/** Mounting a tmpfs needs root (CAP_SYS_ADMIN); elsewhere the disk-full case is skipped (the read-only one still runs). */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How the database stops storing writes:
 * - disk-full: a 1 MiB tmpfs filled up. A commit then fails when it writes the WAL, after INSERT … RETURNING has
 *   produced its row: the case of the issue (SQLITE_FULL).
 * - read-only: the file reopened read-only; every write fails at once (SQLITE_READONLY). Runs anywhere.
 */
type Failure = 'disk-full' | 'read-only';
const CODE: Record<Failure, string> = { 'disk-full': 'SQLITE_FULL', 'read-only': 'SQLITE_READONLY' };

/** A migrated database with the fixture bank on a file of its own (on a 1 MiB tmpfs for disk-full). */
async function databaseFor(failure: Failure): Promise<Db> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-full-'));
  if (failure === 'disk-full') execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
  const file = path.join(dir, 'kakunin.db');
  const handles: Db[] = [];
  cleanups.push(() => {
    for (const h of handles) h.$client.close();
    if (failure === 'disk-full') execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const db = openDb(file);
  handles.push(db);
  migrateDb(db);
  await syncBank(sqliteStore(db), bank);
  return db;
}

/** From here on, the database stores nothing; returns the handle to keep using. */
function breakStorage(db: Db, failure: Failure): Db {
  const sqlite = db.$client;
  if (failure === 'read-only') {
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const readOnly = drizzle({ client: new Database(sqlite.name, { readonly: true }), schema }) as Db;
    cleanups.push(() => readOnly.$client.close());
    return readOnly;
  }
  // Fill until SQLite answers SQLITE_FULL to the smallest write. No checkpoint: restarting the WAL would reuse its
  // space and let a few more writes in.
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.exec('CREATE TABLE filler (body TEXT NOT NULL)');
  const insert = sqlite.prepare('INSERT INTO filler (body) VALUES (?)');
  for (const size of [16_384, 2_048, 256, 16, 1]) {
    for (let i = 0; i < 10_000; i++) {
      try {
        insert.run('x'.repeat(size));
      } catch (error) {
        expect((error as { code?: string }).code).toBe('SQLITE_FULL');
        break;
      }
    }
  }
  expect(() => insert.run('x')).toThrow(/database or disk is full/);
  return db;
}

const sessionRows = (db: Db) => db.select({ id: practiceSessions.id }).from(practiceSessions).all().map((r) => r.id);

async function expectNotStored(call: Promise<unknown>, code: string): Promise<void> {
  const error = await call.then(
    (value) => ({ returned: value }),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe('SERVICE_UNAVAILABLE');
  expect((error as TRPCError).message).toBe(STORAGE_FAILED_MESSAGE);
  expect(((error as TRPCError).cause as { code?: string }).code).toBe(code);
}

const failures: Failure[] = canMount() ? ['disk-full', 'read-only'] : ['read-only'];

describe.each(failures)('a database that stores nothing (%s): no id for a row that is not there', (failure) => {
  it('every way of starting a session, and answering, throws 「保存できませんでした…」 and stores nothing', async () => {
    const setup = await databaseFor(failure);
    const learnerId = setup.insert(learners).values({ name: '満杯' }).returning({ id: learners.id }).get().id;
    // a session to answer in, started while there was room
    const { sessionId } = await createCaller(await createContextInner({ store: sqliteStore(setup), bank, learnerId })).sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    const db = breakStorage(setup, failure);
    const api = createCaller(await createContextInner({ store: sqliteStore(db), bank, learnerId }));
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);

    const before = sessionRows(db);
    await expectNotStored(api.sessions.start({ chapters: ['rnn', 'lstm'], count: 3, order: 'random' }), CODE[failure]);
    await expectNotStored(api.sessions.startMock({ size: 5 }), CODE[failure]);
    await expectNotStored(api.review.start(), CODE[failure]);
    await expectNotStored(api.progress.startWithQuestions({ questionIds: ['e2e-a-choice', 'e2e-c-text'] }), CODE[failure]);
    expect(sessionRows(db)).toEqual(before);

    // answers go through the group commit: the write or its COMMIT fails, and the answer is neither stored nor acknowledged
    await expectNotStored(api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1000 }), CODE[failure]);
    expect(db.select().from(answers).all()).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
    // the operator gets the cause
    expect(logged.mock.calls.filter(([message]) => String(message).endsWith(': not stored:')).map(([message]) => message)).toEqual([
      'sessions.start: not stored:',
      'sessions.startMock: not stored:',
      'review.start: not stored:',
      'progress.startWithQuestions: not stored:',
      'sessions.answer: not stored:',
    ]);
  });

  it('the local learner is not created, rather than given the id of a row that is not stored', async () => {
    const db = breakStorage(await databaseFor(failure), failure);
    let outcome: unknown;
    try {
      outcome = { learnerId: (await createContext({ header: () => undefined, encrypted: false }, { store: sqliteStore(db), bank })).learnerId };
    } catch (error) {
      outcome = { code: (error as { code?: string }).code };
    }
    expect(outcome).toEqual({ code: CODE[failure] });
    expect(db.select().from(learners).all()).toEqual([]);
  });
});

describe('a commit that fails after INSERT … RETURNING has read the id (any file system)', () => {
  it('throws from every start path and leaves no row', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-commit-fail-'));
    const db = openDb(path.join(dir, 'kakunin.db'));
    cleanups.push(() => {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    });
    migrateDb(db);
    await syncBank(sqliteStore(db), bank);
    const learnerId = db.insert(learners).values({ name: '失敗' }).returning({ id: learners.id }).get().id;
    const api = createCaller(await createContextInner({ store: sqliteStore(db), bank, learnerId }));
    // Every new session also writes a row whose deferred foreign key has no parent: the statement succeeds and
    // returns its row, and the COMMIT fails, as a commit does when the disk is full.
    db.$client.exec(`
      CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE orphan (parent_id INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
      CREATE TRIGGER fail_commit AFTER INSERT ON practice_sessions BEGIN INSERT INTO orphan VALUES (-1); END;
    `);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const starts: [string, () => Promise<unknown>][] = [
      ['sessions.start', () => api.sessions.start({ chapters: ['rnn'], count: 1, order: 'course' })],
      ['sessions.startMock', () => api.sessions.startMock({ size: 5 })],
      ['review.start', () => api.review.start()],
      ['progress.startWithQuestions', () => api.progress.startWithQuestions({ questionIds: ['e2e-b-numeric'] })],
    ];
    for (const [name, start] of starts) {
      const outcome = await start().then(
        (value) => ({ name, returned: value }),
        (e: unknown) => ({ name, code: ((e as TRPCError).cause as { code?: string } | undefined)?.code }),
      );
      expect(outcome).toEqual({ name, code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    }
    expect(sessionRows(db)).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
  });
});
