// Shape manipulation: reshape, ravel/flatten, concatenate, stack, hstack, vstack, split, hsplit, vsplit,
// expand_dims, squeeze, flip, swapaxes, tile, repeat.

import * as tf from '@tensorflow/tfjs-core';
import { MAX_DIMS, castTo, normAxis, promote, sizeOf, toArray, toInt } from '../arrays';
import { msg, PyError } from '../errors';
import { type Ctx, type DType, PyArray, type PyValue, pyList, typeName } from '../values';
import { copyInJs, hostConcat } from '../host';

export function reshape(ctx: Ctx, A: PyArray, dims: number[]): PyArray {
  const size = A.t.size;
  let unknown = -1;
  let known = 1;
  dims.forEach((d, i) => {
    if (d === -1) {
      if (unknown >= 0) throw new PyError('ValueError', msg.reshapeMultipleUnknown());
      unknown = i;
    } else if (d < 0) throw new PyError('ValueError', msg.reshapeNegative());
    else known *= d;
  });
  const shape = dims.slice();
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) throw new PyError('ValueError', msg.reshape(size, dims));
    shape[unknown] = size / known;
  } else if (known !== size) throw new PyError('ValueError', msg.reshape(size, dims));
  ctx.checkShape(shape);
  return ctx.wrap(tf.reshape(A.t, shape));
}

/** reshape's shape argument: a tuple/list or varargs ints. */
export function shapeFromArgs(args: PyValue[], fn: string): number[] {
  if (args.length === 1 && (args[0]!.kind === 'tuple' || args[0]!.kind === 'list')) {
    return (args[0] as { items: PyValue[] }).items.map((x) => toInt(x, fn, 'shape'));
  }
  return args.map((x) => toInt(x, fn, 'shape'));
}

function arraysArg(ctx: Ctx, v: PyValue, fn: string): PyArray[] {
  let items: readonly PyValue[];
  if (v.kind === 'list' || v.kind === 'tuple') items = v.items;
  else if (v.kind === 'array') {
    if (v.t.rank === 0) throw new PyError('ValueError', msg.concat0d());
    // one array per row: counted before they are made
    ctx.steps(v.shape[0]!);
    items = tf.unstack(v.t).map((t) => ctx.wrap(t));
  } else throw new PyError('TypeError', msg.badArgType(fn, 'arrays', '配列のリスト', typeName(v)));
  if (items.length === 0) throw new PyError('ValueError', msg.needAtLeastOne(fn));
  // one op per array: a list of 10^6 arrays counts its steps before they are converted
  if (v.kind !== 'array') ctx.steps(items.length);
  return items.map((x, i) => toArray(ctx, x, fn, `arrays[${i}]`));
}

function commonDtype(arrs: PyArray[]): DType {
  let d = arrs[0]!.dtype;
  for (const a of arrs) d = promote(d, a.dtype);
  return d;
}

export function concatenate(ctx: Ctx, v: PyValue, axisV: PyValue, fn = 'concatenate'): PyArray {
  let arrs = arraysArg(ctx, v, fn);
  let axis: number;
  if (axisV.kind === 'none') {
    arrs = arrs.map((a) => new PyArray(tf.reshape(a.t, [-1])));
    axis = 0;
  } else {
    const first = arrs[0]!;
    if (first.t.rank === 0) throw new PyError('ValueError', msg.concat0d());
    axis = normAxis(toInt(axisV, fn, 'axis'), first.t.rank);
    arrs.forEach((a, i) => {
      if (a.t.rank !== first.t.rank) throw new PyError('ValueError', msg.concatNdim(i, first.t.rank, a.t.rank));
      a.shape.forEach((d, j) => {
        if (j !== axis && d !== first.shape[j]) throw new PyError('ValueError', msg.concatShape(axis, first.shape, a.shape));
      });
    });
  }
  const dtype = commonDtype(arrs);
  const shape = arrs[0]!.shape.slice();
  shape[axis] = arrs.reduce((s, a) => s + a.shape[axis]!, 0);
  ctx.checkShape(shape);
  if (arrs.length === 1) return ctx.wrap(castTo(tf.clone(arrs[0]!.t), dtype));
  // a copy in JS: storing into the result's typed array converts as the widening cast would
  const ts = arrs.map((a) => a.t);
  if (copyInJs(ts)) return ctx.wrap(hostConcat(ts, axis, dtype, shape));
  return ctx.wrap(tf.concat(arrs.map((a) => castTo(a.t, dtype)), axis));
}

export function stack(ctx: Ctx, v: PyValue, axisV: PyValue): PyArray {
  const arrs = arraysArg(ctx, v, 'stack');
  const first = arrs[0]!;
  for (const a of arrs) {
    if (a.shape.length !== first.shape.length || a.shape.some((d, i) => d !== first.shape[i])) {
      throw new PyError('ValueError', msg.stackShape(first.shape, a.shape));
    }
  }
  const axis = normAxis(toInt(axisV, 'stack', 'axis'), first.t.rank + 1);
  ctx.checkShape([arrs.length, ...first.shape]);
  const dtype = commonDtype(arrs);
  return ctx.wrap(tf.stack(arrs.map((a) => castTo(a.t, dtype)), axis));
}

export function hstack(ctx: Ctx, v: PyValue): PyArray {
  const arrs = arraysArg(ctx, v, 'hstack').map((a) => (a.t.rank === 0 ? new PyArray(tf.reshape(a.t, [1])) : a));
  const axis = arrs[0]!.t.rank === 1 ? 0 : 1;
  return concatenate(ctx, pyList(arrs), { kind: 'int', v: axis }, 'hstack');
}

export function vstack(ctx: Ctx, v: PyValue): PyArray {
  const arrs = arraysArg(ctx, v, 'vstack').map((a) => (a.t.rank < 2 ? new PyArray(tf.reshape(a.t, [1, a.t.size])) : a));
  return concatenate(ctx, pyList(arrs), { kind: 'int', v: 0 }, 'vstack');
}

export function split(ctx: Ctx, A: PyArray, sections: PyValue, axisV: PyValue, fn = 'split'): PyValue {
  if (A.t.rank === 0) throw new PyError('ValueError', msg.concat0d());
  const axis = normAxis(toInt(axisV, fn, 'axis'), A.t.rank);
  const len = A.shape[axis]!;
  let bounds: number[];
  if (sections.kind === 'list' || sections.kind === 'tuple' || (sections.kind === 'array' && sections.t.rank === 1)) {
    const idx = sections.kind === 'array' ? Array.from(sections.t.dataSync() as ArrayLike<number>) : sections.items.map((x) => toInt(x, fn, 'indices'));
    bounds = [0, ...idx.map((i) => Math.min(len, Math.max(0, i < 0 ? i + len : i))), len];
  } else {
    const n = toInt(sections, fn, 'indices_or_sections');
    if (n <= 0) throw new PyError('ValueError', '分割数は 1 以上でなければなりません');
    if (len % n !== 0) throw new PyError('ValueError', msg.splitUneven());
    // the result is a list of n arrays
    ctx.checkLength(n);
    ctx.steps(n);
    bounds = Array.from({ length: n + 1 }, (_, i) => (i * len) / n);
  }
  const parts: PyValue[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const begin = A.shape.map(() => 0);
    const size = A.shape.slice();
    const lo = bounds[i]!;
    const hi = Math.max(lo, bounds[i + 1]!);
    begin[axis] = lo;
    size[axis] = hi - lo;
    parts.push(ctx.wrap(size[axis] === 0 ? tf.zeros(size, A.dtype) : tf.slice(A.t, begin, size)));
  }
  return pyList(parts);
}

export function hsplit(ctx: Ctx, A: PyArray, sections: PyValue): PyValue {
  if (A.t.rank === 0) throw new PyError('ValueError', 'hsplit は 1 次元以上の配列にだけ使えます');
  return split(ctx, A, sections, { kind: 'int', v: A.t.rank === 1 ? 0 : 1 }, 'hsplit');
}

export function vsplit(ctx: Ctx, A: PyArray, sections: PyValue): PyValue {
  if (A.t.rank < 2) throw new PyError('ValueError', 'vsplit は 2 次元以上の配列にだけ使えます');
  return split(ctx, A, sections, { kind: 'int', v: 0 }, 'vsplit');
}

export function expandDims(ctx: Ctx, A: PyArray, axisV: PyValue): PyArray {
  const axes = axisV.kind === 'tuple' || axisV.kind === 'list' ? axisV.items.map((x) => toInt(x, 'expand_dims', 'axis')) : [toInt(axisV, 'expand_dims', 'axis')];
  const outRank = A.t.rank + axes.length;
  if (outRank > MAX_DIMS) throw new PyError('ValueError', msg.tooManyDims(MAX_DIMS));
  const norm = axes.map((a) => normAxis(a, outRank));
  if (new Set(norm).size !== norm.length) throw new PyError('ValueError', msg.repeatedAxis());
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < outRank; i++) shape.push(norm.includes(i) ? 1 : A.shape[j++]!);
  return ctx.wrap(tf.reshape(A.t, shape));
}

export function squeeze(ctx: Ctx, A: PyArray, axisV: PyValue): PyArray {
  let axes: number[];
  if (axisV.kind === 'none') axes = A.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  else {
    axes = (axisV.kind === 'tuple' || axisV.kind === 'list' ? axisV.items : [axisV]).map((x) => normAxis(toInt(x, 'squeeze', 'axis'), A.t.rank));
    for (const a of axes) if (A.shape[a] !== 1) throw new PyError('ValueError', msg.squeezeAxis());
  }
  return ctx.wrap(tf.reshape(A.t, A.shape.filter((_, i) => !axes.includes(i))));
}

export function flip(ctx: Ctx, A: PyArray, axisV: PyValue): PyArray {
  if (A.t.rank === 0) return ctx.wrap(tf.clone(A.t));
  const axes = axisV.kind === 'none' ? A.shape.map((_, i) => i) : (axisV.kind === 'tuple' || axisV.kind === 'list' ? axisV.items : [axisV]).map((x) => normAxis(toInt(x, 'flip', 'axis'), A.t.rank));
  return ctx.wrap(tf.reverse(A.t, axes));
}

export function swapaxes(ctx: Ctx, A: PyArray, a1: PyValue, a2: PyValue): PyArray {
  const i = normAxis(toInt(a1, 'swapaxes', 'axis1'), A.t.rank);
  const j = normAxis(toInt(a2, 'swapaxes', 'axis2'), A.t.rank);
  const perm = A.shape.map((_, k) => k);
  perm[i] = j;
  perm[j] = i;
  return ctx.wrap(tf.transpose(A.t, perm));
}

export function tile(ctx: Ctx, A: PyArray, repsV: PyValue): PyArray {
  const reps = repsV.kind === 'tuple' || repsV.kind === 'list' ? repsV.items.map((x) => toInt(x, 'tile', 'reps')) : [toInt(repsV, 'tile', 'reps')];
  const rank = Math.max(A.t.rank, reps.length);
  const shape = [...new Array<number>(rank - A.t.rank).fill(1), ...A.shape];
  const r = [...new Array<number>(rank - reps.length).fill(1), ...reps];
  if (r.some((x) => x < 0)) throw new PyError('ValueError', msg.negativeDimension());
  ctx.checkShape(shape.map((d, i) => d * r[i]!));
  return ctx.wrap(tf.tile(tf.reshape(A.t, shape), r));
}

export function repeat(ctx: Ctx, A: PyArray, repeatsV: PyValue, axisV: PyValue): PyArray {
  let x = A.t;
  let axis: number;
  if (axisV.kind === 'none') {
    x = tf.reshape(x, [-1]);
    axis = 0;
  } else axis = normAxis(toInt(axisV, 'repeat', 'axis'), x.rank);
  const len = x.shape[axis]!;
  const listed = repeatsV.kind === 'list' || repeatsV.kind === 'tuple';
  const one = listed ? 0 : toInt(repeatsV, 'repeat', 'repeats');
  const reps = listed ? repeatsV.items.map((v) => toInt(v, 'repeat', 'repeats')) : null;
  if (reps && reps.length !== len) throw new PyError('ValueError', `repeat: repeats の長さ ${reps.length} が軸の長さ ${len} と一致しません`);
  if (one < 0 || reps?.some((r) => r < 0)) throw new PyError('ValueError', msg.negativeDimension());
  // the result's shape is checked before the index list is built
  const shape = x.shape.slice();
  shape[axis] = reps ? reps.reduce((a, b) => a + b, 0) : len * one;
  ctx.checkShape(shape);
  // an empty result may still have a huge axis (np.zeros((0, 10**9))): no index list for it
  if (sizeOf(shape) === 0) return ctx.wrap(tf.zeros(shape, x.dtype));
  const idx = new Int32Array(shape[axis]!);
  for (let i = 0, k = 0; i < len; i++) for (let r = reps ? reps[i]! : one; r > 0; r--) idx[k++] = i;
  return ctx.wrap(tf.gather(x, tf.tensor1d(idx, 'int32'), axis));
}

export function ravel(ctx: Ctx, A: PyArray): PyArray {
  return ctx.wrap(tf.reshape(A.t, [sizeOf(A.shape)]));
}
