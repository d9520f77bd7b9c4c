import { NextResponse, type NextRequest } from 'next/server';

/*
 * Content Security Policy with a fresh nonce per page (Next 16's Proxy, the former middleware). Next reads the nonce
 * from the request's CSP header and puts it on its own scripts (hydration data, runtime, page chunks), so no script
 * may run inline without it: an injected <script> does not run. The pages are rendered per request (the root layout
 * reads the request's cookies), which a nonce needs.
 *
 * - style-src keeps 'unsafe-inline': KaTeX lays formulas out with style attributes, which nonces cannot cover.
 * - 'wasm-unsafe-eval': tfjs's wasm backend compiles WebAssembly; worker-src: the grading Web Worker (and tfjs's blob: ones).
 * - 'strict-dynamic': scripts loaded by a nonce'd script (Next's chunks) are trusted; 'self' is for browsers without CSP 3.
 * - in development React needs eval ('unsafe-eval') for its error overlay.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function proxy(request: NextRequest): NextResponse {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
  const policy = contentSecurityPolicy(nonce);
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  headers.set('x-nonce', nonce);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    {
      // pages and their 404s; not static files, the wasm route or prefetches (they run no inline script)
      source: '/((?!_next/static|_next/image|tfjs-wasm/|icon\\.svg|favicon\\.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
