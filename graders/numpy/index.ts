// Public API of the numpy interpreter. Runs unchanged in Node and in a browser Web Worker: it imports only
// @tensorflow/tfjs-core and @lezer/*; the host picks the backend (backend-node.ts / backend-browser.ts).
//
// Every entry point is synchronous and tensor-leak free: an evaluation runs inside a tfjs scope and only plain
// data leaves it. Learner mistakes come back as values ({ ok: false, error }) with a Python class name, a
// Japanese message and a 1-based line/column; limits are errors too (error.limit names the limit).

import * as tf from '@tensorflow/tfjs-core';
import type { Program } from './ast';
import { msg, PyError, type PyErrorType } from './errors';
import { Interpreter, isStackOverflow } from './eval';
import { InputError, type JsonCaps, type JsonValue, fromJson, toJson, toJsonText } from './json-values';
import { type LimitName, type Limits, defaultLimits, resolveLimits } from './limits';
import { ParseCache, lineCol } from './parse';
import { PyArray, type PyValue, pyList, pyTuple } from './values';

export type { JsonValue } from './json-values';
export type { Limits, LimitName } from './limits';
export type { PyValue } from './values';
export { defaultLimits } from './limits';
export { PyArray } from './values';
export { InputError, fromJson, toJson, toJsonText } from './json-values';

/** An input: a JSON value (CLI codec), an interpreter value, or a tensor (wrapped, never disposed by us). */
export type InputValue = JsonValue | PyValue | tf.Tensor;

export interface EvalOptions extends Partial<Limits> {
  /** Seed of np.random's global state (default 0). */
  seed?: number;
  /**
   * Where the learner's code sits in `code` (offsets), when the host composed it with a template or prelude:
   * `maxCodeLength` then counts those characters only, and the whole program may be up to
   * HOST_CODE_FACTOR × maxCodeLength (host text is trusted, but still bounded).
   */
  learnerSpan?: { from: number; to: number };
}

/** How much longer than `maxCodeLength` a host-composed program (template + prelude + learner code) may be. */
export const HOST_CODE_FACTOR = 10;

export interface ErrorInfo {
  /** Python / numpy class name (ValueError, IndexError, …), 'InputError' for malformed inputs, 'InternalError' for bugs. */
  type: PyErrorType | 'InputError';
  message: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
  /** Set when a resource limit was hit. */
  limit?: LimitName;
  /** Internal detail for logs (never shown to learners). */
  detail?: string;
}

export type Result<T> = ({ ok: true; stdout: string } & T) | { ok: false; error: ErrorInfo; stdout: string };
export type EvalResult = Result<{ value: JsonValue }>;

const cache = new ParseCache(512);

function isPyValue(v: unknown): v is PyValue {
  if (v instanceof PyArray) return true;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const k = (v as { kind?: unknown }).kind;
  return typeof k === 'string' && !('dtype' in v);
}

/** Copy containers and array wrappers so learner code cannot mutate the host's values. */
function copyIn(v: PyValue): PyValue {
  switch (v.kind) {
    case 'array':
      return new PyArray(v.t, v.scalar);
    case 'list':
      return pyList(v.items.map(copyIn));
    case 'tuple':
      return pyTuple(v.items.map(copyIn));
    case 'dict': {
      const map = new Map<string, [PyValue, PyValue]>();
      for (const [h, [k, x]] of v.map) map.set(h, [k, copyIn(x)]);
      return { kind: 'dict', map };
    }
    default:
      return v;
  }
}

export function toPyValue(v: InputValue, path = 'value'): PyValue {
  if (v instanceof tf.Tensor) return new PyArray(v);
  if (isPyValue(v)) return copyIn(v);
  return fromJson(v, path);
}

/** A tensor holding an array value; the caller owns (and must dispose) it. */
export function toTensor(v: PyValue): tf.Tensor {
  if (v.kind !== 'array') throw new InputError('not an array');
  return tf.keep(tf.clone(v.t));
}

function errorInfo(e: unknown, source: string): ErrorInfo {
  if (e instanceof PyError) {
    const from = e.span?.from ?? 0;
    const to = e.span?.to ?? from;
    const a = lineCol(source, from);
    const b = lineCol(source, to);
    const info: ErrorInfo = { type: e.type, message: e.pyMessage, line: a.line, col: a.col, endLine: b.line, endCol: b.col };
    if (e.limit) info.limit = e.limit;
    return info;
  }
  if (e instanceof InputError) return { type: 'InputError', message: e.message, line: 0, col: 0 };
  if (isStackOverflow(e)) {
    return { type: 'RecursionError', message: msg.stackOverflow(), line: 1, col: 1, limit: 'maxRecursion' };
  }
  const detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { type: 'InternalError', message: msg.internal(), line: 1, col: 1, detail };
}

interface Run {
  interp: Interpreter;
  program: Program;
  value: PyValue;
}

/**
 * Run `code` with `inputs` bound as globals, then `read` the outcome while the tensors are alive.
 * Everything allocated is disposed afterwards; `read` must return plain data.
 */
export function evaluateWith<T extends object>(
  code: string,
  inputs: Record<string, InputValue>,
  options: EvalOptions,
  read: (run: Run) => T,
): Result<T> {
  const limits = resolveLimits(options);
  let interp: Interpreter | null = null;
  tf.engine().startScope();
  try {
    const span = options.learnerSpan;
    if (span) {
      const from = Math.max(0, Math.min(span.from, code.length));
      const to = Math.max(from, Math.min(span.to, code.length));
      if (to - from > limits.maxCodeLength) {
        throw new PyError('MemoryError', msg.codeTooLong(limits.maxCodeLength), { from, to: from }, 'maxCodeLength');
      }
      if (code.length > limits.maxCodeLength * HOST_CODE_FACTOR) {
        throw new PyError('MemoryError', msg.codeTooLong(limits.maxCodeLength * HOST_CODE_FACTOR), { from: 0, to: 0 }, 'maxCodeLength');
      }
    } else if (code.length > limits.maxCodeLength) {
      throw new PyError('MemoryError', msg.codeTooLong(limits.maxCodeLength), { from: 0, to: 0 }, 'maxCodeLength');
    }
    const program = cache.get(code);
    interp = new Interpreter(limits, options.seed ?? 0);
    for (const [name, v] of Object.entries(inputs)) interp.globals.vars.set(name, toPyValue(v, `inputs.${name}`));
    const value = interp.run(program);
    let out: T;
    try {
      out = read({ interp, program, value });
    } catch (e) {
      // a value too big to return points at the statement that produced it
      const last = program.body[program.body.length - 1];
      if (e instanceof PyError && !e.span) e.span = last?.span ?? { from: 0, to: 0 };
      throw e;
    }
    return { ok: true, stdout: interp.stdout, ...out };
  } catch (e) {
    return { ok: false, error: errorInfo(e, code), stdout: interp?.stdout ?? '' };
  } finally {
    tf.engine().endScope();
  }
}

/** Evaluate a snippet; its value is that of the last statement when it is an expression (like a REPL). */
export function evaluate(code: string, inputs: Record<string, InputValue> = {}, options: EvalOptions = {}): EvalResult {
  return evaluateWith(code, inputs, options, ({ interp, value }) => ({ value: toJson(value, jsonCaps(interp)) }));
}

/** Values leaving an evaluation are bounded like the values inside it. */
function jsonCaps(interp: Interpreter): JsonCaps {
  return { maxElements: interp.limits.maxArrayElements, maxNesting: interp.maxNesting };
}

/** Like evaluate, with the value as JSON text (floats keep their fraction: `2.0`). Used by the CLI. */
export function evaluateToText(code: string, inputs: Record<string, InputValue> = {}, options: EvalOptions = {}): Result<{ valueText: string }> {
  return evaluateWith(code, inputs, options, ({ interp, value }) => ({ valueText: toJsonText(value, jsonCaps(interp)) }));
}

function readGlobals(interp: Interpreter, names: readonly string[] | undefined): Record<string, JsonValue> {
  const globals = interp.globals;
  const out: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
  const wanted = names ?? [...globals.vars.keys()];
  for (const name of wanted) {
    const v = globals.vars.get(name);
    if (v === undefined || v.kind === 'module' || v.kind === 'function' || v.kind === 'builtin' || v.kind === 'class' || v.kind === 'exctype') continue;
    out[name] = toJson(v, jsonCaps(interp));
  }
  return out;
}

export interface RunOptions extends EvalOptions {
  /** Globals to read back (default: every global that is data, not functions or modules). */
  read?: readonly string[];
}

/** Run a program and read back its global variables (after the run). */
export function runProgram(
  code: string,
  inputs: Record<string, InputValue> = {},
  options: RunOptions = {},
): Result<{ value: JsonValue; globals: Record<string, JsonValue> }> {
  return evaluateWith(code, inputs, options, ({ interp, value }) => ({ value: toJson(value, jsonCaps(interp)), globals: readGlobals(interp, options.read) }));
}

/**
 * Run a program (typically a template that defines functions), then call the function `name` with `args`.
 * Errors raised inside the function are reported at their position in `code`.
 */
export function callFunction(
  code: string,
  name: string,
  args: InputValue[],
  inputs: Record<string, InputValue> = {},
  options: RunOptions = {},
): Result<{ value: JsonValue; globals: Record<string, JsonValue> }> {
  return evaluateWith(code, inputs, options, ({ interp }) => {
    const fn = interp.globals.vars.get(name);
    if (!fn || (fn.kind !== 'function' && fn.kind !== 'builtin')) throw new PyError('NameError', msg.nameNotDefined(name), { from: 0, to: 0 });
    const value = interp.call(fn, args.map((a, i) => toPyValue(a, `args[${i}]`)));
    return { value: toJson(value, jsonCaps(interp)), globals: readGlobals(interp, options.read) };
  });
}

/** Parse only: null when the code parses, else the SyntaxError (for editors). */
export function checkSyntax(code: string): ErrorInfo | null {
  try {
    cache.get(code);
    return null;
  } catch (e) {
    return errorInfo(e, code);
  }
}

export const limitsDefaults: Readonly<Limits> = defaultLimits;
