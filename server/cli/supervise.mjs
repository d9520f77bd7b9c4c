// Keeps the server running: `npm start` runs it under this supervisor, which starts it again when it exits
// unexpectedly. Plain JavaScript like start.mjs (it runs before tsx is known to be there).
//
//   exit code 0                     the server stopped on purpose: the supervisor ends too (code 0)
//   exit code 78 (EX_CONFIG)        the server said what to fix (e.g. a read-only database): no restart
//   stop(signal) (SIGINT/SIGTERM)   passed to the server; no restart; ends with the server's code
//   any other exit (code ≠ 0, killed by a signal, e.g. out of memory)
//                                   logged and restarted after a delay: 1 s, doubling up to 30 s; the delay
//                                   goes back to 1 s once a run stayed up for a minute
//   maxCrashes crashes within crashWindowMs (5 in 5 minutes)
//                                   gives up with a message and ends with the last exit code (1 after a signal)
import { spawn } from 'node:child_process';

/** Runs the command and restarts it as above (types in supervise.d.mts). */
export function supervise(opts) {
  const log = opts.log ?? ((line) => console.error(line));
  const initialDelayMs = opts.initialDelayMs ?? 1_000;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  const stableMs = opts.stableMs ?? 60_000;
  const maxCrashes = opts.maxCrashes ?? 5;
  const crashWindowMs = opts.crashWindowMs ?? 5 * 60_000;
  const noRestartCodes = opts.noRestartCodes ?? [78];

  let child;
  let stopping = false;
  let delay = initialDelayMs;
  let pending;
  let restarts = 0;
  let crashes = [];
  let finish;
  const done = new Promise((resolve) => (finish = resolve));

  const start = () => {
    pending = undefined;
    const startedAt = Date.now();
    const current = spawn(opts.command, opts.args, opts.options ?? {});
    child = current;
    current.once('error', (error) => {
      // Could not start at all (or could not be signalled): nothing a restart would fix.
      if (current.pid === undefined) {
        log(`サーバーを起動できません: ${error.message}`);
        finish(1);
      }
    });
    current.once('exit', (code, signal) => {
      if (stopping) return finish(code ?? 0);
      if (code === 0) return finish(0);
      if (code !== null && noRestartCodes.includes(code)) return finish(code);
      const now = Date.now();
      const upMs = now - startedAt;
      if (upMs >= stableMs) delay = initialDelayMs;
      crashes = [...crashes.filter((t) => now - t < crashWindowMs), now];
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (crashes.length >= maxCrashes) {
        log(
          `サーバーが ${Math.round(crashWindowMs / 1000)} 秒間に ${crashes.length} 回異常終了したため、再起動をあきらめます (最後: ${how})。` +
            'ログを確認してから npm start をやり直してください。',
        );
        return finish(code || 1);
      }
      log(`サーバーが異常終了しました (${how}, 起動から ${(upMs / 1000).toFixed(1)} 秒)。${(delay / 1000).toFixed(delay < 1000 ? 2 : 0)} 秒後に再起動します。`);
      restarts += 1;
      pending = setTimeout(start, delay);
      delay = Math.min(maxDelayMs, delay * 2);
    });
  };

  start();
  return {
    done,
    restarts: () => restarts,
    stop(signal = 'SIGTERM') {
      if (stopping) return;
      stopping = true;
      if (pending) {
        clearTimeout(pending);
        finish(0);
      } else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
