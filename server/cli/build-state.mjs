// Install and build freshness checks shared by `npm start` and the end-to-end test setup.
// Plain JavaScript on purpose: it runs before dependencies (and tsx) are known to be installed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

const BUILD_INPUTS = ['app', 'server', 'graders', 'db', 'proxy.ts', 'next.config.ts', 'tsconfig.json', 'package-lock.json'];
// app/ holds assets too (icon.svg): they are part of the build
const SOURCE_FILE = /\.(ts|tsx|mts|mjs|js|css|json|sql|svg|png|ico)$/;
const BUILD_STAMP = path.join(root, '.next', 'kakunin-build-hash');

function hashInto(hash, file) {
  const stat = statSync(file);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(file).sort()) hashInto(hash, path.join(file, entry));
  } else if (SOURCE_FILE.test(file)) {
    hash.update(path.relative(root, file));
    hash.update(readFileSync(file));
  }
}

/** A hash of everything the production build is made from (questions/ are read at run time, so not included). */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    const full = path.join(root, input);
    if (existsSync(full)) hashInto(hash, full);
  }
  return hash.digest('hex');
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} が失敗しました (終了コード ${result.status})`);
}

/**
 * Installs dependencies when node_modules is missing or older than package-lock.json. npm rewrites its own
 * node_modules/.package-lock.json on every install, so comparing the two files' times needs no stamp of ours.
 */
export function ensureInstalled(log = console.log) {
  const lock = path.join(root, 'package-lock.json');
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const fresh = existsSync(installed) && existsSync(path.join(root, 'node_modules', 'next')) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return false;
  log('依存パッケージをインストールしています (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  return true;
}

/**
 * Bundles what runs outside Next as plain JS files in .kakunin/ (packages stay external and load from node_modules):
 * the grading thread (worker threads need one file) and the HTTP server (server/http/serve.ts).
 */
export async function buildServerBundles() {
  const { build } = await import('esbuild');
  const bundle = (entry, out) =>
    build({
      entryPoints: [path.join(root, entry)],
      outfile: path.join(root, '.kakunin', out),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
  await Promise.all([bundle('server/grading/grade-thread.ts', 'grade-thread.mjs'), bundle('server/http/serve.ts', 'server.mjs')]);
}

/** The bundled server: `node` runs this file (with --port, --host, --dev). */
export const serverBundle = path.join(root, '.kakunin', 'server.mjs');

/** Runs `next build` (and bundles the grading thread and the server) when the sources changed since the last build. */
export async function ensureBuild(log = console.log) {
  const wanted = sourceHash();
  const have = existsSync(BUILD_STAMP) ? readFileSync(BUILD_STAMP, 'utf8').trim() : '';
  const bundlesBuilt = existsSync(path.join(root, '.kakunin', 'grade-thread.mjs')) && existsSync(serverBundle);
  if (have === wanted && bundlesBuilt && existsSync(path.join(root, '.next', 'BUILD_ID'))) return false;
  await buildServerBundles();
  log('本番ビルドを作成しています (next build)…');
  run(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], { NEXT_TELEMETRY_DISABLED: '1' });
  writeFileSync(BUILD_STAMP, wanted);
  return true;
}
