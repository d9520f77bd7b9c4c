// Helpers shared by the numpy builtins: conversion of Python values to arrays, dtype promotion, argument
// coercion (ints, axes, shapes), broadcasting checks.

import * as tf from '@tensorflow/tfjs-core';
import { msg, PyError, raise } from './errors';
import {
  type Ctx,
  type DType,
  FALSE,
  PyArray,
  type PyValue,
  TRUE,
  numberOf,
  pyFloat,
  pyInt,
  pyList,
  typeName,
  widenFloat32,
} from './values';

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };
/** numpy's bound on the number of dimensions. */
export const MAX_DIMS = 64;

export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export function scalarDtype(v: PyValue): DType | null {
  if (v.kind === 'bool') return 'bool';
  if (v.kind === 'int') return 'int32';
  if (v.kind === 'float') return 'float32';
  return null;
}

export function castTo(t: tf.Tensor, dtype: DType): tf.Tensor {
  return t.dtype === dtype ? t : tf.cast(t, dtype);
}

/** Resolve a dtype argument: np.float32, float, 'float32', int, bool, None (→ null). */
export function dtypeArg(v: PyValue | undefined, fn = 'dtype'): DType | null {
  if (!v || v.kind === 'none') return null;
  if (v.kind === 'dtype') return v.dtype;
  if (v.kind === 'type') {
    if (v.name === 'float') return 'float32';
    if (v.name === 'int') return 'int32';
    if (v.name === 'bool') return 'bool';
  }
  if (v.kind === 'str') {
    const d = DTYPE_NAMES.get(v.v);
    if (d) return d;
    throw new PyError('TypeError', msg.dtypeUnknown(v.v));
  }
  throw new PyError('TypeError', msg.badArgType(fn, 'dtype', 'データ型', typeName(v)));
}

export const DTYPE_NAMES = new Map<string, DType>([
  ['float32', 'float32'],
  ['float64', 'float32'],
  ['float', 'float32'],
  ['float16', 'float32'],
  ['f', 'float32'],
  ['f4', 'float32'],
  ['f8', 'float32'],
  ['int32', 'int32'],
  ['int64', 'int32'],
  ['int', 'int32'],
  ['int8', 'int32'],
  ['int16', 'int32'],
  ['uint8', 'int32'],
  ['i4', 'int32'],
  ['i8', 'int32'],
  ['bool', 'bool'],
  ['bool_', 'bool'],
]);

/** Build an array from a nested list/tuple of numbers, bools and arrays (np.array semantics). */
export function arrayFromValue(ctx: Ctx, v: PyValue, dtype: DType | null = null): PyArray {
  if (v.kind === 'array') {
    return dtype && dtype !== v.dtype ? ctx.wrap(tf.cast(v.t, dtype)) : ctx.wrap(tf.clone(v.t));
  }
  const sd = scalarDtype(v);
  if (sd) return ctx.wrap(tf.scalar(numberOf(v)!, dtype ?? sd));
  if (v.kind !== 'list' && v.kind !== 'tuple') {
    throw new PyError('TypeError', msg.badArrayElement(typeName(v)));
  }
  // Fast path: a few same-shaped arrays → stack (one op per array, so not for long lists)
  const items = v.items;
  if (items.length > 0 && items.length <= 256 && items.every((x) => x.kind === 'array')) {
    const arrs = items as PyArray[];
    const shape = arrs[0]!.shape;
    if (arrs.every((x) => sameShape(x.shape, shape))) {
      let dt: DType = arrs[0]!.dtype;
      for (const x of arrs) dt = promote(dt, x.dtype);
      const out = dtype ?? dt;
      ctx.checkShape([arrs.length, ...shape]);
      return ctx.wrap(tf.stack(arrs.map((x) => castTo(x.t, out))));
    }
  }
  const shape: number[] = [];
  // discover the shape along the first elements
  let probe: PyValue = v;
  for (;;) {
    // a list that contains itself would never end
    if (shape.length > MAX_DIMS) throw new PyError('ValueError', msg.tooManyDims(MAX_DIMS));
    if (probe.kind === 'list' || probe.kind === 'tuple') {
      shape.push(probe.items.length);
      if (probe.items.length === 0) break;
      probe = probe.items[0]!;
    } else if (probe.kind === 'array') {
      shape.push(...probe.shape);
      break;
    } else break;
  }
  let size = 1;
  for (const d of shape) size *= d;
  ctx.checkShape(shape);
  const flat: number[] = [];
  let kind: DType = 'bool';
  let any = false;
  const walk = (x: PyValue, depth: number): void => {
    if (depth === shape.length) {
      const sdx = scalarDtype(x);
      if (sdx) {
        kind = promote(kind, sdx);
        any = true;
        flat.push(numberOf(x)!);
        return;
      }
      if (x.kind === 'array' && x.t.rank === 0) {
        ctx.tick();
        kind = promote(kind, x.dtype);
        any = true;
        flat.push(Number(x.t.dataSync()[0]));
        return;
      }
      if (x.kind === 'list' || x.kind === 'tuple' || x.kind === 'array') throw new PyError('ValueError', msg.inhomogeneous(depth));
      throw new PyError('TypeError', msg.badArrayElement(typeName(x)));
    }
    if (x.kind === 'list' || x.kind === 'tuple') {
      if (x.items.length !== shape[depth]) throw new PyError('ValueError', msg.inhomogeneous(depth));
      for (const y of x.items) walk(y, depth + 1);
      return;
    }
    if (x.kind === 'array') {
      const rest = shape.slice(depth);
      if (!sameShape(x.shape, rest)) throw new PyError('ValueError', msg.inhomogeneous(depth));
      ctx.tick();
      kind = promote(kind, x.dtype);
      any = true;
      const d = x.t.dataSync();
      for (let i = 0; i < d.length; i++) flat.push(Number(d[i]));
      return;
    }
    throw new PyError('ValueError', msg.inhomogeneous(depth));
  };
  walk(v, 0);
  const out: DType = dtype ?? (any ? kind : 'float32');
  if (flat.length !== size) throw new PyError('ValueError', msg.inhomogeneous(shape.length));
  return ctx.wrap(tf.tensor(flat, shape, out));
}

/** Any array-like argument as an array (arrays are returned as they are, not copied). */
export function toArray(ctx: Ctx, v: PyValue, fn = 'array', arg = 'a'): PyArray {
  if (v.kind === 'array') return v;
  if (v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'list' || v.kind === 'tuple') {
    return arrayFromValue(ctx, v);
  }
  throw new PyError('TypeError', msg.badArgType(fn, arg, '配列や数値', typeName(v)));
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** numpy broadcasting of two shapes, or a ValueError. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new PyError('ValueError', `演算できません: ${msg.broadcast(a, b)}`);
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/** A Python int (or bool, or integral numpy scalar) as a JS number. */
export function toInt(v: PyValue, fn: string, arg: string): number {
  if (v.kind === 'int') return v.v;
  if (v.kind === 'bool') return v.v ? 1 : 0;
  if (v.kind === 'array' && v.t.rank === 0 && v.dtype !== 'float32') return Number(v.t.dataSync()[0]);
  throw new PyError('TypeError', msg.badArgType(fn, arg, '整数', typeName(v)));
}

export function toNumber(v: PyValue, fn: string, arg: string): number {
  const n = numberOf(v);
  if (n !== null) return n;
  if (v.kind === 'array' && v.t.size === 1) return Number(v.t.dataSync()[0]);
  throw new PyError('TypeError', msg.badArgType(fn, arg, '数値', typeName(v)));
}

export function toBool(v: PyValue | undefined, fn: string, arg: string): boolean {
  if (!v) return false;
  if (v.kind === 'bool') return v.v;
  if (v.kind === 'int') return v.v !== 0;
  throw new PyError('TypeError', msg.badArgType(fn, arg, 'True / False', typeName(v)));
}

export function normAxis(axis: number, ndim: number): number {
  if (axis < -ndim || axis >= ndim) throw raise.axis(axis, ndim);
  return axis < 0 ? axis + ndim : axis;
}

/** axis=None → null; int → [k]; tuple → sorted unique list. */
export function axesArg(v: PyValue | undefined, ndim: number, fn: string): number[] | null {
  if (!v || v.kind === 'none') return null;
  if (v.kind === 'tuple' || v.kind === 'list') {
    const out = v.items.map((x) => normAxis(toInt(x, fn, 'axis'), ndim));
    if (new Set(out).size !== out.length) throw new PyError('ValueError', msg.repeatedAxis());
    return out.sort((a, b) => a - b);
  }
  return [normAxis(toInt(v, fn, 'axis'), ndim)];
}

/** A shape argument: int or tuple/list of ints. */
export function shapeArg(v: PyValue, fn: string): number[] {
  const dims = v.kind === 'tuple' || v.kind === 'list' ? v.items.map((x) => toInt(x, fn, 'shape')) : [toInt(v, fn, 'shape')];
  for (const d of dims) if (d < 0) throw new PyError('ValueError', msg.negativeDimension());
  return dims;
}

/** Element `i` (flat) of an array as a numpy scalar. */
export function scalarOf(ctx: Ctx, value: number, dtype: DType): PyArray {
  return ctx.wrap(tf.scalar(value, dtype), true);
}

/** A 0-d array's value as a Python number. */
export function pyNumberOf(a: PyArray): PyValue {
  const x = Number(a.t.dataSync()[0]);
  if (a.dtype === 'bool') return x ? TRUE : FALSE;
  if (a.dtype === 'int32') return pyInt(x);
  return pyFloat(widenFloat32(x));
}

/** ndarray.tolist() */
export function toList(ctx: Ctx, a: PyArray): PyValue {
  const shape = a.shape;
  // lists to build: an empty array may still have huge leading axes (np.zeros((10**9, 0)))
  let lists = 0;
  let prefix = 1;
  for (let d = 0; d < shape.length - 1; d++) {
    prefix *= shape[d]!;
    lists += prefix;
  }
  ctx.checkLength(lists);
  ctx.work(lists + a.t.size);
  const data = a.t.dataSync();
  const conv = (x: number): PyValue =>
    a.dtype === 'bool' ? (x ? TRUE : FALSE) : a.dtype === 'int32' ? pyInt(x) : pyFloat(widenFloat32(x));
  if (shape.length === 0) return conv(Number(data[0]));
  let idx = 0;
  const build = (dim: number): PyValue => {
    const n = shape[dim]!;
    const items: PyValue[] = [];
    for (let i = 0; i < n; i++) items.push(dim === shape.length - 1 ? conv(Number(data[idx++])) : build(dim + 1));
    return pyList(items);
  };
  return build(0);
}
