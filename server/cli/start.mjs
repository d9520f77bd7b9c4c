// `npm start`: install check, migrations, bank sync, build when stale, then the production server (supervised).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureBuild, ensureInstalled, root, serverBundle } from './build-state.mjs';
import { supervise } from './supervise.mjs';

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

// The server in its own process (node, not npx), so the PID we signal is the server's; restarted if it crashes.
const supervisor = supervise({
  command: process.execPath,
  args: [serverBundle, '--port', port],
  options: { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } },
  log: (line) => console.error(`[npm start] ${line}`),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => supervisor.stop(signal));
process.exit(await supervisor.done);
