// Indexing: x[...] reads and writes for arrays (basic, fancy and boolean indexing with numpy's rules) and for
// Python sequences and dicts.
//
// Views are copy-on-write: basic indexing (ints, slices, None, ...) returns a new array that remembers where it
// came from; writing into it (item/slice assignment, augmented assignment) also writes the same elements back
// into the base array, so `row = W[0]; row[:] = 0` and `a[0][1] = 5` behave as in numpy. A view does not see
// later writes made through its base (numpy would), and fancy/boolean indexing returns a copy as in numpy.

import * as tf from '@tensorflow/tfjs-core';
import { arrayFromValue, broadcastShapes, castTo, sizeOf, toArray } from '../arrays';
import { msg, PyError } from '../errors';
import {
  type Ctx,
  type DType,
  PyArray,
  type PyDict,
  type PyValue,
  hashKey,
  pyList,
  pyStr,
  pyTuple,
  pyInt,
  rangeLength,
  typeName,
} from '../values';
import { reprShort } from '../format';
import { type HostData, copyInJs, fromValues, newData, stridesOf, valuesOf, walkOffsets } from '../host';
import { dictMissing } from './collections';

type Entry =
  | { k: 'new' }
  | { k: 'ellipsis' }
  | { k: 'int'; v: number }
  | { k: 'slice'; start: PyValue; stop: PyValue; step: PyValue }
  | { k: 'fancy'; arr: PyArray }
  | { k: 'bool'; arr: PyArray };

/** A slice bound or step as a number (None → null). */
function sliceBound(v: PyValue, what: string): number | null {
  if (v.kind === 'none') return null;
  if (v.kind === 'int') return v.v;
  if (v.kind === 'bool') return v.v ? 1 : 0;
  if (v.kind === 'array' && v.t.rank === 0 && v.dtype !== 'float32') return Number(v.t.dataSync()[0]);
  throw new PyError('TypeError', msg.indexNotInt(`スライスの ${what}`, typeName(v)));
}

/** Python's slice.indices(len): normalized start, step and resulting length. */
export function sliceIndices(start: PyValue, stop: PyValue, step: PyValue, len: number): { start: number; step: number; count: number } {
  const num = sliceBound;
  const st = num(step, 'step') ?? 1;
  if (st === 0) throw new PyError('ValueError', msg.sliceStepZero());
  let s = num(start, 'start');
  let e = num(stop, 'stop');
  if (st > 0) {
    s = s === null ? 0 : s < 0 ? Math.max(0, s + len) : Math.min(s, len);
    e = e === null ? len : e < 0 ? Math.max(0, e + len) : Math.min(e, len);
    return { start: s, step: st, count: e > s ? Math.ceil((e - s) / st) : 0 };
  }
  s = s === null ? len - 1 : s < 0 ? Math.max(-1, s + len) : Math.min(s, len - 1);
  e = e === null ? -1 : e < 0 ? Math.max(-1, e + len) : Math.min(e, len - 1);
  return { start: s, step: st, count: s > e ? Math.ceil((s - e) / -st) : 0 };
}

function toEntry(ctx: Ctx, v: PyValue): Entry {
  switch (v.kind) {
    case 'none':
      return { k: 'new' };
    case 'ellipsis':
      return { k: 'ellipsis' };
    case 'int':
      return { k: 'int', v: v.v };
    case 'slice':
      return { k: 'slice', start: v.start, stop: v.stop, step: v.step };
    case 'list':
    case 'tuple': {
      const a = v.items.length === 0 ? ctx.wrap(tf.tensor([], [0], 'int32')) : arrayFromValue(ctx, v);
      return toEntry(ctx, a);
    }
    case 'array':
      if (v.dtype === 'bool') return { k: 'bool', arr: v };
      if (v.dtype === 'int32') return v.t.rank === 0 ? { k: 'int', v: Number(v.t.dataSync()[0]) } : { k: 'fancy', arr: v };
      throw new PyError('IndexError', msg.arrayIndexType(typeName(v) + ' (float)'));
    default:
      throw new PyError('IndexError', msg.arrayIndexType(typeName(v)));
  }
}

interface Plan {
  entries: Entry[];
}

function plan(ctx: Ctx, arr: PyArray, index: PyValue): Plan {
  const items = index.kind === 'tuple' ? index.items : [index];
  const raw = items.map((x) => toEntry(ctx, x));
  const ndim = arr.t.rank;
  let consumed = 0;
  let ellipses = 0;
  for (const e of raw) {
    if (e.k === 'int' || e.k === 'slice' || e.k === 'fancy') consumed++;
    else if (e.k === 'bool') consumed += e.arr.t.rank;
    else if (e.k === 'ellipsis') ellipses++;
  }
  if (ellipses > 1) throw new PyError('IndexError', msg.multipleEllipsis());
  if (consumed > ndim) throw new PyError('IndexError', msg.tooManyIndices(ndim, consumed));
  const fill = fullSlice;
  const entries: Entry[] = [];
  for (const e of raw) {
    if (e.k === 'ellipsis') for (let i = 0; i < ndim - consumed; i++) entries.push(fill());
    else entries.push(e);
  }
  if (ellipses === 0) for (let i = 0; i < ndim - consumed; i++) entries.push(fill());
  // boolean masks → integer arrays (nonzero)
  const out: Entry[] = [];
  let dim = 0;
  for (const e of entries) {
    if (e.k === 'bool') {
      const mshape = e.arr.shape;
      for (let j = 0; j < mshape.length; j++) {
        if (mshape[j] !== arr.shape[dim + j]) {
          throw new PyError('IndexError', msg.boolIndexShape(dim + j, arr.shape[dim + j]!, mshape[j]!));
        }
      }
      const data = e.arr.t.dataSync();
      const k = mshape.length;
      const coords: number[][] = Array.from({ length: k }, () => []);
      const strides = new Array<number>(k).fill(1);
      for (let j = k - 2; j >= 0; j--) strides[j] = strides[j + 1]! * mshape[j + 1]!;
      for (let i = 0; i < data.length; i++) {
        if (!data[i]) continue;
        let rem = i;
        for (let j = 0; j < k; j++) {
          coords[j]!.push(Math.floor(rem / strides[j]!));
          rem %= strides[j]!;
        }
      }
      if (k === 0) throw new PyError('IndexError', msg.arrayIndexType('bool'));
      for (const c of coords) out.push({ k: 'fancy', arr: ctx.wrap(tf.tensor(c, [c.length], 'int32')) });
      dim += k;
    } else {
      if (e.k !== 'new') dim++;
      out.push(e);
    }
  }
  return { entries: out };
}

const NONE_V: PyValue = { kind: 'none' };

function fullSlice(): Entry {
  return { k: 'slice', start: NONE_V, stop: NONE_V, step: NONE_V };
}

function checkIndex(i: number, axis: number, size: number): number {
  if (i < -size || i >= size) throw new PyError('IndexError', msg.indexOutOfBounds(i, axis, size));
  return i < 0 ? i + size : i;
}

/**
 * The backend whose values JS may read on the hot path: on cpu `dataSync` returns the stored array (free), on
 * wasm it copies out of the heap (cheap, synchronous). On webgl a read is a GPU round trip, so there the
 * indexing code builds its results with tf ops only.
 */
function hostBackend(): 'cpu' | 'wasm' | null {
  const b = tf.getBackend();
  return b === 'cpu' || b === 'wasm' ? b : null;
}

/** A basic selection (ints, slices, new axes) per dim of the indexed array, and the shape numpy gives it. */
interface Box {
  start: number[];
  step: number[];
  count: number[];
  outShape: number[];
  /** Selects every element in order (a full view). */
  whole: boolean;
}

/** The box of basic entries (no fancy ones), with the same checks and errors as basicSlice. */
function basicBox(shape: readonly number[], entries: Entry[]): Box {
  const rank = shape.length;
  const start = new Array<number>(rank);
  const step = new Array<number>(rank);
  const count = new Array<number>(rank);
  const outShape: number[] = [];
  let whole = true;
  let dim = 0;
  for (const e of entries) {
    if (e.k === 'new') {
      outShape.push(1);
      continue;
    }
    const size = shape[dim]!;
    if (e.k === 'int') {
      start[dim] = checkIndex(e.v, dim, size);
      step[dim] = 1;
      count[dim] = 1;
      whole = false;
    } else if (e.k === 'slice') {
      const s = sliceIndices(e.start, e.stop, e.step, size);
      start[dim] = s.start;
      step[dim] = s.step;
      count[dim] = s.count;
      if (!(s.start === 0 && s.step === 1 && s.count === size)) whole = false;
      outShape.push(s.count);
    } else throw new Error('basicBox: not a basic entry');
    dim++;
  }
  return { start, step, count, outShape, whole };
}

/** tfjs' test for a slice that is one run of the stored array (unit steps, whole dims after the first longer one). */
function sliceContinuous(shape: readonly number[], box: Box): boolean {
  if (!box.step.every((s) => s === 1)) return false;
  let first = shape.length;
  for (let d = 0; d < shape.length; d++) {
    if (box.count[d]! > 1) {
      first = d;
      break;
    }
  }
  for (let d = first + 1; d < shape.length; d++) if (box.start[d]! > 0 || box.count[d] !== shape[d]) return false;
  return true;
}

/** The dtype whose typed array holds these stored values (the tensor's own, unless a cast only relabelled them). */
function storedKind(values: HostData, dtype: DType): DType {
  return values instanceof Float32Array ? 'float32' : values instanceof Int32Array ? 'int32' : values instanceof Uint8Array ? 'bool' : dtype;
}

/** Flat (row-major) offsets into an array of `shape` of the box's elements, in row-major order of the box. */
function boxOffsets(shape: readonly number[], start: readonly number[], step: readonly number[], count: readonly number[]): Int32Array {
  const strides = stridesOf(shape);
  let base = 0;
  for (let d = 0; d < shape.length; d++) base += start[d]! * strides[d]!;
  return walkOffsets(
    base,
    count,
    strides.map((k, d) => k * step[d]!),
  );
}

/** Apply ints and slices (ints keep their dim when keepInts), returning the sliced tensor and per-entry info. */
function basicSlice(
  arr: PyArray,
  entries: Entry[],
  keepInts: boolean,
): { t: tf.Tensor; outShape: number[]; empty: boolean } {
  const x = arr.t;
  const rank = x.rank;
  const begin = new Array<number>(rank).fill(0);
  const end = x.shape.slice();
  const strides = new Array<number>(rank).fill(1);
  let endMask = 0;
  const sliced = x.shape.slice();
  const outShape: number[] = [];
  let dim = 0;
  let trivial = true;
  let empty = false;
  for (const e of entries) {
    if (e.k === 'new') {
      outShape.push(1);
      continue;
    }
    const size = x.shape[dim]!;
    if (e.k === 'int') {
      const i = checkIndex(e.v, dim, size);
      begin[dim] = i;
      end[dim] = i + 1;
      sliced[dim] = 1;
      trivial = false;
      if (keepInts) outShape.push(1);
    } else if (e.k === 'slice') {
      const s = sliceIndices(e.start, e.stop, e.step, size);
      begin[dim] = s.start;
      strides[dim] = s.step;
      const stop = s.start + s.step * s.count;
      if (stop < 0) endMask |= 1 << dim;
      end[dim] = stop < 0 ? 0 : stop;
      sliced[dim] = s.count;
      if (s.count === 0) empty = true;
      if (!(s.start === 0 && s.step === 1 && s.count === size)) trivial = false;
      outShape.push(s.count);
    } else {
      // fancy: keep the whole dim
      outShape.push(size);
    }
    dim++;
  }
  if (empty) return { t: tf.zeros(sliced, x.dtype), outShape, empty };
  if (trivial) return { t: x, outShape, empty };
  if (strides.every((s) => s === 1)) return { t: tf.slice(x, begin, sliced), outShape, empty };
  // tf.stridedSlice is wrong on the wasm backend of tfjs 4.22 (negative strides, int dtype): slice the
  // unit-step dims, then gather the strided ones.
  const boxBegin = begin.map((b, d) => (strides[d] === 1 ? b : 0));
  const boxSize = sliced.map((n, d) => (strides[d] === 1 ? n : x.shape[d]!));
  let t = boxSize.every((n, d) => n === x.shape[d]) ? x : tf.slice(x, boxBegin, boxSize);
  for (let d = 0; d < rank; d++) {
    const st = strides[d]!;
    if (st === 1) continue;
    const idx = new Int32Array(sliced[d]!);
    for (let i = 0; i < idx.length; i++) idx[i] = begin[d]! + i * st;
    t = tf.gather(t, tf.tensor1d(idx, 'int32'), d);
  }
  void end;
  void endMask;
  return { t, outShape, empty };
}

/** arr[index] */
export function getArrayItem(ctx: Ctx, arr: PyArray, index: PyValue): PyArray {
  const { entries } = plan(ctx, arr, index);
  const hasFancy = entries.some((e) => e.k === 'fancy');
  if (!hasFancy) {
    if (copyInJs([arr.t])) {
      // a strided copy in JS: one tensor instead of slice + reshape ops (reading is free on cpu, a small copy on wasm)
      const x = arr.t;
      const box = basicBox(x.shape, entries);
      let result: tf.Tensor;
      if (box.whole) result = tf.reshape(x, box.outShape);
      else {
        const offsets = boxOffsets(x.shape, box.start, box.step, box.count);
        const src = valuesOf(x);
        // tf.slice of a contiguous block on cpu returns a view of the stored array, which after a widening cast
        // may still be an int array under a float dtype: keep its kind so the values stay those of the tf path
        const kind = sliceContinuous(x.shape, box) ? storedKind(src, x.dtype as DType) : (x.dtype as DType);
        const out = newData(kind, offsets.length);
        for (let i = 0; i < offsets.length; i++) out[i] = src[offsets[i]!]!;
        result = fromValues(out, box.outShape, x.dtype as DType);
      }
      const scalar = box.outShape.length === 0 && entries.every((e) => e.k === 'int');
      return scalar ? ctx.wrap(result, true) : new PyArray(ctx.wrap(result).t, false, { arr, index });
    }
    const { t, outShape } = basicSlice(arr, entries, false);
    // a fresh slice of the right shape needs no reshape (the whole array does: the view gets its own tensor)
    const result = t !== arr.t && sameDims(t.shape, outShape) ? t : tf.reshape(t, outShape);
    const scalar = outShape.length === 0 && entries.every((e) => e.k === 'int');
    return scalar ? ctx.wrap(result, true) : new PyArray(ctx.wrap(result).t, false, { arr, index });
  }
  // advanced indexing: ints count as 0-d integer arrays
  const adv = entries.map((e): Entry => (e.k === 'int' ? { k: 'fancy', arr: ctx.wrap(tf.scalar(e.v, 'int32')) } : e));
  const { t: y } = basicSlice(arr, adv, true);
  const fancyDims: number[] = [];
  const restDims: number[] = [];
  const fancyArrs: PyArray[] = [];
  let dim = 0;
  let firstFancyEntry = -1;
  let lastFancyEntry = -1;
  adv.forEach((e, i) => {
    if (e.k === 'new') return;
    if (e.k === 'fancy') {
      fancyDims.push(dim);
      fancyArrs.push(e.arr);
      if (firstFancyEntry < 0) firstFancyEntry = i;
      lastFancyEntry = i;
    } else restDims.push(dim);
    dim++;
  });
  const adjacent = adv.slice(firstFancyEntry, lastFancyEntry + 1).every((e) => e.k === 'fancy');
  let bshape: number[] = [];
  for (const f of fancyArrs) {
    try {
      bshape = broadcastShapes(bshape, f.shape);
    } catch {
      throw new PyError('IndexError', msg.fancyBroadcast());
    }
  }
  const bsize = sizeOf(bshape);
  ctx.checkShape([bsize, ...restDims.map((d) => y.shape[d]!)]);
  const linear = new Int32Array(bsize);
  let stride = 1;
  for (let j = fancyDims.length - 1; j >= 0; j--) {
    const d = fancyDims[j]!;
    const size = y.shape[d]!;
    const idx = tf.broadcastTo(castTo(fancyArrs[j]!.t, 'int32'), bshape);
    const data = idx.dataSync();
    idx.dispose();
    for (let i = 0; i < bsize; i++) linear[i]! += checkIndex(Number(data[i]), d, size) * stride;
    stride *= size;
  }
  const perm = [...fancyDims, ...restDims];
  const moved = perm.every((p, i) => p === i) ? y : tf.transpose(y, perm);
  const restShape = restDims.map((d) => y.shape[d]!);
  const flat = tf.reshape(moved, [stride, ...restShape]);
  const gathered = tf.gather(flat, tf.tensor1d(linear, 'int32'), 0);
  let result = tf.reshape(gathered, [...bshape, ...restShape]);
  // move the broadcast dims to where numpy puts them, and insert new axes
  const order: number[] = [];
  const finalShape: number[] = [];
  let restIdx = bshape.length;
  const bDims = bshape.map((_, i) => i);
  if (!adjacent) {
    order.push(...bDims);
    finalShape.push(...bshape);
  }
  adv.forEach((e, i) => {
    if (e.k === 'new') finalShape.push(1);
    else if (e.k === 'fancy') {
      if (adjacent && i === firstFancyEntry) {
        order.push(...bDims);
        finalShape.push(...bshape);
      }
    } else {
      order.push(restIdx);
      finalShape.push(result.shape[restIdx]!);
      restIdx++;
    }
  });
  if (!order.every((p, i) => p === i)) result = tf.transpose(result, order);
  return ctx.wrap(tf.reshape(result, finalShape));
}

/** arr[index] = value (replaces the array's tensor; writes through to the base of a view). */
export function setArrayItem(ctx: Ctx, arr: PyArray, index: PyValue, value: PyValue): void {
  const val = toArray(ctx, value, '代入', 'value');
  const x = arr.t;
  let next: tf.Tensor;
  // fast path: full-shape boolean mask with a single value (c[c < 0] = 0)
  if (index.kind === 'array' && index.dtype === 'bool' && sameDims(index.shape, x.shape) && val.t.size === 1) {
    next = tf.where(index.t, tf.broadcastTo(castTo(tf.reshape(val.t, []), x.dtype as DType), x.shape), x);
  } else if (isBasicIndex(index)) {
    const { entries } = plan(ctx, arr, index);
    if (entries.some((e) => e.k === 'fancy')) throw new Error('setArrayItem: a basic index planned fancy');
    const box = basicBox(x.shape, entries);
    const dst = boxOffsets(x.shape, box.start, box.step, box.count);
    const rshape = box.outShape;
    // checked before an empty selection returns: numpy refuses z[3:1] = np.ones(3)
    const vshape = valueShape(val.shape, rshape);
    if (dst.length === 0) return;
    // where each selected element takes its value from (numpy broadcasting of the right-hand side)
    const vpad = [...new Array<number>(rshape.length - vshape.length).fill(1), ...vshape];
    const src =
      sizeOf(vshape) === dst.length
        ? null
        : boxOffsets(vpad, new Array<number>(vpad.length).fill(0), vpad.map((d) => (d === 1 ? 0 : 1)), rshape);
    const v = castTo(val.t, x.dtype as DType);
    if (hostBackend()) {
      // write into a copy of the values: no gather / where over the whole array
      const vals = valuesOf(v);
      const out = newData(x.dtype as DType, x.size);
      out.set(valuesOf(x));
      if (vals.length === 1) {
        const c = vals[0]!;
        for (let i = 0; i < dst.length; i++) out[dst[i]!] = c;
      } else if (src === null) for (let i = 0; i < dst.length; i++) out[dst[i]!] = vals[i]!;
      else for (let i = 0; i < dst.length; i++) out[dst[i]!] = vals[src[i]!]!;
      next = fromValues(out, x.shape, x.dtype as DType);
    } else {
      // no reads on the GPU: a mask and a gather of the value's elements, merged with where
      const n = x.size;
      const mask = new Uint8Array(n);
      const from = new Int32Array(n);
      for (let i = 0; i < dst.length; i++) {
        mask[dst[i]!] = 1;
        from[dst[i]!] = src === null ? i : src[i]!;
      }
      next = tf.reshape(
        tf.where(tf.tensor1d(mask, 'bool'), tf.gather(tf.reshape(v, [-1]), tf.tensor1d(from, 'int32')), tf.reshape(x, [-1])),
        x.shape,
      );
    }
  } else {
    const positions = getArrayItem(ctx, new PyArray(tf.reshape(tf.range(0, x.size, 1, 'int32'), x.shape)), index);
    const rshape = positions.shape;
    const vshape = valueShape(val.shape, rshape);
    if (positions.t.size === 0) return;
    const v = tf.reshape(tf.broadcastTo(tf.reshape(castTo(val.t, x.dtype as DType), [...vshape]), rshape), [-1]);
    // tf.tensorScatterUpdate of tfjs-backend-cpu 4.22 writes into its input buffer (shared by clones), so
    // scatter with a mask and a gather instead; the last write wins for repeated indices, as in numpy.
    const pos = positions.t.dataSync();
    const n = x.size;
    const mask = new Uint8Array(n);
    const src = new Int32Array(n);
    for (let i = 0; i < pos.length; i++) {
      const p = Number(pos[i]);
      mask[p] = 1;
      src[p] = i;
    }
    next = tf.reshape(
      tf.where(tf.tensor1d(mask, 'bool'), tf.gather(v, tf.tensor1d(src, 'int32')), tf.reshape(x, [-1])),
      x.shape,
    );
  }
  replaceTensor(ctx, arr, next);
}

/** The value's shape for assignment into a selection of shape `rshape` (leading 1s dropped), or numpy's ValueError. */
function valueShape(shape: readonly number[], rshape: readonly number[]): readonly number[] {
  let vshape = shape;
  // numpy allows leading size-1 dims on the value
  while (vshape.length > rshape.length && vshape[0] === 1) vshape = vshape.slice(1);
  let ok = vshape.length <= rshape.length;
  for (let i = 1; ok && i <= vshape.length; i++) {
    const a = vshape[vshape.length - i]!;
    if (a !== 1 && a !== rshape[rshape.length - i]) ok = false;
  }
  if (!ok) throw new PyError('ValueError', msg.broadcastTo(shape, rshape));
  return vshape;
}

/** An index of ints, slices, None and Ellipsis only (a tuple of them, or one): no array, list or bool. */
function isBasicIndex(index: PyValue): boolean {
  return index.kind === 'tuple' ? index.items.every(isBasicItem) : isBasicItem(index);
}

function isBasicItem(v: PyValue): boolean {
  return v.kind === 'int' || v.kind === 'slice' || v.kind === 'none' || v.kind === 'ellipsis';
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Give an array a new value (same shape and dtype) and propagate it to the base of a view. */
export function replaceTensor(ctx: Ctx, arr: PyArray, next: tf.Tensor): void {
  arr.t = ctx.wrap(next).t;
  if (arr.base) setArrayItem(ctx, arr.base.arr, arr.base.index, arr);
}

// ---------- Python containers ----------

function seqIndex(v: PyValue, len: number, what: string): number {
  let i: number;
  if (v.kind === 'int') i = v.v;
  else if (v.kind === 'bool') i = v.v ? 1 : 0;
  else if (v.kind === 'array' && v.t.rank === 0 && v.dtype !== 'float32') i = Number(v.t.dataSync()[0]);
  else throw new PyError('TypeError', msg.indexNotInt(what, typeName(v)));
  if (i < -len || i >= len) throw new PyError('IndexError', msg.listIndexRange(what));
  return i < 0 ? i + len : i;
}

function sliceSeq<T>(items: readonly T[], s: PyValue & { kind: 'slice' }): T[] {
  const { start, step, count } = sliceIndices(s.start, s.stop, s.step, items.length);
  const out: T[] = [];
  for (let i = 0, j = start; i < count; i++, j += step) out.push(items[j]!);
  return out;
}

export function getItem(ctx: Ctx, obj: PyValue, index: PyValue): PyValue {
  switch (obj.kind) {
    case 'array':
      return getArrayItem(ctx, obj, index);
    case 'list':
      if (index.kind === 'slice') return pyList(sliceSeq(obj.items, index));
      return obj.items[seqIndex(index, obj.items.length, 'list')]!;
    case 'tuple':
      if (index.kind === 'slice') return pyTuple(sliceSeq(obj.items, index));
      return obj.items[seqIndex(index, obj.items.length, 'tuple')]!;
    case 'str': {
      const chars = [...obj.v];
      if (index.kind === 'slice') return pyStr(sliceSeq(chars, index).join(''));
      return pyStr(chars[seqIndex(index, chars.length, 'str')]!);
    }
    case 'range': {
      const len = rangeLength(obj);
      if (index.kind === 'slice') {
        const s = sliceIndices(index.start, index.stop, index.step, len);
        const start = obj.start + s.start * obj.step;
        const step = obj.step * s.step;
        return { kind: 'range', start, stop: start + s.count * step, step };
      }
      return pyInt(obj.start + seqIndex(index, len, 'range') * obj.step);
    }
    case 'dict': {
      if (obj.flavor?.kind === 'set') throw new PyError('TypeError', msg.notSubscriptable('set'));
      const hit = obj.map.get(hashKey(index, ctx.keyCaps));
      if (hit) return hit[1];
      const missing = obj.flavor && dictMissing(ctx, obj, index);
      if (missing) return missing;
      throw new PyError('KeyError', msg.keyMissing(reprShort(index)));
    }
    default:
      throw new PyError('TypeError', msg.notSubscriptable(typeName(obj)));
  }
}

export function setItem(ctx: Ctx, obj: PyValue, index: PyValue, value: PyValue, iterate: (v: PyValue) => PyValue[]): void {
  switch (obj.kind) {
    case 'array':
      setArrayItem(ctx, obj, index, value);
      return;
    case 'list':
      if (index.kind === 'slice') {
        const { start, step, count } = sliceIndices(index.start, index.stop, index.step, obj.items.length);
        const vals = iterate(value);
        if (step === 1) {
          ctx.checkLength(obj.items.length - count + vals.length);
          ctx.work(obj.items.length + vals.length);
          // no splice(...vals): a spread of 10^5+ items overflows the JS stack
          obj.items = obj.items.slice(0, start).concat(vals, obj.items.slice(start + count));
        } else {
          if (vals.length !== count) throw new PyError('ValueError', msg.unpackCount(count, vals.length));
          for (let i = 0; i < count; i++) obj.items[start + i * step] = vals[i]!;
        }
        return;
      }
      obj.items[seqIndex(index, obj.items.length, 'list')] = value;
      return;
    case 'dict':
      if (obj.flavor?.kind === 'set') throw new PyError('TypeError', msg.noItemAssign('set'));
      dictSet(ctx, obj, index, value);
      return;
    default:
      throw new PyError('TypeError', msg.noItemAssign(typeName(obj)));
  }
}

export function dictSet(ctx: Ctx, d: PyDict, key: PyValue, value: PyValue): void {
  const h = hashKey(key, ctx.keyCaps);
  const hit = d.map.get(h);
  if (hit) hit[1] = value;
  else {
    ctx.checkLength(d.map.size + 1);
    d.map.set(h, [key, value]);
  }
}

export function delItem(ctx: Ctx, obj: PyValue, index: PyValue): void {
  if (obj.kind === 'list') {
    if (index.kind === 'slice') {
      const { start, step, count } = sliceIndices(index.start, index.stop, index.step, obj.items.length);
      const drop = new Set<number>();
      for (let i = 0; i < count; i++) drop.add(start + i * step);
      obj.items = obj.items.filter((_, i) => !drop.has(i));
      return;
    }
    obj.items.splice(seqIndex(index, obj.items.length, 'list'), 1);
    return;
  }
  if (obj.kind === 'dict' && obj.flavor?.kind !== 'set') {
    if (!obj.map.delete(hashKey(index, ctx.keyCaps))) throw new PyError('KeyError', msg.keyMissing(reprShort(index)));
    return;
  }
  throw new PyError('TypeError', msg.noItemAssign(typeName(obj)));
}
