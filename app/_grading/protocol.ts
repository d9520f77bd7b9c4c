import type { ExampleRun } from '@/graders/code/grade-code';
import type { CodeItem, CodeVerdict } from '@/graders/code/types';

export type BackendChoice = 'webgl' | 'wasm' | 'cpu';

/** What to compile ahead of the learner's first run: the item's reference and its template. */
export interface WarmSpec {
  item: CodeItem;
  graderKey: string;
  seed: number;
}

/** Page → grading Web Worker. */
export type WorkerRequest =
  | { id: number; type: 'init'; prefer: BackendChoice; warm?: WarmSpec }
  | { id: number; type: 'grade'; item: CodeItem; graderKey: string; code: string; seed: number }
  | { id: number; type: 'run'; item: CodeItem; graderKey: string; code: string; seed: number };

/** Grading Web Worker → page. */
export type WorkerReply =
  | { id: number; type: 'ready'; backend: string; halfPrecision: boolean }
  | { id: number; type: 'grade'; verdict: CodeVerdict; backend: string; elapsedMs: number }
  | { id: number; type: 'run'; run: ExampleRun; backend: string; elapsedMs: number }
  | { id: number; type: 'failed'; message: string };
