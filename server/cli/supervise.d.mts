import type { SpawnOptions } from 'node:child_process';

export interface SuperviseOptions {
  command: string;
  args: string[];
  options?: SpawnOptions;
  log?: (line: string) => void;
  /** first restart delay (1 s); doubles up to maxDelayMs (30 s) */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** a run that stayed up this long resets the delay (60 s) */
  stableMs?: number;
  /** this many crashes within crashWindowMs give up (5 in 5 minutes) */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** exit codes that end the supervisor without a restart: the server said what to fix ([78], EX_CONFIG) */
  noRestartCodes?: number[];
}

export interface Supervisor {
  /** the exit code for the supervising process */
  done: Promise<number>;
  /** passes the signal to the server and does not restart it */
  stop(signal?: NodeJS.Signals): void;
  restarts(): number;
}

export declare function supervise(options: SuperviseOptions): Supervisor;
