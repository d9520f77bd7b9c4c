import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startRoundRobinProxy, type RoundRobinOptions, type RoundRobinProxy } from '../../e2e/round-robin-proxy';

/** An app node stand-in: answers with its name, the Host it saw, and the body it got. */
async function node(name: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('set-cookie', [`a=${name}`, 'b=2']);
      const forwarded = req.headers['x-forwarded-for'];
      res.end(JSON.stringify({ name, host: req.headers.host, method: req.method, url: req.url, body: Buffer.concat(chunks).toString(), ...(forwarded ? { forwarded } : {}) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((x) => x.close()));
});

async function setup(names: string[], options?: RoundRobinOptions): Promise<{ proxy: RoundRobinProxy; nodes: Awaited<ReturnType<typeof node>>[] }> {
  const nodes = await Promise.all(names.map(node));
  const proxy = await startRoundRobinProxy(nodes.map((n) => n.url), options);
  open.push(proxy, ...nodes);
  return { proxy, nodes };
}

describe('round-robin proxy (two app nodes behind one address)', () => {
  it('sends each request to the next node in turn, with method, path, body, Host and every Set-Cookie kept', async () => {
    const { proxy } = await setup(['a', 'b']);
    const replies = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${proxy.url}/api/x?i=${i}`, { method: 'POST', body: `body ${i}` });
      expect(res.headers.getSetCookie()).toEqual([`a=${i % 2 === 0 ? 'a' : 'b'}`, 'b=2']);
      replies.push(await res.json());
    }
    const host = new URL(proxy.url).host;
    expect(replies).toEqual([0, 1, 2, 3].map((i) => ({ name: i % 2 === 0 ? 'a' : 'b', host, method: 'POST', url: `/api/x?i=${i}`, body: `body ${i}` })));
    expect(proxy.served).toEqual([0, 1, 0, 1]);
  });

  it('sends a request a stopped node refused to the other node, and answers 502 when no node is up', async () => {
    const { proxy, nodes } = await setup(['a', 'b']);
    await nodes[0]!.close();
    const names = [];
    for (let i = 0; i < 3; i++) names.push(((await (await fetch(`${proxy.url}/`)).json()) as { name: string }).name);
    expect(names).toEqual(['b', 'b', 'b']);
    await nodes[1]!.close();
    const res = await fetch(`${proxy.url}/`);
    expect(res.status).toBe(502);
    // refused, or reset when the pooled keep-alive connection to b is tried before the proxy has seen it close
    expect(await res.text()).toMatch(/^proxy: (ECONNREFUSED|ECONNRESET)$/);
  });

  it('sends concurrent requests a stopped node refused to the node after it (not back to the stopped one)', async () => {
    const { proxy, nodes } = await setup(['a', 'b', 'c']);
    await nodes[0]!.close();
    const replies = await Promise.all(Array.from({ length: 30 }, async () => (await fetch(`${proxy.url}/`)).text()));
    const names = replies.map((t) => (JSON.parse(t) as { name: string }).name);
    // a's turns went to b, the node after it: b served 20, c its own 10
    expect([names.filter((n) => n === 'b').length, names.filter((n) => n === 'c').length]).toEqual([20, 10]);
    expect(proxy.served.filter((i) => i === 0)).toEqual([]);
  });

  it('sends the fixed X-Forwarded-For it was given to every node, replacing the client\'s', async () => {
    const { proxy } = await setup(['a', 'b'], { forwardedFor: '203.0.113.7' });
    const seen = [];
    for (const sent of [undefined, '6.6.6.6']) {
      const res = await fetch(`${proxy.url}/`, { headers: sent ? { 'x-forwarded-for': sent } : {} });
      seen.push(((await res.json()) as { name: string; forwarded?: string }));
    }
    expect(seen.map((r) => [r.name, r.forwarded])).toEqual([['a', '203.0.113.7'], ['b', '203.0.113.7']]);
  });
});
