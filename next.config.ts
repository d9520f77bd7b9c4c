import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native and heavy server-only packages stay outside the bundle.
  serverExternalPackages: ['better-sqlite3', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'],
  poweredByHeader: false,
  // Types are checked once for the whole project by `npm run typecheck` (part of `npm test`), not again per build.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
