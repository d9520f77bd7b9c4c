/**
 * Sizes of what a grading run sends back, capped where the run happens (the server's grading process, the
 * browser's Web Worker) before the message is posted: a hostile answer must not make the receiving side
 * deserialize megabytes. A cut value ends with OMITTED so the learner sees that something was left out.
 *
 *   what                                          cap
 *   verdict message, ok:false error text          2,000 characters
 *   a case's error message, a mismatch message    1,000 characters
 *   error class name, mismatch path               100 / 200 characters
 *   shapes and indices in a mismatch              32 dimensions
 *   printed output (実行)                          10,000 characters
 *   each value shown back (result, blank values)  10,000 characters of JSON; longer: a {repr} preview
 *   blank values kept (実行)                       20 (the first is the one shown)
 *
 * So a verdict stays under ~30 KB whatever the answer does (a grader has at most a dozen cases).
 */
import type { JsonValue } from '../numpy/json-values';
import type { ExampleRun } from './grade-code';
import type { CaseReport, CodeError, CodeVerdict } from './types';

export const OMITTED = '…（省略）';

export const CAPS = Object.freeze({
  message: 2_000,
  errorMessage: 1_000,
  errorType: 100,
  path: 200,
  dims: 32,
  stdout: 10_000,
  valueJson: 10_000,
  blanks: 20,
});

/** `text` cut to `max` characters plus the marker (never splitting a surrogate pair). */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end) + OMITTED;
}

function capDims(dims: number[] | undefined): number[] | undefined {
  return dims && dims.length > CAPS.dims ? dims.slice(0, CAPS.dims) : dims;
}

/**
 * Writes `value` as JSON but stops once `budget` characters are written (never building the whole text of a
 * huge value). Returns the text and whether it is complete.
 */
export function boundedJson(value: JsonValue, budget: number): { text: string; complete: boolean } {
  const parts: string[] = [];
  let size = 0;
  const push = (s: string): boolean => {
    parts.push(s.length + size > budget ? s.slice(0, Math.max(0, budget - size)) : s);
    size += s.length;
    return size <= budget;
  };
  const walk = (v: unknown): boolean => {
    if (v === null || typeof v !== 'object') {
      // A long string is cut before JSON.stringify copies it whole.
      if (typeof v === 'string' && v.length > budget) return push(JSON.stringify(v.slice(0, budget)));
      return push(JSON.stringify(v) ?? 'null');
    }
    if (Array.isArray(v)) {
      if (!push('[')) return false;
      for (let i = 0; i < v.length; i++) {
        if (i > 0 && !push(',')) return false;
        if (!walk(v[i])) return false;
      }
      return push(']');
    }
    if (!push('{')) return false;
    let first = true;
    for (const [k, item] of Object.entries(v)) {
      if (!first && !push(',')) return false;
      first = false;
      if (!push(`${JSON.stringify(k)}:`) || !walk(item)) return false;
    }
    return push('}');
  };
  const complete = walk(value);
  return { text: parts.join(''), complete };
}

/** A value shown back to the learner: itself when small, else a {repr} with the start of its JSON. */
export function capValue(value: JsonValue, budget: number = CAPS.valueJson): JsonValue {
  const { text, complete } = boundedJson(value, budget);
  return complete ? value : { repr: capText(text, Math.min(200, budget)) };
}

function capError(error: CodeError): CodeError {
  return { ...error, type: capText(error.type, CAPS.errorType), message: capText(error.message, CAPS.errorMessage) };
}

function capCase(report: CaseReport): CaseReport {
  const out: CaseReport = { ...report };
  if (report.error) out.error = capError(report.error);
  if (report.mismatch) {
    const m = { ...report.mismatch, message: capText(report.mismatch.message, CAPS.errorMessage), path: capText(report.mismatch.path, CAPS.path) };
    const expectedShape = capDims(m.expectedShape);
    const gotShape = capDims(m.gotShape);
    const index = capDims(m.index);
    if (expectedShape) m.expectedShape = expectedShape;
    if (gotShape) m.gotShape = gotShape;
    if (index) m.index = index;
    out.mismatch = m;
  }
  return out;
}

/** The verdict with every text and value within CAPS. */
export function capVerdict(verdict: CodeVerdict): CodeVerdict {
  return { ...verdict, message: capText(verdict.message, CAPS.message), cases: verdict.cases.map(capCase) };
}

/** The example run with its output and values within CAPS. */
export function capRun(run: ExampleRun): ExampleRun {
  const out: ExampleRun = { ...run, stdout: capText(run.stdout, CAPS.stdout), blanks: run.blanks.slice(0, CAPS.blanks).map((b) => capValue(b)) };
  if (run.result !== undefined) out.result = capValue(run.result);
  if (run.error) out.error = capError(run.error);
  return out;
}
