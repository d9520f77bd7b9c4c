import Database from 'better-sqlite3';

type SqliteError = InstanceType<typeof Database.SqliteError>;

/*
 * Failures of the database itself, as opposed to a query's own error (a constraint, a bug): the disk is full, the file
 * or its folder cannot be written, an I/O error, a lock held too long by another process; on PostgreSQL also the
 * server out of reach, refusing the login, or shutting down. A write that hits one is not stored; the learner is told
 * so in one message (server/trpc.ts maps them), the operator gets the cause in the log.
 *
 * PostgreSQL's errors are recognised by their shape (node-postgres's DatabaseError has a five-character SQLSTATE
 * `code` and a `severity`; a socket error has an errno `code`; a lost connection only a message), so that a SQLite
 * install never loads pg. drizzle wraps a query's error (DrizzleQueryError): its `cause` chain is followed.
 */

/** SQLite's primary result codes of a write that could not be stored (extended codes, e.g. SQLITE_IOERR_WRITE, included). */
const STORAGE_CODES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'SQLITE_NOMEM'] as const;

export const STORAGE_FAILED_MESSAGE = '保存できませんでした。サーバーがデータベースに書き込めない状態です。時間をおいてもう一度お試しください。';

function primaryCode(code: string): string {
  const extended = STORAGE_CODES.find((c) => code.startsWith(`${c}_`));
  return extended ?? code;
}

function isSqliteStorageFailure(error: unknown): error is SqliteError {
  return error instanceof Database.SqliteError && (STORAGE_CODES as readonly string[]).includes(primaryCode(error.code));
}

/** What went wrong with a PostgreSQL server, for the operator's message. */
export type PgFailure = 'unreachable' | 'login' | 'no-database' | 'disk-full' | 'resources' | 'read-only' | 'shutdown' | 'io' | 'busy';

/** SQLSTATEs of the server failing rather than the query (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const PG_STATES: Record<string, PgFailure> = {
  '28P01': 'login', // invalid_password
  '28000': 'login', // invalid_authorization_specification (no pg_hba.conf entry, unknown role)
  '3D000': 'no-database', // invalid_catalog_name
  '53100': 'disk-full',
  '53200': 'resources', // out_of_memory
  '53300': 'resources', // too_many_connections
  '25006': 'read-only', // read_only_sql_transaction (a standby, default_transaction_read_only)
  '57P01': 'shutdown', // admin_shutdown (also pg_terminate_backend)
  '57P02': 'shutdown', // crash_shutdown
  '57P03': 'shutdown', // cannot_connect_now (starting up, shutting down)
  '58030': 'io', // io_error
  // Another transaction was in the way, as SQLITE_BUSY: nothing of the write is stored, and trying again may succeed.
  '40P01': 'busy', // deadlock_detected (two group commits locking rows in opposite orders: tests/db/group-commit-pg.test.ts)
  '40001': 'busy', // serialization_failure
  '55P03': 'busy', // lock_not_available (lock_timeout)
};

/** Socket errors of connecting to, or talking with, the server. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** node-postgres's errors without a code: a connection that ended, a pool that could not connect in time. */
const LOST_CONNECTION = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/** The error itself and its causes (drizzle's DrizzleQueryError wraps the driver's), innermost last. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

function pgFailureOfOne(error: unknown): PgFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, severity } = error as Error & { code?: unknown; severity?: unknown };
  if (typeof code === 'string' && typeof severity === 'string') {
    // SQLSTATE class 08: connection exceptions
    return PG_STATES[code] ?? (code.startsWith('08') ? 'unreachable' : undefined);
  }
  if (typeof code === 'string') return SOCKET_CODES.has(code) ? 'unreachable' : undefined;
  return LOST_CONNECTION.test(error.message) ? 'unreachable' : undefined;
}

/** The driver's error of a database failure in `error` or its causes, and what kind of failure it is. */
function storageFailureOf(error: unknown): { error: Error & { code?: string }; pg?: PgFailure } | undefined {
  for (const e of causes(error)) {
    if (isSqliteStorageFailure(e)) return { error: e };
    const pg = pgFailureOfOne(e);
    if (pg) return { error: e as Error & { code?: string }, pg };
  }
  return undefined;
}

/** What a PostgreSQL failure in `error` (or its causes) is, if it is one. */
export function pgFailureOf(error: unknown): PgFailure | undefined {
  return storageFailureOf(error)?.pg;
}

/**
 * Whether `error` (or a cause of it) is the database failing to store, rather than a query's own error: SQLite (disk
 * full, read-only, I/O, locked) or PostgreSQL (out of reach, login refused, disk full, read-only, shutting down, I/O).
 */
export function isStorageFailure(error: unknown): boolean {
  return storageFailureOf(error) !== undefined;
}

/** The driver's own error of a storage failure (`cause` of the 503; its `code` is SQLite's result code or the SQLSTATE). */
export function storageFailureCause(error: unknown): Error | undefined {
  return storageFailureOf(error)?.error;
}

/**
 * The database file could not be opened or prepared (at start): one line for the operator, in Japanese, with the path
 * and what to do. `npm start` and the server print it instead of a stack trace.
 */
export class DatabaseOpenError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    cause: unknown,
    message: string = openFailureMessage(file, code),
  ) {
    super(message, { cause });
    this.name = 'DatabaseOpenError';
  }
}

const WHAT_TO_DO = 'ファイルとフォルダーの書き込み権限を確かめるか、書き込める場所を環境変数 KAKUNIN_DB で指定してください。';

function openFailureMessage(file: string, code: string): string {
  switch (primaryCode(code)) {
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return `データベース ${file} に書き込めません（読み取り専用か、権限がありません）。${WHAT_TO_DO}`;
    case 'SQLITE_FULL':
    case 'ENOSPC':
      return `データベース ${file} に書き込めません（ディスクに空きがありません）。空きを作るか、空きのある場所を環境変数 KAKUNIN_DB で指定してください。`;
    case 'SQLITE_NOTADB':
    case 'SQLITE_CORRUPT':
      return `${file} は Kakunin のデータベースとして読めません（${code}）。バックアップから戻すか、別の場所を環境変数 KAKUNIN_DB で指定してください。`;
    case 'SQLITE_BUSY':
      return `データベース ${file} は別のプロセスが使用中です（${code}）。もう一つの Kakunin やバックアップが終わってから起動してください。`;
    default:
      return `データベース ${file} を開けません（${code}）。${WHAT_TO_DO}`;
  }
}

/** The code of a failure while opening: SQLite's result code, or the errno of the file system (mkdir of the folder). */
export function openFailureCode(error: unknown): string | undefined {
  if (error instanceof Database.SqliteError) return error.code;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

const CHECK_URL = '環境変数 KAKUNIN_DATABASE_URL';

/** The operator's line for a PostgreSQL server `server` (a URL without its password) that failed with `code`. */
function pgFailureMessage(server: string, failure: PgFailure, code: string): string {
  const at = `PostgreSQL サーバー ${server}`;
  switch (failure) {
    case 'unreachable':
      return `${at} に接続できません（${code}）。サーバーが起動しているか、${CHECK_URL} のホスト名とポートを確かめてください。`;
    case 'login':
      return `${at} にログインできません（${code}）。${CHECK_URL} のユーザー名とパスワード、サーバーの pg_hba.conf を確かめてください。`;
    case 'no-database':
      return `${at} にそのデータベースがありません（${code}）。createdb で作るか、${CHECK_URL} のデータベース名を確かめてください。`;
    case 'disk-full':
      return `${at} のディスクに空きがありません（${code}）。サーバーのディスクに空きを作ってから起動してください。`;
    case 'resources':
      return `${at} が接続を受け付けません（接続数かメモリーが足りません、${code}）。ほかの接続が減るのを待つか、サーバーの max_connections を見直してください。`;
    case 'read-only':
      return `${at} に書き込めません（読み取り専用です、${code}）。${CHECK_URL} に書き込めるサーバー（スタンバイではなくプライマリー）を指定してください。`;
    case 'shutdown':
      return `${at} は停止中か起動中です（${code}）。サーバーが起動し終わってから、もう一度起動してください。`;
    case 'io':
      return `${at} で入出力エラーが起きました（${code}）。サーバーのディスクとログを確かめてください。`;
    case 'busy':
      return `${at} で別の処理と競合しました（${code}）。もう一度起動してください。`;
  }
}

/**
 * `error` as a DatabaseOpenError of `where` (the SQLite file, or the PostgreSQL server from storeLabel, without its
 * password) when it is one, or a storage failure (a database that opened but cannot be written, e.g. a read-only file
 * already in WAL mode fails at the first write; a PostgreSQL server out of reach); undefined for anything else.
 */
export function asDatabaseOpenError(error: unknown, where: string): DatabaseOpenError | undefined {
  if (error instanceof DatabaseOpenError) return error;
  const failure = storageFailureOf(error);
  if (!failure) return undefined;
  const code = failure.error.code ?? failure.error.message;
  if (failure.pg) return new DatabaseOpenError(where, code, error, pgFailureMessage(where, failure.pg, code));
  return new DatabaseOpenError(where, code, error);
}

/** The exit code of a start refused for a database problem: a configuration error (sysexits EX_CONFIG), not a crash to retry. */
export const DATABASE_EXIT_CODE = 78;
