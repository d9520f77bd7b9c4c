import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDb, openDb } from '../../../db/client';
import { asDatabaseOpenError, DATABASE_EXIT_CODE, DatabaseOpenError } from '../../../db/errors';
import { root, serverBundle } from '../../../server/cli/build-state.mjs';

/*
 * Issue 15: a read-only database made `npm start` exit with SQLite's raw stack trace. It must end with one line that
 * says which path and what to do.
 *
 * Making a folder read-only: tests run as root here, where chmod does not stop writes, so the folder is bind-mounted
 * read-only onto itself (the kernel then refuses every write with EROFS, as on a read-only volume). Without root,
 * chmod does the same job.
 */

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

const isRoot = process.getuid?.() === 0;

/** A temporary folder, optionally with a migrated database in it, then made read-only. */
function readOnlyFolder(withDatabase: boolean): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-ro-'));
  const file = path.join(dir, 'kakunin.db');
  if (withDatabase) {
    const db = openDb(file);
    migrateDb(db);
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    db.$client.close();
  }
  if (isRoot) {
    execFileSync('mount', ['--bind', dir, dir]);
    execFileSync('mount', ['-o', 'remount,ro,bind', dir]);
    cleanups.push(() => {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    });
  } else {
    chmodSync(dir, 0o555);
    if (withDatabase) chmodSync(file, 0o444);
    cleanups.push(() => {
      chmodSync(dir, 0o755);
      rmSync(dir, { recursive: true, force: true });
    });
  }
  return { dir, file };
}

const readOnlyMessage = (file: string) =>
  `データベース ${file} に書き込めません（読み取り専用か、権限がありません）。ファイルとフォルダーの書き込み権限を確かめるか、書き込める場所を環境変数 KAKUNIN_DB で指定してください。`;

describe('a database that cannot be written, at start', () => {
  it('openDb says which file and what to do, for a new file in a read-only folder and for an existing one', () => {
    for (const withDatabase of [false, true]) {
      const { file } = readOnlyFolder(withDatabase);
      const error = (() => {
        try {
          migrateDb(openDb(file));
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(DatabaseOpenError);
      expect((error as DatabaseOpenError).message).toBe(readOnlyMessage(file));
    }
  });

  it('a database that opens but refuses writes (a read-only file already in WAL mode) gets the same line', () => {
    const error = asDatabaseOpenError(new Database.SqliteError('attempt to write a readonly database', 'SQLITE_READONLY_DBMOVED'), '/srv/kakunin.db');
    expect(error?.message).toBe(readOnlyMessage('/srv/kakunin.db'));
    expect(asDatabaseOpenError(new Database.SqliteError('UNIQUE constraint failed', 'SQLITE_CONSTRAINT_UNIQUE'), '/srv/kakunin.db')).toBeUndefined();
    expect(asDatabaseOpenError(new Database.SqliteError('database or disk is full', 'SQLITE_FULL'), '/srv/kakunin.db')?.message).toBe(
      'データベース /srv/kakunin.db に書き込めません（ディスクに空きがありません）。空きを作るか、空きのある場所を環境変数 KAKUNIN_DB で指定してください。',
    );
  });

  // `npm start` runs prepare.ts (migrations, bank sync) and then the bundled server; each must refuse in one line.
  const commands: [string, string, string[]][] = [
    ['npm start’s prepare step', path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'server', 'cli', 'prepare.ts')]],
    ['the server', process.execPath, [serverBundle, '--port', '0', '--host', '127.0.0.1']],
  ];
  it.each(commands)('%s exits with one line and code 78, no stack trace', (_name, command, args) => {
    for (const withDatabase of [false, true]) {
      const { file } = readOnlyFolder(withDatabase);
      const run = spawnSync(command, args, {
        cwd: root,
        env: { ...process.env, KAKUNIN_DB: file, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({ status: DATABASE_EXIT_CODE, stderr: readOnlyMessage(file) });
      expect(run.stdout).not.toMatch(/SqliteError|\n\s+at /);
    }
  });
});
