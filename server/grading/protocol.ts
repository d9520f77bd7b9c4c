import type { CodeItem, CodeVerdict } from '../../graders/code/types';
import type { ExampleRun, GradeOptions } from '../../graders/code/grade-code';

/** Messages between the server and its grading threads (plain data only). */
export interface GradeRequest {
  id: number;
  type: 'grade' | 'run';
  item: CodeItem;
  graderKey: string;
  code: string;
  seed: number;
  /** interpreter limits and case timeout; the defaults suit the course */
  options?: Pick<GradeOptions, 'caseTimeoutMs' | 'limits'>;
}

export type GradeReply =
  | { id: number; ok: true; type: 'grade'; verdict: CodeVerdict; backend: string; elapsedMs: number }
  | { id: number; ok: true; type: 'run'; run: ExampleRun; backend: string; elapsedMs: number }
  | { id: number; ok: false; error: string };
