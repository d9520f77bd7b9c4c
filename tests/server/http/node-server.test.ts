import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKakuninServer, serverLimits, type ServerLimits } from '../../../server/http/node-server';

// The node:http server's limits (issue 15: idle connections used up every descriptor), with short timeouts.

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

const SHORT: ServerLimits = { headersTimeoutMs: 400, requestTimeoutMs: 800, keepAliveTimeoutMs: 300, idleSocketTimeoutMs: 1_500, maxConnections: 100 };

async function serve(limits: ServerLimits, log: string[] = []): Promise<{ server: Server; port: number }> {
  const server = createKakuninServer(
    (req, res) => {
      if (req.url === '/never') return; // a reply that never comes
      req.resume();
      req.on('end', () => res.end('ok'));
    },
    limits,
    (message) => log.push(message),
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Opens a raw connection, writes `send`, and resolves with everything received once the server closes it. */
function openRaw(port: number, send?: string): { socket: Socket; closed: Promise<string>; connected: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => undefined); // a reset is one way of being closed
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (send !== undefined) void connected.then(() => socket.write(send));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed, connected };
}

describe('server limits', () => {
  it('defaults to the documented constants, the cap at most half the descriptor limit, each overridable', () => {
    expect(serverLimits({}, 20_000)).toEqual({
      headersTimeoutMs: 15_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      idleSocketTimeoutMs: 120_000,
      maxConnections: 10_000,
    });
    expect(serverLimits({}, 1_024).maxConnections).toBe(512);
    expect(serverLimits({}, null).maxConnections).toBe(512); // limit unknown: the common 1,024 assumed
    expect(serverLimits({ KAKUNIN_HEADERS_TIMEOUT_MS: '1000', KAKUNIN_MAX_CONNECTIONS: '50' }, 20_000)).toMatchObject({ headersTimeoutMs: 1_000, maxConnections: 50 });
    expect(() => serverLimits({ KAKUNIN_REQUEST_TIMEOUT_MS: '10s' }, 20_000)).toThrow('KAKUNIN_REQUEST_TIMEOUT_MS は正の整数で指定してください（いま "10s"）。');
  });

  it('answers 408 and closes a connection that sends nothing, and one that never finishes its headers', async () => {
    const { port } = await serve(SHORT);
    const silent = openRaw(port);
    const partial = openRaw(port, 'GET / HTTP/1.1\r\nHost: localhost\r\n');
    expect(await silent.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(await partial.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('closes a request whose body never ends', async () => {
    const { port } = await serve(SHORT);
    const trickle = openRaw(port, 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{"a":');
    expect(await trickle.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('closes a kept-alive connection left idle after its reply, and a socket with no traffic at all', async () => {
    const { port } = await serve(SHORT);
    const keptAlive = openRaw(port, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await keptAlive.closed).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Keep-Alive: timeout=0\r\n[\s\S]*\r\n\r\nok$/);
    // the request was read in full, so the header and request timeouts are done: the idle timeout closes it
    const waiting = openRaw(port, 'GET /never HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await waiting.closed).toBe('');
  });

  it('a reply slower than the request timeout is still delivered: only receiving the request is timed', async () => {
    const server = createKakuninServer((_req, res) => setTimeout(() => res.end('slow'), 1_200), SHORT);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    expect(await res.text()).toBe('slow');
  });

  it('closes connections past the cap at once, logs it, and serves again once connections are freed', async () => {
    const log: string[] = [];
    const { server, port } = await serve({ ...SHORT, headersTimeoutMs: 60_000, requestTimeoutMs: 60_000, idleSocketTimeoutMs: 60_000, maxConnections: 3 }, log);
    const held = [openRaw(port), openRaw(port), openRaw(port)];
    await Promise.all(held.map((h) => h.connected));
    while ((await new Promise<number>((resolve, reject) => server.getConnections((e, n) => (e ? reject(e) : resolve(n))))) < 3) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const refused = openRaw(port, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await refused.closed).toBe('');
    expect(log).toEqual(['接続数が上限 3 に達したため、新しい接続を閉じました（直近 1 件）。']);
    // the held connections are still open
    expect(held.map((h) => h.socket.destroyed)).toEqual([false, false, false]);

    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    // the server notices the closes asynchronously: retry until a request gets through (bounded by the test timeout)
    let body: string | undefined;
    while (body === undefined) {
      body = await fetch(`http://127.0.0.1:${port}/`).then(
        (r) => r.text(),
        () => undefined,
      );
    }
    expect(body).toBe('ok');
  });
});
