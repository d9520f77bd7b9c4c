import type { IncomingMessage } from 'node:http';
import type { BlockList } from 'node:net';
import { clientOf, type ForwardedRequest } from './forwarded';

/** Requests to the API are small JSON objects; the largest legitimate one is a code answer of 8,000 characters. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The one exception: a learner's exported history, imported into a fresh install (up to MAX_IMPORT_ROWS answers,
 * ~1 KiB each with code and feedback). Validated by its own strict schema after the cap.
 */
export const MAX_IMPORT_BODY_BYTES = 64 * 1024 * 1024;

/** Procedures whose requests may carry MAX_IMPORT_BODY_BYTES. */
const LARGE_BODY_PROCEDURES: ReadonlySet<string> = new Set(['progress.importHistory']);

/** The body cap of a request calling `paths` (a batch gets the large cap only if every call may have it). */
export function bodyCapOf(paths: readonly string[]): number {
  return paths.length > 0 && paths.every((p) => LARGE_BODY_PROCEDURES.has(p)) ? MAX_IMPORT_BODY_BYTES : MAX_BODY_BYTES;
}

export class BodyTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`request body over ${maxBytes} bytes`);
  }
}

/** An origin's scheme and host as the URL standard normalises them: host names lower-cased, the default port dropped. */
function originOf(scheme: string, host: string): { protocol: string; host: string } | null {
  try {
    const url = new URL(`${scheme}://${host}`);
    // a Host of "a@b" or "b/x" would parse as something else: not an origin
    if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return null;
    return { protocol: url.protocol, host: url.host };
  } catch {
    return null;
  }
}

/**
 * Mutations only from this site: a browser sends Origin (and Sec-Fetch-Site) with every POST, so a page on another
 * origin cannot post answers in the learner's name. Clients that are not browsers send neither and are let through.
 * The Origin must be this server's own: same scheme (TLS on the socket, or a trusted proxy's X-Forwarded-Proto), host
 * (Host, or a trusted proxy's X-Forwarded-Host) and port, host names compared case-insensitively, default ports
 * normalised (http://LOCALHOST:80 is http://localhost). A page served over http cannot post to the https site.
 */
export function crossSite(request: ForwardedRequest, proxies?: BlockList | null): boolean {
  const origin = request.header('origin');
  if (origin !== undefined) {
    const self = clientOf(request, proxies);
    const mine = self.host === undefined ? null : originOf(self.scheme, self.host);
    const parts = /^(https?):\/\/([^/?#]+)$/i.exec(origin); // a browser's Origin is scheme://host[:port], or "null"
    const theirs = parts ? originOf(parts[1]!, parts[2]!) : null;
    return mine === null || theirs === null || mine.protocol !== theirs.protocol || mine.host !== theirs.host;
  }
  const site = request.header('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** Reads the body as UTF-8 with a cap, so an oversized request is refused before anything parses it. */
export function readBoundedBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? '0') > maxBytes) {
      req.resume(); // drain, so the connection can still carry the 413
      return reject(new BodyTooLargeError(maxBytes));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLargeError(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
