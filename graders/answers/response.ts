import { z } from 'zod';
import type { CaseReport, CodeVerdictKind } from '../code/types';

/** What a learner submits for one question; `type` is the form answered (a choice item may be answered in writing). */
export const ResponseSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('choice'), choice: z.string().max(1) }),
  z.strictObject({ type: z.literal('multi'), choices: z.array(z.string().max(1)).max(9) }),
  z.strictObject({ type: z.literal('numeric'), value: z.string().max(100) }),
  z.strictObject({ type: z.literal('text'), value: z.string().max(500) }),
  z.strictObject({ type: z.literal('written'), value: z.string().max(4000) }),
  /** code items: the blank's code; function items: the whole function */
  z.strictObject({ type: z.literal('code'), code: z.string().max(8000) }),
]);

export type Response = z.infer<typeof ResponseSchema>;

export type Verdict = 'correct' | 'partial' | 'incorrect';

export interface RubricFeedback {
  point: string;
  /** pre-ticked by the automatic match, a guide only */
  matched: boolean;
  /** the point's weight in the score (absent in answers stored before weights were kept: 1) */
  weight?: number;
}

/** The learner's confirmation of a written answer: which rubric points it covers. The answer's score then comes from it. */
export interface SelfAssessment {
  /** per rubric point, in order */
  met: boolean[];
  /** the automatic (provisional) score the answer had before it was confirmed */
  autoScore: number;
  /** ms since the epoch of the last confirmation */
  at: number;
}

export interface Graded {
  verdict: Verdict;
  /** 0..1 */
  score: number;
  feedback: { rubric?: RubricFeedback[]; selfAssessment?: SelfAssessment; parsed?: number; code?: CodeFeedback } | null;
}

/** How a code answer was graded: the server's authoritative run, and what the browser had said. */
export interface CodeFeedback {
  verdict: CodeVerdictKind;
  message: string;
  passed: number;
  total: number;
  cases: CaseReport[];
  /** the server's tfjs backend (cpu or wasm) */
  backend: string;
  elapsedMs: number;
  browser: { verdict: CodeVerdictKind; backend: string; passed: number; total: number } | null;
}

/** A format error is not a wrong answer: nothing is recorded and the learner may answer again. */
export type GradeOutcome = { ok: true; graded: Graded } | { ok: false; message: string };
