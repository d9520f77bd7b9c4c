import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_EXIT_CODE } from '../../db/errors';
import { root } from '../../server/cli/build-state.mjs';
import { createTestDatabase, pgTestUrl, type TestDatabase } from './pg-test-url';

/*
 * Issue 16: `npm run bank -- sync` mirrors the bank into the app's database, which is PostgreSQL when
 * KAKUNIN_DATABASE_URL is set (it used to open the SQLite file whatever the URL said).
 */

const url = pgTestUrl('tests/db/bank-sync-pg.test.ts');
const fixtures = path.resolve(__dirname, '..', 'fixtures', 'questions');

function bankSync(env: Record<string, string>) {
  return spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'server', 'bank', 'cli.ts'), 'sync'], {
    cwd: root,
    env: { ...process.env, KAKUNIN_QUESTIONS: fixtures, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe.skipIf(!url)('bank sync on PostgreSQL', () => {
  let database: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase(url!, 'kakunin_b');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await database?.drop();
  });

  const rows = async () =>
    (await client.query<{ id: string; chapter: string; kind: string; retired: boolean }>('SELECT id, chapter, kind, retired FROM questions ORDER BY id')).rows;

  it('migrates the empty database, mirrors the fixture bank into it, and retires a question no longer in the bank', async () => {
    const first = bankSync({ KAKUNIN_DATABASE_URL: database.url });
    expect({ status: first.status, stdout: first.stdout.trim(), stderr: first.stderr }).toEqual({ status: 0, stdout: '同期しました: 3 問、廃止 0 問', stderr: '' });
    expect(await rows()).toEqual([
      { id: 'e2e-a-choice', chapter: 'rnn', kind: 'choice', retired: false },
      { id: 'e2e-b-numeric', chapter: 'rnn', kind: 'numeric', retired: false },
      { id: 'e2e-c-text', chapter: 'lstm', kind: 'text', retired: false },
    ]);

    await client.query(
      "INSERT INTO questions (id, chapter, kind, source, content_hash, retired, synced_at) SELECT 'gone', chapter, kind, source, content_hash, false, synced_at FROM questions WHERE id = 'e2e-a-choice'",
    );
    const second = bankSync({ KAKUNIN_DATABASE_URL: database.url });
    expect({ status: second.status, stdout: second.stdout.trim() }).toEqual({ status: 0, stdout: '同期しました: 3 問、廃止 1 問' });
    expect((await rows()).map((r) => [r.id, r.retired])).toEqual([
      ['e2e-a-choice', false],
      ['e2e-b-numeric', false],
      ['e2e-c-text', false],
      ['gone', true],
    ]);
  });
});

describe('bank sync with KAKUNIN_DATABASE_URL on a server that is not there', () => {
  it('exits 78 with the one line of npm start, not a stack trace', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = bankSync({ KAKUNIN_DATABASE_URL: `postgres://kakunin:s3cret@127.0.0.1:${port}/kakunin` });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({
      status: DATABASE_EXIT_CODE,
      stderr: `PostgreSQL サーバー postgres://kakunin@127.0.0.1:${port}/kakunin に接続できません（ECONNREFUSED）。サーバーが起動しているか、環境変数 KAKUNIN_DATABASE_URL のホスト名とポートを確かめてください。`,
    });
  });
});
