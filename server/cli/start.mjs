// `npm start`: install check, migrations, bank sync, build when stale, then the production server.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, ensureInstalled, root, serverBundle } from './build-state.mjs';

const port = process.env.PORT ?? '3000';

try {
  ensureInstalled();
  const prepare = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'server', 'cli', 'prepare.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (prepare.status !== 0) process.exit(prepare.status ?? 1);
  await ensureBuild();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

// The server in its own process (node, not npx), so the PID we signal is the server's.
const server = spawn(process.execPath, [serverBundle, '--port', port], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
