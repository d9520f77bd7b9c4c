import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { root, serverBundle } from '../../server/cli/build-state.mjs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags measured to keep WebGL (SwiftShader) on and Chromium quiet on this closed network (MACHINE-NOTES). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--enable-unsafe-swiftshader',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  url: string;
  /** the SQLite file; never created when `env` puts the server on PostgreSQL (KAKUNIN_DATABASE_URL) */
  dbFile: string;
  stop(): Promise<void>;
  /** stops the server (SIGTERM, or SIGKILL to simulate a crash) and starts it again on the same port and database */
  restart(signal?: NodeJS.Signals): Promise<void>;
  /** ends the process (SIGKILL: a crash) without starting it again; resolves once it has exited */
  kill(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
  /** the server process's id (benchmarks read its CPU time) */
  pid(): number | undefined;
}

async function waitForReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready in 60 s:\n${log()}`);
}

/**
 * The production server (built by the global setup) on a free port with a fresh database.
 * `env` may point KAKUNIN_QUESTIONS at a fixture bank.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kakunin-e2e-'));
  const dbFile = path.join(dir, 'kakunin.db');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let out = '';
  const launch = async () => {
    child = spawn(process.execPath, [serverBundle, '--port', String(port), '--host', '127.0.0.1'], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', KAKUNIN_DB: dbFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitForReady(url, child, () => out);
  };
  const kill = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  await launch();
  return {
    url,
    dbFile,
    output: () => out,
    pid: () => child.pid,
    kill: (signal?: NodeJS.Signals) => kill(signal),
    restart: async (signal?: NodeJS.Signals) => {
      await kill(signal);
      await launch();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `npm start`'s prepare step (migrations, bank check and sync) once, with `env`: several servers on one PostgreSQL
 * database are started after it, so they find it migrated and do not all migrate at once.
 */
export function prepareDatabase(env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'server', 'cli', 'prepare.ts')], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`prepare exited with ${code}:\n${out}`))));
  });
}

/** A production server (fresh database) and a Chromium for the tests of one file, started once and stopped after. */
export function useServerAndBrowser(env: Record<string, string> = {}): { server: RunningServer; browser: Browser } {
  const handles = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    handles.server = await startServer(env);
    handles.browser = await launchBrowser();
  });
  afterAll(async () => {
    await handles.browser?.close();
    await handles.server?.stop();
  });
  return handles;
}
