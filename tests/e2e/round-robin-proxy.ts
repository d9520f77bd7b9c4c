import http from 'node:http';

/*
 * A tiny HTTP proxy that sends each request to the next of several app nodes in turn (issue 16: one learner's
 * requests spread over two app processes, as a load balancer without sticky sessions would). Headers go through
 * unchanged (Host and Origin stay the proxy's, as the app's origin check expects), except X-Forwarded-For when
 * `forwardedFor` is given: every request then seems to come from that one client (a node trusts it only when started
 * with the proxy's address in KAKUNIN_TRUSTED_PROXIES). A node that refuses the
 * connection never saw the request, so it is sent to the next node; an error after that is a 502, as a real
 * balancer would answer. Bodies are small (the API caps them), so each is read whole before it is sent on.
 */

export interface RoundRobinProxy {
  url: string;
  /** which node took each request, in order (0-based), for tests that check both nodes served the learner */
  served: number[];
  close(): Promise<void>;
}

export interface RoundRobinOptions {
  /** listen on this port (default: a free one) */
  port?: number;
  /** X-Forwarded-For sent with every request, replacing the client's: the address the nodes see as the client's */
  forwardedFor?: string;
}

export async function startRoundRobinProxy(upstreams: string[], { port = 0, forwardedFor }: RoundRobinOptions = {}): Promise<RoundRobinProxy> {
  if (upstreams.length === 0) throw new Error('round-robin proxy: no upstream');
  const targets = upstreams.map((u) => new URL(u));
  const served: number[] = [];
  let next = 0;
  const agent = new http.Agent({ keepAlive: true });

  // `refused`: the node that refused this request's connection; the next one after it is tried (not the shared turn,
  // which concurrent requests may have moved back to the refusing node meanwhile)
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer, tries: number, refused?: number): void => {
    let index: number;
    if (refused === undefined) {
      index = next;
      next = (next + 1) % targets.length;
    } else index = (refused + 1) % targets.length;
    const target = targets[index]!;
    const headers = forwardedFor === undefined ? req.headers : { ...req.headers, 'x-forwarded-for': forwardedFor };
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent },
      (reply) => {
        served.push(index);
        res.writeHead(reply.statusCode ?? 502, reply.rawHeaders);
        reply.pipe(res);
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && tries + 1 < targets.length) forward(req, res, body, tries + 1, index);
      else if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error.code ?? error.message}`);
      else res.destroy(error);
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), 0));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('round-robin proxy: no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
