import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './harness';

/*
 * The production server's connection limits (issue 15: ~21,000 idle connections used up the descriptors and new
 * clients got "socket hang up" for a minute), with short timeouts and a small cap set through the environment.
 */

const CAP = 20;
let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ KAKUNIN_HEADERS_TIMEOUT_MS: '1500', KAKUNIN_REQUEST_TIMEOUT_MS: '3000', KAKUNIN_MAX_CONNECTIONS: String(CAP) });
});
afterAll(async () => {
  await server?.stop();
});

/** A raw connection that sends `send` (or nothing) and resolves with what it received once the server closes it. */
function openRaw(send?: string): { socket: Socket; connected: Promise<void>; closed: Promise<string> } {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
  socket.on('error', () => undefined); // a reset is one way of being closed
  const connected = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  if (send !== undefined) void connected.then(() => socket.write(send));
  return { socket, connected, closed: new Promise((resolve) => socket.once('close', () => resolve(received))) };
}

describe('the production server’s connection limits', () => {
  it('answers 408 and closes a client that connects and sends nothing, or stops mid-headers', async () => {
    const silent = openRaw();
    const partial = openRaw('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    expect(await silent.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(await partial.closed).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('closes connections past the cap, and serves normally once they are gone', async () => {
    const idle = Array.from({ length: CAP + 10 }, () => openRaw());
    await Promise.all(idle.map((c) => c.connected));
    const received = await Promise.all(idle.map((c) => c.closed));
    // over the cap: closed at once with no reply; the others got their 408 at the header timeout
    const dropped = received.filter((r) => r === '').length;
    expect(dropped).toBeGreaterThanOrEqual(10);
    expect(received.filter((r) => r.startsWith('HTTP/1.1 408 ')).length).toBe(CAP + 10 - dropped);
    expect(server.output()).toContain(`接続数が上限 ${CAP} に達したため、新しい接続を閉じました`);

    const res = await fetch(`${server.url}/api/trpc/auth.me`);
    expect(res.status).toBe(200);
  });

  it('refuses a history nested 30,000 deep with a 400 in Japanese (it was a 500: stack overflow)', async () => {
    const nested = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const body = `{"format":"kakunin-history","version":1,"exportedAt":"2026-12-01T00:00:00.000Z","answers":[{"feedback":{"a":${nested}}}]}`;
    const res = await fetch(`${server.url}/api/trpc/progress.importHistory`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toBe('履歴ファイルを読み込めません（問題 1 件）。何も読み込んでいません。\n・answers[0].feedback.a[0][0].…[0]: 入れ子が深すぎます（32 段まで）。');
    // and the server is still there
    expect((await fetch(`${server.url}/api/trpc/auth.me`)).status).toBe(200);
  });
});
