import type { CodeItem, CodeVerdict } from '../../graders/code/types';
import type { ExampleRun, GradeOptions } from '../../graders/code/grade-code';

/** Messages between the server and its grading processes (plain data only). */
export interface GradeRequest {
  id: number;
  type: 'grade' | 'run';
  item: CodeItem;
  graderKey: string;
  code: string;
  seed: number;
  /** interpreter limits and case timeout; the defaults suit the course */
  options?: Pick<GradeOptions, 'caseTimeoutMs' | 'limits'>;
  /** whose job it is: the pool queues and shares its threads per learner (never sent to the grading process) */
  learner?: string;
}

export type GradeReply =
  | { id: number; ok: true; type: 'grade'; verdict: CodeVerdict; backend: string; elapsedMs: number }
  | { id: number; ok: true; type: 'run'; run: ExampleRun; backend: string; elapsedMs: number }
  | { id: number; ok: false; error: string };

/** Sent once by a grading process when tfjs is loaded and warm: the pool starts a job's clock only after it. */
export interface ReadyMessage {
  type: 'ready';
}
