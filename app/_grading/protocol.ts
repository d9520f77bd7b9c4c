import type { ExampleRun } from '@/graders/code/grade-code';
import type { CodeItem, CodeVerdict } from '@/graders/code/types';

/** `auto`: WebGL on a hardware GPU, wasm where WebGL is rendered in software (slower there than wasm on every item). */
export type BackendChoice = 'auto' | 'webgl' | 'wasm' | 'cpu';

/** What to compile ahead of the learner's first run: the item's reference and its template. */
export interface WarmSpec {
  item: CodeItem;
  graderKey: string;
  seed: number;
}

/** Page → grading Web Worker. */
export type WorkerRequest =
  /** `debug`, `flags` (tfjs environment flags) and `referenceOnGpu` (as before the cpu reference): benchmarks only; `debug` makes every grade reply carry its GPU→CPU reads and shader compiles */
  | { id: number; type: 'init'; prefer: BackendChoice; warm?: WarmSpec; debug?: boolean; flags?: Record<string, number | boolean>; referenceOnGpu?: boolean }
  | { id: number; type: 'grade'; item: CodeItem; graderKey: string; code: string; seed: number }
  | { id: number; type: 'run'; item: CodeItem; graderKey: string; code: string; seed: number };

/** Grading Web Worker → page. */
export type WorkerReply =
  /** `softwareRenderer`: the software WebGL renderer that made `auto` choose wasm */
  | { id: number; type: 'ready'; backend: string; halfPrecision: boolean; softwareRenderer?: string }
  | { id: number; type: 'grade'; verdict: CodeVerdict; backend: string; elapsedMs: number; stats?: GradeStats }
  | { id: number; type: 'run'; run: ExampleRun; backend: string; elapsedMs: number }
  | { id: number; type: 'failed'; message: string }
  /** benchmarks only (init with `debug`): the warm-up after `ready` finished or was stopped */
  | { id: number; type: 'warmed' };

/** What one request cost the backend (only with `debug`): reads back to the CPU and shader programs compiled. */
export interface GradeStats {
  /** dataSync / data / arraySync calls that reached the backend */
  reads: number;
  /** of those, reads that had to download from the GPU (WebGL only; equals `reads` elsewhere) */
  gpuReads: number;
  /** WebGL shader programs compiled (0 elsewhere) */
  programs: number;
}
