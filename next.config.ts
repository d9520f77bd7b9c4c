import type { NextConfig } from 'next';

/**
 * Content Security Policy. Next's hydration and KaTeX's layout use inline scripts and styles; the grading Web Worker
 * loads from 'self' (and blob: for tfjs internals); the wasm backend needs 'wasm-unsafe-eval'. Nothing is loaded
 * from other origins, and no page may be framed.
 */
const csp = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
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

const nextConfig: NextConfig = {
  // Native and heavy server-only packages stay outside the bundle.
  serverExternalPackages: ['better-sqlite3', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'],
  poweredByHeader: false,
  // Types are checked once for the whole project by `npm run typecheck` (part of `npm test`), not again per build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: csp },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
