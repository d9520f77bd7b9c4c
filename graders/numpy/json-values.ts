// The JSON value codec of the grader CLI (issue 3):
//
//   number        a Python int when integral, else a float (on output, floats are written with a fraction:
//                 `2.0`, so the rule holds both ways; 0-d arrays / numpy scalars are written as numbers too)
//   true / false  bool;   null  None;   "text"  str
//   [ … ]         a list (Python lists and tuples are both written as JSON lists)
//   {"dtype": "float32" | "int32" | "bool", "shape": [3, 4], "data": [flat, row-major]}   an ndarray
//
// Extensions (so every value can be written): non-finite numbers are the strings "nan", "inf", "-inf" inside
// `data`, and {"float": "nan" | "inf" | "-inf"} as a scalar; a dict is {"dict": [[key, value], …]};
// anything else (functions, modules, iterators) is written as {"repr": "<function f>"} and cannot be read.

import * as tf from '@tensorflow/tfjs-core';
import { msg, PyError } from './errors';
import { reprShort } from './format';
import { defaultLimits } from './limits';
import {
  type DType,
  FALSE,
  NONE,
  PyArray,
  type PyValue,
  TRUE,
  hashKey,
  nestingError,
  pyFloat,
  pyInt,
  pyList,
  pyStr,
  widenFloat32,
} from './values';

export type JsonScalar = number | boolean | null | string;
export interface JsonArray {
  dtype: DType;
  shape: number[];
  data: (number | boolean | string)[];
}
export interface JsonFloat {
  float: 'nan' | 'inf' | '-inf';
}
export interface JsonDict {
  dict: [JsonValue, JsonValue][];
}
export interface JsonRepr {
  repr: string;
}
export type JsonValue = JsonScalar | JsonValue[] | JsonArray | JsonFloat | JsonDict | JsonRepr;

/** A malformed input value (a host error, not a learner error). */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const DTYPES = new Set(['float32', 'int32', 'bool']);

function nonFinite(s: unknown): number | null {
  if (s === 'nan' || s === 'NaN') return NaN;
  if (s === 'inf' || s === 'Infinity') return Infinity;
  if (s === '-inf' || s === '-Infinity') return -Infinity;
  return null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON value → Python value. Tensors are created in the current tfjs scope. */
export function fromJson(v: unknown, path = 'value'): PyValue {
  if (v === null) return NONE;
  if (typeof v === 'boolean') return v ? TRUE : FALSE;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InputError(`${path}: non-finite number`);
    return Number.isInteger(v) ? pyInt(v) : pyFloat(v);
  }
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return pyList(v.map((x, i) => fromJson(x, `${path}[${i}]`)));
  if (!isRecord(v)) throw new InputError(`${path}: unsupported value`);
  if (Object.hasOwn(v, 'dtype')) return arrayFromJson(v, path);
  if (Object.hasOwn(v, 'float')) {
    const x = nonFinite(v.float);
    if (x === null) throw new InputError(`${path}.float: expected "nan", "inf" or "-inf"`);
    return pyFloat(x);
  }
  if (Object.hasOwn(v, 'dict')) {
    const pairs = v.dict;
    if (!Array.isArray(pairs)) throw new InputError(`${path}.dict: expected a list of [key, value] pairs`);
    const map = new Map<string, [PyValue, PyValue]>();
    pairs.forEach((p, i) => {
      if (!Array.isArray(p) || p.length !== 2) throw new InputError(`${path}.dict[${i}]: expected [key, value]`);
      const k = fromJson(p[0], `${path}.dict[${i}][0]`);
      map.set(hashKey(k), [k, fromJson(p[1], `${path}.dict[${i}][1]`)]);
    });
    return { kind: 'dict', map };
  }
  throw new InputError(`${path}: objects must be arrays ({"dtype", "shape", "data"}), {"float"} or {"dict"}`);
}

function arrayFromJson(v: Record<string, unknown>, path: string): PyArray {
  const { dtype, shape, data } = v;
  if (typeof dtype !== 'string' || !DTYPES.has(dtype)) throw new InputError(`${path}.dtype: expected "float32", "int32" or "bool"`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) >= 0)) {
    throw new InputError(`${path}.shape: expected a list of non-negative integers`);
  }
  if (!Array.isArray(data)) throw new InputError(`${path}.data: expected a flat list`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new InputError(`${path}.data: ${data.length} values for shape [${shape.join(', ')}] (${size})`);
  const values = data.map((x, i) => {
    if (typeof x === 'number') return x;
    if (typeof x === 'boolean') return x ? 1 : 0;
    const nf = nonFinite(x);
    if (nf !== null && dtype === 'float32') return nf;
    throw new InputError(`${path}.data[${i}]: expected a number`);
  });
  return new PyArray(tf.tensor(values, shape as number[], dtype as DType));
}

function floatToJson(x: number): number | JsonFloat {
  if (Number.isNaN(x)) return { float: 'nan' };
  if (!Number.isFinite(x)) return { float: x > 0 ? 'inf' : '-inf' };
  return x;
}

function elementToJson(x: number, dtype: DType): number | boolean | string {
  if (dtype === 'bool') return x !== 0;
  if (dtype === 'int32') return x;
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return widenFloat32(x);
}

/**
 * How much of a value toJson / toJsonText may write: `maxElements` scalars and array elements in all (a list
 * holding one list 1000 times counts it 1000 times) and `maxNesting` levels. Past either it throws a clean
 * MemoryError / RecursionError instead of building gigabytes.
 */
export interface JsonCaps {
  maxElements: number;
  maxNesting: number;
}

export const DEFAULT_JSON_CAPS: JsonCaps = Object.freeze({ maxElements: defaultLimits.maxArrayElements, maxNesting: 1000 });

class Budget {
  left: number;
  constructor(readonly caps: JsonCaps) {
    this.left = caps.maxElements;
  }
  take(n: number): void {
    this.left -= n;
    if (this.left < 0) throw new PyError('MemoryError', msg.limitValue(this.caps.maxElements), undefined, 'maxArrayElements');
  }
  enter(depth: number): void {
    if (depth >= this.caps.maxNesting) throw nestingError(this.caps.maxNesting);
  }
}

/** Values read ahead of toJson, by tensor (see readArrays). */
export type ReadValues = ReadonlyMap<tf.Tensor, ArrayLike<number>>;

/** Python value → JSON value (reads tensors synchronously, unless `read` holds their values already). */
export function toJson(v: PyValue, caps: JsonCaps = DEFAULT_JSON_CAPS, read?: ReadValues): JsonValue {
  return jsonOf(v, new Budget(caps), 0, read);
}

/** The tensors of a value's arrays (inside lists, tuples, dicts and sets), each once, at most `maxElements` in all. */
export function arraysOf(v: PyValue, out: tf.Tensor[] = [], maxElements = DEFAULT_JSON_CAPS.maxElements): tf.Tensor[] {
  const seen = new Set<PyValue>();
  let left = maxElements;
  const walk = (x: PyValue, depth: number): void => {
    if (depth > DEFAULT_JSON_CAPS.maxNesting || seen.has(x)) return;
    if (x.kind === 'array') {
      left -= x.t.size;
      if (left >= 0 && !out.includes(x.t)) out.push(x.t);
    } else if (x.kind === 'list' || x.kind === 'tuple') {
      seen.add(x);
      for (const item of x.items) walk(item, depth + 1);
    } else if (x.kind === 'dict') {
      seen.add(x);
      for (const [k, item] of x.map.values()) {
        walk(k, depth + 1);
        walk(item, depth + 1);
      }
    }
  };
  walk(v, 0);
  return out;
}

/**
 * Reads several tensors at once. On WebGL every read waits for the GPU and downloads a texture, so the tensors are
 * flattened and joined on the GPU and read in one download. WebGL keeps int32 and bool values in float textures and
 * rounds them when read (tfjs' `float32ToTypedArray`), so casting them to float32 for the join and rounding the joined
 * values gives the same numbers. A tensor whose values WebGL still holds in JS (never uploaded, or read before) is
 * read as it is: exactly, and without a download. Other backends hold every value in memory: each tensor is read directly.
 */
export function readArrays(tensors: readonly tf.Tensor[], join = tf.getBackend() === 'webgl'): Map<tf.Tensor, ArrayLike<number>> {
  const values = new Map<tf.Tensor, ArrayLike<number>>();
  const toJoin: tf.Tensor[] = [];
  for (const t of tensors) {
    if (t.size === 0) values.set(t, []);
    else if (!join || valuesOnCpu(t)) values.set(t, t.dataSync() as ArrayLike<number>);
    else toJoin.push(t);
  }
  if (toJoin.length === 1 && toJoin[0]!.dtype === 'float32') values.set(toJoin[0]!, toJoin[0]!.dataSync() as ArrayLike<number>);
  else if (toJoin.length > 0) {
    const joined = tf.tidy(() => tf.concat(toJoin.map((t) => tf.reshape(t.dtype === 'float32' ? t : tf.cast(t, 'float32'), [-1]))));
    const flat = joined.dataSync() as Float32Array;
    joined.dispose();
    let at = 0;
    for (const t of toJoin) {
      const part = flat.subarray(at, at + t.size);
      at += t.size;
      if (t.dtype === 'float32') values.set(t, part);
      else {
        const exact = t.dtype === 'int32' ? new Int32Array(part.length) : new Uint8Array(part.length);
        for (let i = 0; i < part.length; i++) exact[i] = Math.round(part[i]!);
        values.set(t, exact);
      }
    }
  }
  return values;
}

/** Whether the WebGL backend holds a tensor's values in JS (never uploaded, or cached by an earlier read): no download. */
function valuesOnCpu(t: tf.Tensor): boolean {
  const texData = (tf.backend() as unknown as { texData?: { get(id: object): { values?: unknown } | undefined } }).texData;
  return texData?.get(t.dataId)?.values != null;
}

function jsonOf(v: PyValue, b: Budget, depth: number, read?: ReadValues): JsonValue {
  b.take(1);
  switch (v.kind) {
    case 'none':
      return null;
    case 'bool':
      return v.v;
    case 'int':
      return v.v;
    case 'float':
      return floatToJson(v.v);
    case 'str':
      return v.v;
    case 'list':
    case 'tuple': {
      b.enter(depth);
      const out: JsonValue[] = new Array<JsonValue>(v.items.length);
      for (let i = 0; i < v.items.length; i++) out[i] = jsonOf(v.items[i]!, b, depth + 1, read);
      return out;
    }
    case 'dict': {
      b.enter(depth);
      if (v.flavor?.kind === 'set') return [...v.map.values()].map(([k]) => jsonOf(k, b, depth + 1, read));
      const pairs: [JsonValue, JsonValue][] = [];
      for (const [k, x] of v.map.values()) pairs.push([jsonOf(k, b, depth + 1, read), jsonOf(x, b, depth + 1, read)]);
      return { dict: pairs };
    }
    case 'array': {
      b.take(v.t.size);
      const data = read?.get(v.t) ?? (v.t.dataSync() as ArrayLike<number>);
      if (v.t.rank === 0) {
        const x = Number(data[0]);
        if (v.dtype === 'bool') return x !== 0;
        if (v.dtype === 'int32') return x;
        return floatToJson(widenFloat32(x));
      }
      const out: (number | boolean | string)[] = new Array<number | boolean | string>(data.length);
      for (let i = 0; i < data.length; i++) out[i] = elementToJson(Number(data[i]), v.dtype);
      return { dtype: v.dtype, shape: v.shape.slice(), data: out };
    }
    default:
      return { repr: reprShort(v) };
  }
}

/** JSON number text of a float: with a fraction (`2.0`, `-0.0`) so it reads back as a float. */
function floatText(x: number): string {
  if (Number.isNaN(x)) return '{"float":"nan"}';
  if (!Number.isFinite(x)) return x > 0 ? '{"float":"inf"}' : '{"float":"-inf"}';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return Number.isInteger(x) && !s.includes('e') ? `${s}.0` : s;
}

/** JSON text of a Python value, writing floats with a fraction (`2.0`, `-0.0`) so they read back as floats. */
export function toJsonText(v: PyValue, caps: JsonCaps = DEFAULT_JSON_CAPS): string {
  return textOf(v, new Budget(caps), 0);
}

function textOf(v: PyValue, b: Budget, depth: number): string {
  switch (v.kind) {
    case 'float':
      b.take(1);
      return floatText(v.v);
    case 'list':
    case 'tuple': {
      b.take(1);
      b.enter(depth);
      const parts: string[] = new Array<string>(v.items.length);
      for (let i = 0; i < v.items.length; i++) parts[i] = textOf(v.items[i]!, b, depth + 1);
      return `[${parts.join(',')}]`;
    }
    case 'dict': {
      b.take(1);
      b.enter(depth);
      const parts: string[] = [];
      if (v.flavor?.kind === 'set') {
        for (const [k] of v.map.values()) parts.push(textOf(k, b, depth + 1));
        return `[${parts.join(',')}]`;
      }
      for (const [k, x] of v.map.values()) parts.push(`[${textOf(k, b, depth + 1)},${textOf(x, b, depth + 1)}]`);
      return `{"dict":[${parts.join(',')}]}`;
    }
    case 'array': {
      if (v.dtype !== 'float32') return JSON.stringify(jsonOf(v, b, depth));
      b.take(1 + v.t.size);
      const data = v.t.dataSync() as ArrayLike<number>;
      if (v.t.rank === 0) return floatText(widenFloat32(Number(data[0])));
      const cells: string[] = new Array<string>(data.length);
      for (let i = 0; i < data.length; i++) {
        const x = widenFloat32(Number(data[i]));
        cells[i] = Number.isNaN(x) ? '"nan"' : !Number.isFinite(x) ? (x > 0 ? '"inf"' : '"-inf"') : Object.is(x, -0) ? '-0.0' : String(x);
      }
      return `{"dtype":"float32","shape":${JSON.stringify(v.shape)},"data":[${cells.join(',')}]}`;
    }
    default:
      return JSON.stringify(jsonOf(v, b, depth));
  }
}
