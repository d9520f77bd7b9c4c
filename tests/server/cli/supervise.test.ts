import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { supervise, type SuperviseOptions } from '../../../server/cli/supervise.mjs';

const FAKE = path.join(__dirname, 'fixtures', 'fake-server.mjs');
let dir: string;
let counter: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kakunin-supervise-'));
  counter = path.join(dir, 'runs');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const runs = () => Number(readFileSync(counter, 'utf8'));

function superviseFake(mode: string, options: Partial<SuperviseOptions> = {}) {
  const lines: string[] = [];
  const supervisor = supervise({
    command: process.execPath,
    args: [FAKE, counter, mode],
    options: { stdio: 'ignore' },
    log: (line) => lines.push(line),
    initialDelayMs: 10,
    maxDelayMs: 40,
    ...options,
  });
  return { supervisor, lines };
}

describe('the server supervisor of npm start', () => {
  it('restarts a server that crashes, with a logged line and a doubling delay, until it exits cleanly', async () => {
    const { supervisor, lines } = superviseFake('crash-twice');
    expect(await supervisor.done).toBe(0);
    expect(runs()).toBe(3);
    expect(supervisor.restarts()).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^サーバーが異常終了しました \(code 3, 起動から [\d.]+ 秒\)。0\.01 秒後に再起動します。$/);
    expect(lines[1]).toContain('0.02 秒後に再起動します。');
  });

  it('restarts a server killed by a signal (as the out-of-memory killer would)', async () => {
    const { supervisor, lines } = superviseFake('killed-once');
    expect(await supervisor.done).toBe(0);
    expect(runs()).toBe(2);
    expect(lines[0]).toContain('(signal SIGKILL,');
  });

  it('gives up after too many crashes in the window, with a clear message and the exit code', async () => {
    const { supervisor, lines } = superviseFake('always-crash', { maxCrashes: 4 });
    expect(await supervisor.done).toBe(5);
    expect(runs()).toBe(4);
    // The delay doubles and stops at the maximum.
    expect(lines.slice(0, 3).map((l) => l.match(/。([\d.]+) 秒後/)?.[1])).toEqual(['0.01', '0.02', '0.04']);
    expect(lines.at(-1)).toBe('サーバーが 300 秒間に 4 回異常終了したため、再起動をあきらめます (最後: code 5)。ログを確認してから npm start をやり直してください。');
  });

  it('resets the delay after a run that stayed up long enough', async () => {
    const { supervisor, lines } = superviseFake('always-crash', { maxCrashes: 4, stableMs: 0 });
    expect(await supervisor.done).toBe(5);
    expect(lines.slice(0, 3).map((l) => l.match(/。([\d.]+) 秒後/)?.[1])).toEqual(['0.01', '0.01', '0.01']);
  });

  it('does not restart a server that exits with EX_CONFIG (78: it said what to fix)', async () => {
    const { supervisor, lines } = superviseFake('config-error');
    expect(await supervisor.done).toBe(78);
    expect(runs()).toBe(1);
    expect(lines).toEqual([]);
  });

  it('does not restart a server stopped by SIGTERM / SIGINT of npm start', async () => {
    const { supervisor, lines } = superviseFake('serve');
    while (!existsSync(counter)) await new Promise((r) => setTimeout(r, 10)); // it runs
    supervisor.stop('SIGTERM');
    expect(await supervisor.done).toBe(0);
    expect(runs()).toBe(1);
    expect(lines).toEqual([]);
  });

  it('stops waiting for a restart when told to stop', async () => {
    const { supervisor, lines } = superviseFake('always-crash', { initialDelayMs: 60_000 });
    while (lines.length === 0) await new Promise((r) => setTimeout(r, 10));
    supervisor.stop('SIGINT');
    expect(await supervisor.done).toBe(0);
    expect(runs()).toBe(1);
  });

  it('ends with 1 and a message when the server cannot be started at all', async () => {
    const lines: string[] = [];
    const supervisor = supervise({ command: path.join(dir, 'no-such-node'), args: [], log: (l) => lines.push(l) });
    expect(await supervisor.done).toBe(1);
    expect(lines[0]).toMatch(/^サーバーを起動できません: spawn .*no-such-node ENOENT$/);
  });
});
