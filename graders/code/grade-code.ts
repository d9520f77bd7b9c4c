/**
 * Grades a code answer by running it: the learner's blank inside the item's template (or the learner's whole
 * function) on seeded random cases, compared with the item's tfjs reference. Pure apart from tfjs: the same code
 * runs in a worker thread on the server (cpu/wasm) and in a Web Worker in the browser (WebGL).
 */
import { evaluateWith, checkSyntax, type ErrorInfo, type Limits } from '../numpy/index';
import * as tf from '@tensorflow/tfjs-core';
import { arraysOf, readArrays, toJson, type JsonValue, type ReadValues } from '../numpy/json-values';
import { PyArray, type PyBuiltin, type PyValue } from '../numpy/values';
import { FLOAT32_TOLERANCE, compareValues, type Mismatch, type Tolerance } from './compare';
import { BLANK_HOOK, composeProgram, locate, type Composed } from './compose';
import { CaseRng, caseSeed } from './rng';
import type { CaseReport, CodeError, CodeGrader, CodeItem, CodeVerdict } from './types';

export interface GradeOptions {
  tolerance?: Tolerance;
  /** wall time of one case (the interpreter's own limit) */
  caseTimeoutMs?: number;
  /** grade only the first n cases (the visible example is case 0) */
  onlyCases?: number;
  /** the interpreter's other limits (steps, elements, recursion…), defaults otherwise */
  limits?: Partial<Limits>;
  /**
   * Runs the reference's computation (the browser's worker runs it on the cpu backend: on WebGL it would compile
   * its own shaders and read every value back, for numbers the learner's code never sees).
   */
  referenceOn?: <T>(compute: () => T) => T;
}

const DEFAULT_CASE_TIMEOUT_MS = 1_000;

/** The inputs of every case of a submission: the same seed gives the same inputs. */
export function makeCases(grader: CodeGrader, seed: number, count = grader.cases): Record<string, JsonValue>[] {
  return Array.from({ length: count }, (_, i) => grader.makeCase(new CaseRng(caseSeed(seed, i)), i));
}

function toCodeError(info: ErrorInfo, composed: Composed): CodeError {
  const place = info.line > 0 ? locate(composed, info) : { line: 1, col: 1, where: 'answer' as const };
  const error: CodeError = { type: info.type, message: info.message, ...place };
  if (info.limit) error.limit = info.limit;
  return error;
}

/** A syntax check of the answer on its own, so a parse error points into the learner's code. */
export function answerSyntaxError(item: CodeItem, answer: string): CodeError | undefined {
  if (!answer.trim()) return { type: 'SyntaxError', message: 'コードを入力してください。', line: 1, col: 1, where: 'answer' };
  const standalone = item.kind === 'function' ? answer : `(${answer}\n)`;
  const info = checkSyntax(standalone);
  if (!info) return undefined;
  // Positions past the answer (the wrapper's closing paren) point at the answer's end instead.
  const lines = answer.split('\n');
  if (info.line > lines.length) return { type: info.type, message: info.message, line: lines.length, col: (lines.at(-1)?.length ?? 0) + 1, where: 'answer' };
  const col = item.kind === 'function' || info.line > 1 ? info.col : Math.max(1, info.col - 1);
  return { type: info.type, message: info.message, line: info.line, col, where: 'answer' };
}

interface CaseRun {
  ok: boolean;
  result?: JsonValue;
  blanks: JsonValue[];
  stdout: string;
  error?: CodeError;
  mismatch?: CaseReport['mismatch'];
}

/** A blank's array, kept past the run's scope, read with the other values of its case. */
interface HeldBlank {
  index: number;
  tensor: tf.Tensor;
}

function arrayShape(v: JsonValue): number[] | undefined {
  if (typeof v === 'number' || typeof v === 'boolean') return [];
  return v !== null && typeof v === 'object' && 'shape' in v && 'data' in v ? v.shape : undefined;
}

/**
 * Runs one case. With `expected`, every value the blank produces is checked, and the first one that differs stops
 * the run or, if the run went on, is what the case reports (so a wrong shape is reported as such, not as a later
 * crash in the template). A blank's shape is checked at once; its numbers are read with the case's result in one
 * read (on WebGL every read waits for the GPU: a blank inside a loop used to cost a read per step).
 */
function runCase(
  item: CodeItem,
  grader: CodeGrader,
  composed: Composed,
  inputs: Record<string, JsonValue>,
  options: GradeOptions,
  expected?: { result: JsonValue; blanks: JsonValue[] | null },
): CaseRun {
  const tolerance = options.tolerance ?? FLOAT32_TOLERANCE;
  const blanks: JsonValue[] = [];
  const held: HeldBlank[] = [];
  let mismatch: CaseReport['mismatch'];
  const fail = (m: Mismatch, index: number) => {
    mismatch = { ...m, source: 'blank', blankIndex: index };
    throw new BlankMismatch();
  };
  const hook: PyBuiltin = {
    kind: 'builtin',
    name: BLANK_HOOK,
    call: (_ctx, args) => {
      const value = args[0] as PyValue;
      const index = blanks.length;
      const want = expected?.blanks;
      if (want && index >= want.length) fail({ kind: 'length', path: '', message: `空欄が想定（${want.length} 回）より多く評価されました` }, index);
      const wantShape = want ? arrayShape(want[index]!) : undefined;
      if (value.kind === 'array' && (!want || wantShape)) {
        if (wantShape && wantShape.join() !== value.shape.join()) fail(compareValues(want![index]!, toJson(value), tolerance)!, index);
        blanks.push(null); // filled in after the run
        held.push({ index, tensor: tf.keep(tf.clone(value.t)) });
        return value;
      }
      const json = toJson(value);
      blanks.push(json);
      const m = want && compareValues(want[index]!, json, tolerance);
      if (m) fail(m, index);
      return value;
    },
  };
  // The held blanks are read with the result while the run's tensors live; after a failed run, on their own.
  let readHeld = false;
  const fillHeld = (values: ReadValues) => {
    for (const h of held) blanks[h.index] = toJson(new PyArray(h.tensor), undefined, values);
    readHeld = true;
  };
  let run: ReturnType<typeof evaluateWith<{ result: JsonValue }>>;
  try {
    run = evaluateWith(composed.source, { ...inputs, [BLANK_HOOK]: hook }, {
        ...options.limits,
        timeoutMs: options.caseTimeoutMs ?? DEFAULT_CASE_TIMEOUT_MS,
        // The code length limit counts the learner's code only: a template may hold several textbook classes.
        learnerSpan: { from: composed.answerFrom, to: composed.answerTo },
      }, ({ value }) => {
      const values = readArrays(arraysOf(value, held.map((h) => h.tensor)));
      fillHeld(values);
      return { result: toJson(value, undefined, values) };
    });
    if (!readHeld) fillHeld(readArrays(held.map((h) => h.tensor)));
  } finally {
    for (const h of held) h.tensor.dispose();
  }
  // The first blank that differs wins over what happened after it (a stop at a later blank, an error, the result).
  const want = expected?.blanks;
  if (want) {
    for (const h of held) {
      if (mismatch?.blankIndex !== undefined && h.index > mismatch.blankIndex) break;
      const m = compareValues(want[h.index]!, blanks[h.index]!, tolerance);
      if (m) {
        mismatch = { ...m, source: 'blank', blankIndex: h.index };
        break;
      }
    }
  }
  if (mismatch) return { ok: false, blanks, stdout: run.stdout, mismatch };
  if (!run.ok) return { ok: false, blanks, stdout: run.stdout, error: toCodeError(run.error, composed) };
  if (expected) {
    if (expected.blanks && blanks.length < expected.blanks.length) {
      const m: Mismatch = {
        kind: 'length',
        path: '',
        message: blanks.length === 0 ? '空欄のコードが一度も評価されませんでした' : `空欄の評価回数が足りません: 期待 ${expected.blanks.length} 回、実際 ${blanks.length} 回`,
      };
      return { ok: false, blanks, stdout: run.stdout, result: run.result, mismatch: { ...m, source: 'blank' } };
    }
    const m = compareValues(expected.result, run.result, tolerance, '', grader.resultNames);
    if (m) return { ok: false, blanks, stdout: run.stdout, result: run.result, mismatch: { ...m, source: 'result' } };
  }
  return { ok: true, blanks, stdout: run.stdout, result: run.result };
}

/** Thrown by the blank hook to stop a run at the first wrong value; never reaches the learner. */
class BlankMismatch extends Error {}

function describeMismatch(report: CaseReport): string {
  const m = report.mismatch!;
  const what = m.source === 'blank' ? `空欄の値（${(m.blankIndex ?? 0) + 1} 回目）` : '関数の戻り値';
  return `${what}: ${m.message}`;
}

function caseName(index: number): string {
  return index === 0 ? '例のケース' : `非公開ケース ${index}`;
}

/** Grades a submission: correct when every case agrees with the reference. */
export function gradeCode(item: CodeItem, grader: CodeGrader, answer: string, seed: number, options: GradeOptions = {}): CodeVerdict {
  const total = Math.min(grader.cases, options.onlyCases ?? grader.cases);
  const syntax = answerSyntaxError(item, answer);
  if (syntax) {
    return { verdict: 'error', passed: 0, total, seed, message: `${syntax.type}: ${syntax.message}（${syntax.line}行${syntax.col}列）`, cases: [{ index: 0, visible: true, passed: false, error: syntax }] };
  }
  const composed = composeProgram(item, grader.prelude, grader.call, answer);
  const cases: CaseReport[] = [];
  for (const [index, inputs] of makeCases(grader, seed, total).entries()) {
    let run: CaseRun;
    if (options.referenceOn) {
      run = runCase(item, grader, composed, inputs, options, options.referenceOn(() => grader.reference(inputs)));
      // A backend's own rounding (WebGL's sin of a large angle) can differ from the other backend's by more than
      // the tolerance: a value that differs is checked again against the reference on the learner's backend, so
      // the verdict is never stricter than with that reference alone.
      if (run.mismatch) run = runCase(item, grader, composed, inputs, options, grader.reference(inputs));
    } else {
      run = runCase(item, grader, composed, inputs, options, grader.reference(inputs));
    }
    const report: CaseReport = { index, visible: index === 0, passed: run.ok };
    if (run.mismatch) report.mismatch = run.mismatch;
    if (run.error) report.error = run.error;
    cases.push(report);
    // A limit (time, steps, memory) will be hit again by every case: stop here.
    if (run.error?.limit) break;
  }
  const passed = cases.filter((c) => c.passed).length;
  if (passed === total) return { verdict: 'correct', passed, total, seed, cases, message: `正解です。${total} ケースすべてで参照実装と一致しました。` };
  const firstError = cases.find((c) => c.error);
  const firstMismatch = cases.find((c) => c.mismatch);
  if (firstError && !firstMismatch) {
    const e = firstError.error!;
    const place = e.where === 'answer' ? `あなたのコードの ${e.line}行${e.col}列` : `テンプレートの ${e.line}行目`;
    return { verdict: 'error', passed, total, seed, cases, message: `${caseName(firstError.index)}で ${e.type}: ${e.message}（${place}）` };
  }
  const first = firstMismatch ?? cases.find((c) => !c.passed)!;
  return { verdict: 'incorrect', passed, total, seed, cases, message: `${caseName(first.index)}で参照実装と一致しません。${describeMismatch(first)}` };
}

export interface ExampleRun {
  ok: boolean;
  /** the call's result on the example case */
  result?: JsonValue;
  /** every value the blank produced */
  blanks: JsonValue[];
  stdout: string;
  error?: CodeError;
  inputs: Record<string, JsonValue>;
}

/** `実行`: runs the answer on the visible example case only, without comparing (costs no attempt). */
export function runExample(item: CodeItem, grader: CodeGrader, answer: string, seed: number, options: GradeOptions = {}): ExampleRun {
  const inputs = makeCases(grader, seed, 1)[0]!;
  const syntax = answerSyntaxError(item, answer);
  if (syntax) return { ok: false, blanks: [], stdout: '', error: syntax, inputs };
  const composed = composeProgram(item, grader.prelude, grader.call, answer);
  const run = runCase(item, grader, composed, inputs, options);
  const out: ExampleRun = { ok: run.ok, blanks: run.blanks, stdout: run.stdout, inputs };
  if (run.result !== undefined) out.result = run.result;
  if (run.error) out.error = run.error;
  return out;
}
