import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and heavy server-only packages stay outside the bundle.
  serverExternalPackages: ['better-sqlite3', 'pg', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'],
  poweredByHeader: false,
  // Types are checked once for the whole project by `npm run typecheck` (part of `npm test`), not again per build.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: '/:path*',
        // The Content-Security-Policy, with a nonce per page, is set by proxy.ts.
        headers: [
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
