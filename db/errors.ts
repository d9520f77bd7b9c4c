import Database from 'better-sqlite3';

type SqliteError = InstanceType<typeof Database.SqliteError>;

/*
 * Failures of the database itself, as opposed to a query's own error (a constraint, a bug): the disk is full, the file
 * or its folder cannot be written, an I/O error, a lock held too long by another process. A write that hits one is
 * not stored; the learner is told so in one message (server/trpc.ts maps them), the operator gets the cause in the log.
 */

/** SQLite's primary result codes of a write that could not be stored (extended codes, e.g. SQLITE_IOERR_WRITE, included). */
const STORAGE_CODES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'SQLITE_NOMEM'] as const;

export const STORAGE_FAILED_MESSAGE = '保存できませんでした。サーバーがデータベースに書き込めない状態です。時間をおいてもう一度お試しください。';

function primaryCode(code: string): string {
  const extended = STORAGE_CODES.find((c) => code.startsWith(`${c}_`));
  return extended ?? code;
}

/** Whether `error` is SQLite failing to store (disk full, read-only, I/O, locked), rather than a query's own error. */
export function isStorageFailure(error: unknown): error is SqliteError {
  return error instanceof Database.SqliteError && (STORAGE_CODES as readonly string[]).includes(primaryCode(error.code));
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
  ) {
    super(openFailureMessage(file, code), { cause });
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

/**
 * `error` as a DatabaseOpenError of `file` when it is one, or a storage failure (a database that opened but cannot be
 * written, e.g. a read-only file already in WAL mode fails at the first write); undefined for anything else.
 */
export function asDatabaseOpenError(error: unknown, file: string): DatabaseOpenError | undefined {
  if (error instanceof DatabaseOpenError) return error;
  if (isStorageFailure(error)) return new DatabaseOpenError(file, error.code, error);
  return undefined;
}

/** The exit code of a start refused for a database problem: a configuration error (sysexits EX_CONFIG), not a crash to retry. */
export const DATABASE_EXIT_CODE = 78;
