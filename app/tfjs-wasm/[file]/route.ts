import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Serves tfjs' wasm binaries from node_modules to the grading worker (no copy in the repo, no CDN). */
const FILES = new Set(['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']);

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }): Promise<Response> {
  const { file } = await params;
  if (!FILES.has(file)) return new Response('Not found', { status: 404 });
  const bytes = await readFile(path.join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', file));
  return new Response(new Uint8Array(bytes), { headers: { 'content-type': 'application/wasm', 'cache-control': 'public, max-age=86400' } });
}
