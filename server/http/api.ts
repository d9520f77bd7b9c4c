import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, TRPCError, type AnyRouter } from '@trpc/server';
import { getHTTPStatusCode } from '@trpc/server/http';
import { STORAGE_FAILED_MESSAGE, storageFailureCause } from '../../db/errors';
import type { RequestContext, RequestInfo } from '../context';
import { bodyCapOf, crossSite, readBoundedBody, BodyTooLargeError } from './guards';

/*
 * The API over plain node:http: tRPC's HTTP protocol (what httpBatchLink and plain fetches send) on the router,
 * without the fetch Request/Response round trip of tRPC's adapters or Next's route machinery, which cost ~1 ms a
 * request and capped the whole server near 1,000 requests/s (issue 7, bench/load.ts).
 *
 * Supported: GET for queries (`?input=` JSON), POST for mutations (JSON body), `?batch=1` with comma-separated paths
 * and inputs keyed "0", "1", …. Replies are tRPC's JSON envelopes: `{ result: { data } }` or `{ error }`, an array
 * for a batch, with tRPC's HTTP status (207 when a batch mixes them). No streaming, subscriptions or transformer:
 * the app's client uses none of them.
 */

const MAX_BATCH = 16;

type ProcedureType = 'query' | 'mutation';

interface ApiOptions {
  router: AnyRouter;
  /** the path the API is mounted on, e.g. /api/trpc */
  endpoint: string;
  createContext(request: RequestInfo): Promise<RequestContext>;
  /** internal errors (already hidden from the client by the error formatter) are reported here */
  onInternalError?(path: string | undefined, error: TRPCError): void;
  /** the reply body as JSON (default JSON.stringify; the server passes JsonBodies, which encodes the bank's HTML once) */
  serialize?(value: unknown): string | Buffer;
}

type Envelope = { result: { data: unknown } } | { error: unknown };

const BASE_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
} as const;

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Refusals before any procedure runs (403/413/415 and unreadable requests), in the same envelope as tRPC's errors. */
function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, BASE_HEADERS);
  res.end(JSON.stringify({ error: { message, code, data: { code, httpStatus: status } } }));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new TRPCError({ code: 'PARSE_ERROR', message: 'JSON として読めません。', cause });
  }
}

export function createApiHandler(options: ApiOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { router, endpoint } = options;
  const serialize = options.serialize ?? ((value: unknown) => JSON.stringify(value));
  const procedures = router._def.procedures as Record<string, { _def: { type: string } } | undefined>;
  const config = router._def._config;

  const errorEnvelope = (cause: unknown, type: ProcedureType | 'unknown', path: string | undefined, input: unknown, ctx: RequestContext | undefined): Envelope => {
    const error = getTRPCErrorFromUnknown(cause);
    if (error.code === 'INTERNAL_SERVER_ERROR') options.onInternalError?.(path, error);
    return { error: getTRPCErrorShape({ config, error, type, path, input, ctx }) };
  };

  const call = async (type: ProcedureType, path: string, input: unknown, ctx: RequestContext, batchIndex: number): Promise<Envelope> => {
    try {
      // own keys only: "constructor" or "__proto__" name no procedure
      const procedure = Object.hasOwn(procedures, path) ? procedures[path] : undefined;
      if (!procedure) throw new TRPCError({ code: 'NOT_FOUND', message: `No procedure found on path "${path}"` });
      if (procedure._def.type !== type) {
        throw new TRPCError({ code: 'METHOD_NOT_SUPPORTED', message: `${type === 'query' ? 'GET' : 'POST'} では ${path} を呼べません。` });
      }
      const data: unknown = await callTRPCProcedure({ router, path, type, ctx, getRawInput: async () => input, signal: undefined, batchIndex });
      return { result: { data } };
    } catch (cause) {
      return errorEnvelope(cause, type, path, input, ctx);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const type: ProcedureType | null = req.method === 'GET' ? 'query' : req.method === 'POST' ? 'mutation' : null;
    if (!type) return refuse(res, 405, 'METHOD_NOT_SUPPORTED', 'GET か POST で呼んでください。');
    let pathPart: string;
    try {
      pathPart = decodeURIComponent(url.pathname.slice(endpoint.length + 1));
    } catch {
      return refuse(res, 400, 'BAD_REQUEST', 'URL が正しくありません。');
    }
    const batch = url.searchParams.get('batch') === '1';
    const paths = batch ? pathPart.split(',') : [pathPart];
    if (paths.length > MAX_BATCH) return refuse(res, 400, 'BAD_REQUEST', `一度に呼べるのは ${MAX_BATCH} 件までです。`);

    const info = { header: (name: string) => headerOf(req, name), encrypted: (req.socket as TLSSocket).encrypted === true, peer: req.socket.remoteAddress };
    let rawInput: unknown;
    try {
      if (type === 'mutation') {
        if (crossSite(info)) return refuse(res, 403, 'FORBIDDEN', '他のサイトからの送信は受け付けません。');
        if (!(headerOf(req, 'content-type') ?? '').startsWith('application/json')) return refuse(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'JSON で送ってください。');
        const body = await readBoundedBody(req, bodyCapOf(paths));
        rawInput = body === '' ? undefined : parseJson(body);
      } else {
        const input = url.searchParams.get('input');
        rawInput = input === null ? undefined : parseJson(input);
      }
      if (batch && rawInput !== undefined && (typeof rawInput !== 'object' || rawInput === null || Array.isArray(rawInput))) {
        throw new TRPCError({ code: 'BAD_REQUEST', message: '"input" needs to be an object when doing a batch call' });
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) return refuse(res, 413, 'PAYLOAD_TOO_LARGE', 'リクエストが大きすぎます。');
      if (req.destroyed && !req.complete) return; // the client went away mid-body: no one to answer
      const envelope = errorEnvelope(error, type, paths.length === 1 ? paths[0] : undefined, undefined, undefined);
      res.writeHead(getHTTPStatusCode(envelope as never), BASE_HEADERS);
      res.end(JSON.stringify(batch ? paths.map(() => envelope) : envelope));
      return;
    }

    const cookies: string[] = [];
    let ctx: RequestContext;
    try {
      ctx = await options.createContext({ ...info, setCookie: (value) => cookies.push(value) });
    } catch (error) {
      // The context may write (the local learner on a fresh install): a full or read-only disk, or PostgreSQL out of
      // reach, is a 503 like any write's. The log gets the driver's error, not drizzle's wrapper with the query's parameters.
      const failure = storageFailureCause(error);
      const cause = failure ? new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: STORAGE_FAILED_MESSAGE, cause: failure }) : error;
      if (failure) console.error('context: storage failure:', failure);
      const envelope = errorEnvelope(cause, type, undefined, rawInput, undefined);
      res.writeHead(cause === error ? 500 : 503, BASE_HEADERS);
      res.end(JSON.stringify(batch ? paths.map(() => envelope) : envelope));
      return;
    }

    const inputAt = (i: number) => (batch ? (rawInput as Record<string, unknown> | undefined)?.[String(i)] : rawInput);
    // A batch of mutations runs in order (the client sent them in order); a batch of queries at once.
    const results: Envelope[] = [];
    if (type === 'mutation') for (let i = 0; i < paths.length; i++) results.push(await call(type, paths[i]!, inputAt(i), ctx, i));
    else results.push(...(await Promise.all(paths.map((path, i) => call(type, path, inputAt(i), ctx, i)))));

    const body = batch ? results : results[0]!;
    res.writeHead(getHTTPStatusCode(body as never), cookies.length > 0 ? { ...BASE_HEADERS, 'Set-Cookie': cookies } : BASE_HEADERS);
    res.end(serialize(body));
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Only a bug of this file gets here: answer 500 if still possible, and keep serving.
      console.error('API handler:', error);
      if (!res.headersSent) refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'サーバーで問題が起きました。時間をおいてもう一度お試しください。');
      else res.destroy();
    });
  };
}
