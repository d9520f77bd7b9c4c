import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/*
 * The node:http server's limits, so clients that hold connections without using them cannot use up the process's
 * file descriptors (issue 15: ~21,000 idle connections took all 20,000 and new clients got "socket hang up").
 * Each is overridable by an environment variable (tests use short ones).
 */

/** Time to receive a request's headers, from the connection opening: a client that connects and sends nothing gets a 408 and is closed. */
export const HEADERS_TIMEOUT_MS = 15_000;
/** Time to receive a whole request, headers and body (bodies are at most 64 KiB); the reply's own time is not counted. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How long a kept-alive connection may wait, idle, for its next request (Node's default; browsers reuse sooner). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A socket with no traffic either way this long is closed (slow readers); longer than any reply takes, grading included. */
export const IDLE_SOCKET_TIMEOUT_MS = 120_000;
/** Connections at once, at most: this, or half the process's descriptor limit if that is lower (the rest: database, files, threads). */
export const MAX_CONNECTIONS = 10_000;
/** When the descriptor limit cannot be read (not Linux): assume the common default soft limit. */
const ASSUMED_DESCRIPTOR_LIMIT = 1_024;

export interface ServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  idleSocketTimeoutMs: number;
  maxConnections: number;
}

/** The soft limit on open files of this process (Linux: /proc/self/limits); undefined elsewhere. */
export function descriptorLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

function positiveInt(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} は正の整数で指定してください（いま "${raw}"）。`);
  return value;
}

/** The limits to serve with: the constants above, each overridable by KAKUNIN_* environment variables. */
export function serverLimits(env: Readonly<Record<string, string | undefined>> = process.env, descriptors: number | null = descriptorLimit() ?? null): ServerLimits {
  const cap = Math.min(MAX_CONNECTIONS, Math.floor((descriptors ?? ASSUMED_DESCRIPTOR_LIMIT) / 2));
  return {
    headersTimeoutMs: positiveInt(env, 'KAKUNIN_HEADERS_TIMEOUT_MS', HEADERS_TIMEOUT_MS),
    requestTimeoutMs: positiveInt(env, 'KAKUNIN_REQUEST_TIMEOUT_MS', REQUEST_TIMEOUT_MS),
    keepAliveTimeoutMs: positiveInt(env, 'KAKUNIN_KEEP_ALIVE_TIMEOUT_MS', KEEP_ALIVE_TIMEOUT_MS),
    idleSocketTimeoutMs: positiveInt(env, 'KAKUNIN_IDLE_SOCKET_TIMEOUT_MS', IDLE_SOCKET_TIMEOUT_MS),
    maxConnections: positiveInt(env, 'KAKUNIN_MAX_CONNECTIONS', cap),
  };
}

/** Connections refused at the cap are logged at most this often (a flood would otherwise flood the log too). */
const DROP_LOG_INTERVAL_MS = 60_000;

/**
 * A node:http server with these limits. Node checks the header and request timeouts of open connections every
 * `connectionsCheckingInterval` (30 s by default): a quarter of the shorter timeout here, so a timeout is late by that
 * at most. A connection past `maxConnections` is closed at once by Node, before any byte is read.
 */
export function createKakuninServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  limits: ServerLimits,
  log: (message: string) => void = (message) => console.warn(message),
): Server {
  const checkEvery = Math.max(100, Math.min(30_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
  const server = createServer({ connectionsCheckingInterval: checkEvery }, handler);
  server.headersTimeout = limits.headersTimeoutMs;
  // Node requires headersTimeout ≤ requestTimeout
  server.requestTimeout = Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.timeout = limits.idleSocketTimeoutMs;
  server.maxConnections = limits.maxConnections;

  let dropped = 0;
  let lastLog = -Infinity;
  server.on('drop', () => {
    dropped += 1;
    const now = Date.now();
    if (now - lastLog < DROP_LOG_INTERVAL_MS) return;
    lastLog = now;
    log(`接続数が上限 ${limits.maxConnections} に達したため、新しい接続を閉じました（直近 ${dropped} 件）。`);
    dropped = 0;
  });
  return server;
}
