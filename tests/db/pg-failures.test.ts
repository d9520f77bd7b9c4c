import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { TRPCError } from '@trpc/server';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { asDatabaseOpenError, DATABASE_EXIT_CODE, isStorageFailure, pgFailureOf, STORAGE_FAILED_MESSAGE, storageFailureCause } from '../../db/errors';
import { openPgStore, type PgStore } from '../../db/store-pg';
import { buildBank } from '../../server/bank/bank';
import { syncBank } from '../../server/bank/sync';
import { root, serverBundle } from '../../server/cli/build-state.mjs';
import { createContext, createContextInner } from '../../server/context';
import { createApiHandler } from '../../server/http/api';
import { appRouter, createCaller } from '../../server/root';
import { createTestDatabase, pgTestUrl, type TestDatabase } from './pg-test-url';

/*
 * Issue 16: PostgreSQL's failures get SQLite's handling (db/errors.ts). At start, one Japanese line naming the server
 * (never its password) and exit 78; during requests, a 503 with the stored-failure message, and the server process
 * lives on while PostgreSQL is away and works again when it is back. The errors are real ones from node-postgres.
 */

const url = pgTestUrl('tests/db/pg-failures.test.ts');
const bank = buildBank(path.resolve(__dirname, '..', 'fixtures', 'questions'));

/** What a promise rejected with (fails the test if it resolved). */
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (error: Error & { code?: string }) => error,
  );
}

/** A local port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const unreachable = (server: string, code: string) =>
  `PostgreSQL サーバー ${server} に接続できません（${code}）。サーバーが起動しているか、環境変数 KAKUNIN_DATABASE_URL のホスト名とポートを確かめてください。`;

describe('PostgreSQL failures as storage failures (real node-postgres errors)', () => {
  it('a server that is not there: ECONNREFUSED, also through drizzle and the pool, with the line for the operator', async () => {
    const port = await closedPort();
    const client = new pg.Client({ connectionString: `postgres://kakunin@127.0.0.1:${port}/kakunin` });
    const refused = await rejection(client.connect());
    expect(refused.code).toBe('ECONNREFUSED');
    expect(isStorageFailure(refused)).toBe(true);
    expect(pgFailureOf(refused)).toBe('unreachable');
    expect(asDatabaseOpenError(refused, `postgres://kakunin@127.0.0.1:${port}/kakunin`)?.message).toBe(
      unreachable(`postgres://kakunin@127.0.0.1:${port}/kakunin`, 'ECONNREFUSED'),
    );

    // opening a store migrates first: the same error, and no pool left open
    const opening = await rejection(openPgStore(`postgres://kakunin@127.0.0.1:${port}/kakunin`));
    expect(storageFailureCause(opening)?.message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('a pool that cannot connect in time (a server that accepts and never answers)', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const pool = new pg.Pool({ connectionString: `postgres://kakunin@127.0.0.1:${port}/kakunin`, connectionTimeoutMillis: 200 });
    try {
      const timedOut = await rejection(pool.query('SELECT 1'));
      expect(timedOut.message).toMatch(/^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)$/);
      expect(pgFailureOf(timedOut)).toBe('unreachable');
    } finally {
      await pool.end();
      silent.close();
    }
  });

  it('constructed server errors map by SQLSTATE; a query’s own error is not a storage failure', () => {
    const serverError = (code: string, severity = 'FATAL') => Object.assign(new pg.DatabaseError('x', 1, 'error'), { code, severity });
    const kinds = ['28P01', '28000', '3D000', '53100', '53200', '53300', '25006', '57P01', '57P02', '57P03', '58030', '08006', '40P01', '40001', '55P03'].map((code) => [
      code,
      pgFailureOf(serverError(code)),
    ]);
    expect(kinds).toEqual([
      ['28P01', 'login'],
      ['28000', 'login'],
      ['3D000', 'no-database'],
      ['53100', 'disk-full'],
      ['53200', 'resources'],
      ['53300', 'resources'],
      ['25006', 'read-only'],
      ['57P01', 'shutdown'],
      ['57P02', 'shutdown'],
      ['57P03', 'shutdown'],
      ['58030', 'io'],
      ['08006', 'unreachable'],
      ['40P01', 'busy'],
      ['40001', 'busy'],
      ['55P03', 'busy'],
    ]);
    for (const code of ['23505', '42601', '23503', '22P02']) expect(isStorageFailure(serverError(code, 'ERROR'))).toBe(false);
    expect(isStorageFailure(new Error('something else'))).toBe(false);
    expect(asDatabaseOpenError(serverError('23505', 'ERROR'), 'postgres://x@h/db')).toBeUndefined();
    expect(asDatabaseOpenError(serverError('28P01'), 'postgres://kakunin@db.example:5432/kakunin')?.message).toBe(
      'PostgreSQL サーバー postgres://kakunin@db.example:5432/kakunin にログインできません（28P01）。環境変数 KAKUNIN_DATABASE_URL のユーザー名とパスワード、サーバーの pg_hba.conf を確かめてください。',
    );
  });
});

describe.skipIf(!url)('PostgreSQL failures from the test server', () => {
  const clients: pg.Client[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.allSettled(clients.splice(0).map((c) => c.end()));
  });

  const connect = async (target: string) => {
    const client = new pg.Client({ connectionString: target });
    clients.push(client);
    await client.connect();
    return client;
  };
  const withDatabase = (name: string) => {
    const target = new URL(url!);
    target.pathname = `/${name}`;
    return target.toString();
  };

  it('a database that does not exist (3D000) and a role that does not exist (28000)', async () => {
    const missing = await rejection(connect(withDatabase('kakunin_no_such_database')));
    expect(missing.code).toBe('3D000');
    const server = withDatabase('kakunin_no_such_database');
    expect(asDatabaseOpenError(missing, server)?.message).toBe(
      `PostgreSQL サーバー ${server} にそのデータベースがありません（3D000）。createdb で作るか、環境変数 KAKUNIN_DATABASE_URL のデータベース名を確かめてください。`,
    );
    const noRole = new URL(url!);
    noRole.username = 'kakunin_no_such_role';
    const role = await rejection(connect(noRole.toString()));
    expect(role.code).toBe('28000');
    expect(pgFailureOf(role)).toBe('login');
  });

  it('a read-only transaction (25006), a role over its connection limit (53300), a terminated backend (57P01)', async () => {
    const admin = await connect(url!);
    await admin.query('SET default_transaction_read_only = on');
    const readOnly = await rejection(admin.query('CREATE TEMP TABLE t (x int)'));
    expect([readOnly.code, pgFailureOf(readOnly)]).toEqual(['25006', 'read-only']);
    await admin.query('SET default_transaction_read_only = off');

    const role = `kakunin_limited_${process.pid}`;
    await admin.query(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 0`);
    try {
      const limited = new URL(url!);
      limited.username = role;
      const tooMany = await rejection(connect(limited.toString()));
      expect([tooMany.code, pgFailureOf(tooMany)]).toEqual(['53300', 'resources']);
    } finally {
      await admin.query(`DROP ROLE ${role}`);
    }

    const victim = await connect(url!);
    victim.on('error', () => undefined); // the end of its connection, after the query's error
    const pid = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const sleeping = rejection(victim.query('SELECT pg_sleep(30)'));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const terminated = await sleeping;
    expect([terminated.code, pgFailureOf(terminated)]).toEqual(['57P01', 'shutdown']);
    const after = await rejection(victim.query('SELECT 1'));
    expect(isStorageFailure(after)).toBe(true);
  });
});

/**
 * A TCP proxy in front of the test server: the store connects through it, and stop() makes the server go away as a
 * stopped server does (every connection cut, new ones refused) until start() again on the same port.
 */
class Proxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(
    private readonly host: string,
    private readonly upstreamPort: number,
  ) {}

  async start(): Promise<void> {
    const server = net.createServer((socket) => {
      const upstream = net.connect(this.upstreamPort, this.host);
      for (const s of [socket, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      socket.pipe(upstream).pipe(socket);
      socket.on('close', () => upstream.destroy());
      upstream.on('close', () => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server!;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

/** Resolves once `condition` holds, checked every 10 ms (a wait for an event, not a timing assertion). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.skipIf(!url)('the app while its PostgreSQL server goes away and comes back', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  let proxy: Proxy;
  let store: PgStore;

  beforeAll(async () => {
    database = await createTestDatabase(url!, 'kakunin_f');
    const direct = new URL(database.url);
    proxy = new Proxy(direct.hostname, Number(direct.port || 5432));
    await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    store = await openPgStore(viaProxy.toString(), { max: 4, connectionTimeoutMillis: 5_000 });
    await syncBank(store, bank);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await store?.close();
    await admin?.end();
    await database?.drop();
  });

  afterEach(() => vi.restoreAllMocks());

  const killConnections = () =>
    admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const answerCount = async () => Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM answers')).rows[0]!.n);

  it('connections killed on the server, then the server unreachable: an answer is a 503, and it is stored once the server is back', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const api = createCaller(await createContextInner({ store, bank }));
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    expect(store.pool.idleCount).toBeGreaterThan(0);

    // Every server-side connection ended: the idle clients' 'error' events go to the pool's listener (no crash)
    const killed = await killConnections();
    expect(killed.rowCount).toBeGreaterThan(0);
    await until(() => store.pool.totalCount === 0);
    const lost = logged.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith('PostgreSQL: a pooled connection was lost'));
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((line) => !line.includes('password'))).toBe(true);

    // … and the server stays away: the write is refused as not stored, with the learner's message
    await proxy.stop();
    const refused = await rejection(api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1000 }));
    expect(refused).toBeInstanceOf(TRPCError);
    expect([(refused as TRPCError).code, refused.message, ((refused as TRPCError).cause as { code?: string }).code]).toEqual([
      'SERVICE_UNAVAILABLE',
      STORAGE_FAILED_MESSAGE,
      'ECONNREFUSED',
    ]);
    expect(logged.mock.calls.some((call) => call[0] === 'sessions.answer: not stored:')).toBe(true);
    expect(await answerCount()).toBe(0);

    // The server is back: the same answer goes through on new connections
    await proxy.start();
    const answered = await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 1000 });
    expect(answered.result).toMatchObject({ verdict: 'correct', score: 1 });
    expect(await answerCount()).toBe(1);
  });

  it('over HTTP (the API’s node:http entry): 503 「保存できませんでした…」 while the server is away, for a query and an answer, and 200 once it is back', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const handler = createApiHandler({
      router: appRouter,
      endpoint: '/api/trpc',
      createContext: (info) => createContext(info, { store, bank, grade: async () => ({ ok: false, error: 'no grading here' }) as never }),
      onInternalError: (p, error) => logged(`internal ${p}`, error),
    });
    const http = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(http.address() as net.AddressInfo).port}/api/trpc`;
    const answer = (sessionId: number) =>
      fetch(`${base}/sessions.answer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.3' }, timeSpentMs: 1000 }),
      });
    try {
      const started = await fetch(`${base}/sessions.start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chapters: ['rnn'], count: 2, order: 'course' }),
      });
      expect(started.status).toBe(200);
      const { sessionId } = ((await started.json()) as { result: { data: { sessionId: number } } }).result.data;

      await killConnections();
      await proxy.stop();
      await until(() => store.pool.totalCount === 0);
      for (const res of [await fetch(`${base}/auth.me`), await answer(sessionId)]) {
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ error: { message: STORAGE_FAILED_MESSAGE, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503 } } });
      }
      expect(logged.mock.calls.some((call) => String(call[0]).startsWith('internal'))).toBe(false);
      // both requests failed making their context (its first read); the operator's log has the driver's error, not
      // drizzle's wrapper that lists the query's parameters
      expect(logged.mock.calls.filter((call) => call[0] === 'context: storage failure:').map((call) => (call[1] as Error).message)).toEqual([
        `connect ECONNREFUSED 127.0.0.1:${proxy.port}`,
        `connect ECONNREFUSED 127.0.0.1:${proxy.port}`,
      ]);

      await proxy.start();
      expect((await fetch(`${base}/auth.me`)).status).toBe(200);
      const stored = await answer(sessionId);
      expect(stored.status).toBe(200);
      expect(((await stored.json()) as { result: { data: { result: { verdict: string } } } }).result.data.result.verdict).toBe('incorrect');
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it('a connection killed inside a group commit (checked out, between statements): every caller of the group is refused, nothing stored, the next group works', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await store.rows(sql`CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)`);
    await store.rows(sql`TRUNCATE notes`);
    const insert = (body: string) => (tx: Parameters<Parameters<PgStore['grouped']>[0]>[0]) => tx.rows(sql`INSERT INTO notes (body) VALUES (${body})`);
    const results = await Promise.allSettled([
      store.grouped(insert('before')),
      store.grouped(async (tx) => {
        const pid = (await tx.rows<{ pid: number }>(sql`SELECT pg_backend_pid() AS pid`))[0]!.pid;
        await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        // the client's 'error' event comes while it is checked out: only the store's listener hears it
        await until(() => logged.mock.calls.some((call) => String(call[0]).startsWith('PostgreSQL: a pooled connection was lost')));
        return tx.rows(sql`INSERT INTO notes (body) VALUES ('after')`);
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect(isStorageFailure((r as PromiseRejectedResult).reason)).toBe(true);
    expect((await store.rows<{ body: string }>(sql`SELECT body FROM notes`)).map((r) => r.body)).toEqual([]);
    await store.grouped(insert('next'));
    expect((await store.rows<{ body: string }>(sql`SELECT body FROM notes`)).map((r) => r.body)).toEqual(['next']);
  });
});

describe('npm start with KAKUNIN_DATABASE_URL on a server that is not there', () => {
  // `npm start` runs prepare.ts (migrations, bank sync) and then the bundled server; each must refuse in one line.
  const commands: [string, string, string[]][] = [
    ['npm start’s prepare step', path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'server', 'cli', 'prepare.ts')]],
    ['the server', process.execPath, [serverBundle, '--port', '0', '--host', '127.0.0.1']],
  ];
  it.each(commands)('%s exits with one line naming the server without its password, and code 78', async (_name, command, args) => {
    const port = await closedPort();
    const run = spawnSync(command, args, {
      cwd: root,
      env: { ...process.env, KAKUNIN_DATABASE_URL: `postgres://kakunin:s3cret@127.0.0.1:${port}/kakunin?password=s3cret`, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({
      status: DATABASE_EXIT_CODE,
      stderr: unreachable(`postgres://kakunin@127.0.0.1:${port}/kakunin`, 'ECONNREFUSED'),
    });
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/s3cret|\n\s+at /);
  });

  it.skipIf(!url)('prepare on a database that does not exist says to create it', () => {
    const target = new URL(url!);
    target.pathname = '/kakunin_not_created';
    const run = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'server', 'cli', 'prepare.ts')], {
      cwd: root,
      env: { ...process.env, KAKUNIN_DATABASE_URL: target.toString() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({
      status: DATABASE_EXIT_CODE,
      stderr: `PostgreSQL サーバー ${target.toString()} にそのデータベースがありません（3D000）。createdb で作るか、環境変数 KAKUNIN_DATABASE_URL のデータベース名を確かめてください。`,
    });
  });
});
