import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { createContext } from '@/server/context';
import { appRouter } from '@/server/root';

/** The one HTTP entry of the API. */

const MAX_BODY_BYTES = 64 * 1024;

const STATUS_CODE: Record<number, string> = { 403: 'FORBIDDEN', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

function jsonError(status: number, message: string): Response {
  return Response.json({ error: { message, code: STATUS_CODE[status] ?? 'BAD_REQUEST' } }, { status });
}

/**
 * Mutations only from this site: a browser sends Origin (and Sec-Fetch-Site) with every POST, so a page on another
 * origin cannot post answers in the learner's name. Clients that are not browsers send neither and are let through.
 */
function crossSite(req: Request): boolean {
  const origin = req.headers.get('origin');
  if (origin) {
    const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host');
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  const site = req.headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}

/** Reads the body with a cap, so an oversized request is refused before anything parses it. */
async function boundedBody(req: Request): Promise<string | Response> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) return jsonError(413, 'リクエストが大きすぎます。');
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      return jsonError(413, 'リクエストが大きすぎます。');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handler(req: Request): Promise<Response> {
  let request = req;
  if (req.method === 'POST') {
    if (crossSite(req)) return jsonError(403, '他のサイトからの送信は受け付けません。');
    const type = req.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json')) return jsonError(415, 'JSON で送ってください。');
    const body = await boundedBody(req);
    if (typeof body !== 'string') return body;
    request = new Request(req.url, { method: 'POST', headers: req.headers, body });
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: ({ resHeaders }) => createContext(request, resHeaders),
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') console.error(`tRPC ${path ?? '?'}:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
