import type { JsonValue } from '../numpy/json-values';
import type { CaseRng } from './rng';
import type { Mismatch } from './compare';

/** What the grader of one code item needs to know; references live in graders/references/<key>.ts. */
export interface CodeGrader {
  key: string;
  /** Python that defines the helpers the template calls (_sigmoid, rnn_net, …); shown read-only to the learner. */
  prelude: string;
  /** Python expression that runs the template on a case's inputs, e.g. `gru(x, h, W_r, U_r, W_z, U_z, W, U)`. */
  call: string;
  /** Mistakes learners make, beyond the item's choices: the tests check that each one fails. */
  knownWrong: string[];
  /**
   * Names of the items of the tuple `call` returns (`['h_next', 'dx', 'dh_prev', 'dWx', 'dWh', 'db']` for a layer run
   * forward and backward), so a mismatch says which value differs.
   */
  resultNames?: readonly string[];
  /** How many cases to grade on (at least 5; case 0 is the visible example). */
  cases: number;
  /** The inputs of case `index`, bound as globals before `call` runs. Values in sensible ranges for the item. */
  makeCase(rng: CaseRng, index: number): Record<string, JsonValue>;
  /** The tfjs reference: the call's result, and the values the blank must produce in order (null: not checked). */
  reference(inputs: Record<string, JsonValue>): { result: JsonValue; blanks: JsonValue[] | null };
}

/** The part of a question the code grader reads. */
export interface CodeItem {
  id: string;
  kind: 'code' | 'function';
  template: string;
}

/** A learner's mistake while running: Python class, Japanese message, and where (in the answer or the template). */
export interface CodeError {
  type: string;
  message: string;
  /** 1-based, relative to the learner's own code when `where` is 'answer' */
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  where: 'answer' | 'template';
  /** set when a resource limit stopped the run (timeoutMs, maxSteps, …) */
  limit?: string;
}

export interface CaseReport {
  index: number;
  /** case 0 is the example shown to the learner; the others are hidden */
  visible: boolean;
  passed: boolean;
  /** which value differed: the n-th value of the blank, or the function's result */
  mismatch?: Mismatch & { source: 'blank' | 'result'; blankIndex?: number };
  error?: CodeError;
}

export type CodeVerdictKind = 'correct' | 'incorrect' | 'error';

export interface CodeVerdict {
  verdict: CodeVerdictKind;
  passed: number;
  total: number;
  /** one line for the learner, in Japanese */
  message: string;
  cases: CaseReport[];
  seed: number;
}
