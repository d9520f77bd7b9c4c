/**
 * The production (and `npm run dev`) server: one node:http server in one process.
 * 1. the app's state before the first request: database migrated, bank mirrored, grading threads started
 * 2. /api/trpc/* → the API on plain node:http (server/http/api.ts)
 * 3. everything else → Next (pages, route handlers, static files)
 *
 *   node .kakunin/server.mjs [--port 3000] [--host 127.0.0.1] [--dev]
 */
import type { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import next from 'next';
import { closeStore, getStore, storeLabel } from '../../db/app-store';
import { databasePath } from '../../db/client';
import { asDatabaseOpenError, DATABASE_EXIT_CODE } from '../../db/errors';
import { getBank } from '../bank/bank';
import { syncBank } from '../bank/sync';
import { createContext } from '../context';
import { getGradingPool } from '../grading/pool';
import { appRouter } from '../root';
import { createApiHandler } from './api';
import { bankJsonBodies } from './json-body';
import { createKakuninServer, serverLimits } from './node-server';

const API_ENDPOINT = '/api/trpc';

const { values: args } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' }, dev: { type: 'boolean', default: false } },
});
const port = Number(args.port ?? process.env.PORT ?? 3000);
const hostname = args.host ?? process.env.HOST;
const dev = args.dev === true;

// 1. state. A database that cannot be opened or written ends the start with one line (path, what to do), no stack.
try {
  await syncBank(await getStore(), getBank());
} catch (error) {
  const unusable = asDatabaseOpenError(error, storeLabel(databasePath()));
  if (!unusable) throw error;
  console.error(unusable.message);
  process.exit(DATABASE_EXIT_CODE);
}
const pool = getGradingPool();

// 2. API
const bodies = bankJsonBodies(getBank());
const api = createApiHandler({
  router: appRouter,
  endpoint: API_ENDPOINT,
  createContext,
  serialize: (value) => bodies.serialize(value),
  onInternalError: (path, error) => console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error),
});

// 3. Next
const app = next({ dev, dir: process.cwd(), hostname: hostname ?? 'localhost', port });
await app.prepare();
const pages = app.getRequestHandler();

// Header, request, keep-alive and idle timeouts and a connection cap (server/http/node-server.ts).
const server = createKakuninServer((req, res) => {
  const url = req.url ?? '/';
  if (url.startsWith(`${API_ENDPOINT}/`) || url.startsWith(`${API_ENDPOINT}?`)) api(req, res);
  else void pages(req, res);
}, serverLimits());
if (dev) {
  // hot reload's websocket: long-lived by design, so no idle timeout
  const upgrade = app.getUpgradeHandler();
  server.on('upgrade', (req, socket, head) => {
    (socket as Socket).setTimeout(0);
    void upgrade(req, socket, head);
  });
}

server.listen(port, hostname, () => {
  console.log(`Kakunin: http://${hostname ?? 'localhost'}:${port}${dev ? ' (dev)' : ''}`);
});

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping`);
  // Requests in flight finish (up to 5 s) before the database closes under them.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  await Promise.allSettled([pool.close(), app.close()]);
  await closeStore();
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
