import type { IncomingMessage } from 'node:http';

/** Requests to the API are small JSON objects; the largest legitimate one is a code answer of 8,000 characters. */
export const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLargeError extends Error {
  constructor() {
    super(`request body over ${MAX_BODY_BYTES} bytes`);
  }
}

/**
 * Mutations only from this site: a browser sends Origin (and Sec-Fetch-Site) with every POST, so a page on another
 * origin cannot post answers in the learner's name. Clients that are not browsers send neither and are let through.
 */
export function crossSite(header: (name: string) => string | undefined): boolean {
  const origin = header('origin');
  if (origin) {
    const host = header('x-forwarded-host') ?? header('host');
    try {
      return new URL(origin).host !== host;
    } catch {
      return true;
    }
  }
  const site = header('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

/** Reads the body as UTF-8 with a cap, so an oversized request is refused before anything parses it. */
export function readBoundedBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? '0') > MAX_BODY_BYTES) {
      req.resume(); // drain, so the connection can still carry the 413
      return reject(new BodyTooLargeError());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        chunks.length = 0;
        reject(new BodyTooLargeError());
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
