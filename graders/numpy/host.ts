// Small kernels in plain JS for the tfjs cpu backend. There a tensor's values are a typed array in the JS heap
// (`dataSync` returns it without copying), and a tfjs op costs several microseconds of engine bookkeeping
// around a few dozen multiply-adds: computing the values here and making one tensor from them is faster.
// Every kernel reproduces the cpu backend's arithmetic exactly (same JS expression on the same stored values,
// the result stored in the same typed array), so a program's values do not depend on which path ran.
// Other backends (wasm, webgl) keep using tf ops: reading their values costs a copy or a GPU round trip.

import * as tf from '@tensorflow/tfjs-core';
import type { DType } from './values';

export type HostData = Float32Array | Int32Array | Uint8Array;

/** Whether the JS kernels apply: the cpu backend only. */
export function onCpu(): boolean {
  return tf.getBackend() === 'cpu';
}

// A typed array of more than 64 bytes gets its own off-heap buffer, which costs V8 about a microsecond (more
// than the arithmetic here); mid-sized arrays are views into a shared slab instead. Regions are never reused,
// so a view starts zeroed and no two arrays overlap; a slab is freed once no view of it is alive.
const SLAB_BYTES = 1 << 16;
const IN_HEAP_BYTES = 64;
const SLAB_MAX_BYTES = 1 << 12;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/** Byte offset of `bytes` fresh bytes in `slab` (a new slab when this one is full). */
function carve(bytes: number): number {
  if (slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const at = slabUsed;
  slabUsed += (bytes + 7) & ~7;
  return at;
}

/** Largest tensor whose values a wasm host path copies out of the heap (the copy is of the whole tensor). */
export const WASM_COPY_MAX = 4096;

/**
 * Whether pure copies (slices, transposes, concatenations: no arithmetic, so no backend's rounding to match)
 * may read these tensors in JS: always on cpu, on wasm when they are small.
 */
export function copyInJs(ts: readonly tf.Tensor[]): boolean {
  const b = tf.getBackend();
  if (b === 'cpu') return true;
  if (b !== 'wasm') return false;
  let n = 0;
  for (const t of ts) n += t.size;
  return n <= WASM_COPY_MAX;
}

export function newData(dtype: DType, n: number): HostData {
  const bytes = dtype === 'bool' ? n : 4 * n;
  if (bytes <= IN_HEAP_BYTES || bytes > SLAB_MAX_BYTES) {
    return dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  }
  const at = carve(bytes);
  return dtype === 'float32' ? new Float32Array(slab, at, n) : dtype === 'int32' ? new Int32Array(slab, at, n) : new Uint8Array(slab, at, n);
}

/**
 * A tensor holding `values` (which it then owns): tf.tensor without its checks and conversions, which these
 * callers do not need (a typed array of the tensor's dtype and size).
 */
export function fromValues(values: HostData, shape: readonly number[], dtype: DType): tf.Tensor {
  return tf.engine().makeTensor(values, shape.slice(), dtype);
}

/** What the cpu backend keeps per tensor (its `data` storage is public on MathBackendCPU). */
interface CpuStorage {
  data: { get(dataId: object): { values?: HostData } | undefined };
}

/**
 * The values a backend kernel reads: on cpu the stored array itself (never write into it), which after a
 * widening cast can be an int array under a float dtype (`dataSync` would convert it); elsewhere a copy.
 */
export function valuesOf(t: tf.Tensor): HostData {
  if (tf.getBackend() === 'cpu') {
    const stored = (tf.backend() as unknown as CpuStorage).data.get(t.dataId)?.values;
    if (stored) return stored;
  }
  return t.dataSync() as HostData;
}

/**
 * Offsets of a row-major walk over `count` (the last dim fastest) that starts at `base` and moves `jump[d]`
 * elements for a step along dim d (0 for a broadcast dim).
 */
export function walkOffsets(base: number, count: readonly number[], jump: readonly number[]): Int32Array {
  const rank = count.length;
  let total = 1;
  for (let d = 0; d < rank; d++) total *= count[d]!;
  const out = newData('int32', total) as Int32Array;
  if (total === 0) return out;
  if (rank === 0) {
    out[0] = base;
    return out;
  }
  const idx = new Array<number>(rank).fill(0);
  const last = rank - 1;
  const inner = count[last]!;
  const innerJump = jump[last]!;
  let n = 0;
  for (;;) {
    for (let i = 0, p = base; i < inner; i++, p += innerJump) out[n++] = p;
    let d = last - 1;
    for (; d >= 0; d--) {
      base += jump[d]!;
      if (++idx[d]! < count[d]!) break;
      base -= jump[d]! * count[d]!;
      idx[d] = 0;
    }
    if (d < 0) return out;
  }
}

/** Row-major strides of a shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  for (let d = shape.length - 1, k = 1; d >= 0; d--) {
    s[d] = k;
    k *= shape[d]!;
  }
  return s;
}

/** tf.transpose(x, perm), as one strided copy. */
export function hostTranspose(x: tf.Tensor, perm: readonly number[]): tf.Tensor {
  const strides = stridesOf(x.shape);
  const shape = perm.map((p) => x.shape[p]!);
  const offsets = walkOffsets(
    0,
    shape,
    perm.map((p) => strides[p]!),
  );
  const src = valuesOf(x);
  const out = newData(x.dtype as DType, offsets.length);
  for (let i = 0; i < offsets.length; i++) out[i] = src[offsets[i]!]!;
  return fromValues(out, shape, x.dtype as DType);
}

/** An operand: an array's values and shape, or one number (a Python scalar as the backend would store it). */
export interface Operand {
  values: ArrayLike<number>;
  shape: readonly number[];
}

/** Where each element of the broadcast result reads from an operand: null when the shapes are equal. */
function readOffsets(shape: readonly number[], out: readonly number[]): Int32Array | null {
  if (shape.length === out.length && shape.every((d, i) => d === out[i])) return null;
  const strides = stridesOf(shape);
  const lead = out.length - shape.length;
  const jump = out.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : strides[d - lead]!));
  return walkOffsets(0, out, jump);
}

export type HostBinaryOp = '+' | '-' | '*' | '/' | '**';

/** x op y with broadcasting, computed as the cpu backend's kernel computes it, stored as `dtype`. */
export function hostBinary(op: HostBinaryOp, x: Operand, y: Operand, shape: readonly number[], dtype: DType): tf.Tensor {
  const a = x.values;
  const b = y.values;
  let size = 1;
  for (const d of shape) size *= d;
  const out = newData(dtype, size);
  const ia = a.length === 1 ? 'one' : readOffsets(x.shape, shape);
  const ib = b.length === 1 ? 'one' : readOffsets(y.shape, shape);
  if (ia === null && ib === null) {
    switch (op) {
      case '+':
        for (let i = 0; i < size; i++) out[i] = a[i]! + b[i]!;
        break;
      case '-':
        for (let i = 0; i < size; i++) out[i] = a[i]! - b[i]!;
        break;
      case '*':
        for (let i = 0; i < size; i++) out[i] = a[i]! * b[i]!;
        break;
      case '/':
        for (let i = 0; i < size; i++) out[i] = a[i]! / b[i]!;
        break;
      case '**':
        for (let i = 0; i < size; i++) out[i] = Math.pow(a[i]!, b[i]!);
        break;
    }
  } else if (ia === null && ib === 'one') {
    const c = b[0]!;
    switch (op) {
      case '+':
        for (let i = 0; i < size; i++) out[i] = a[i]! + c;
        break;
      case '-':
        for (let i = 0; i < size; i++) out[i] = a[i]! - c;
        break;
      case '*':
        for (let i = 0; i < size; i++) out[i] = a[i]! * c;
        break;
      case '/':
        for (let i = 0; i < size; i++) out[i] = a[i]! / c;
        break;
      case '**':
        for (let i = 0; i < size; i++) out[i] = Math.pow(a[i]!, c);
        break;
    }
  } else if (ia === 'one' && ib === null) {
    const c = a[0]!;
    switch (op) {
      case '+':
        for (let i = 0; i < size; i++) out[i] = c + b[i]!;
        break;
      case '-':
        for (let i = 0; i < size; i++) out[i] = c - b[i]!;
        break;
      case '*':
        for (let i = 0; i < size; i++) out[i] = c * b[i]!;
        break;
      case '/':
        for (let i = 0; i < size; i++) out[i] = c / b[i]!;
        break;
      case '**':
        for (let i = 0; i < size; i++) out[i] = Math.pow(c, b[i]!);
        break;
    }
  } else {
    const f = BINARY[op];
    for (let i = 0; i < size; i++) {
      const p = ia === null ? i : ia === 'one' ? 0 : ia[i]!;
      const q = ib === null ? i : ib === 'one' ? 0 : ib[i]!;
      out[i] = f(a[p]!, b[q]!);
    }
  }
  return fromValues(out, shape, dtype);
}

const BINARY: Record<HostBinaryOp, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '**': (a, b) => Math.pow(a, b),
};

export type HostUnaryOp = 'neg' | 'exp' | 'tanh';

/** A unary op as the cpu backend computes it (neg multiplies by -1; exp and tanh use Math). */
export function hostUnary(op: HostUnaryOp, x: tf.Tensor, dtype: DType): tf.Tensor {
  const a = valuesOf(x);
  const n = a.length;
  const out = newData(dtype, n);
  if (op === 'neg') for (let i = 0; i < n; i++) out[i] = -1 * a[i]!;
  else if (op === 'exp') for (let i = 0; i < n; i++) out[i] = Math.exp(a[i]!);
  else for (let i = 0; i < n; i++) out[i] = Math.tanh(a[i]!);
  return fromValues(out, x.shape, dtype);
}

/**
 * A 2-D float32 matrix product [m, k] × [k, n], as the cpu backend's batchMatMul computes it: the products of
 * one block of k (the backend's block size) are summed in double precision, in order of k, then added to the
 * float32 result. Four columns are summed at once (each sum still in its own order).
 */
export function hostMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [m, k] = a.shape as [number, number];
  const n = b.shape[1]!;
  const av = valuesOf(a);
  const bv = valuesOf(b);
  const out = newData('float32', m * n) as Float32Array;
  const block = (tf.backend() as unknown as { blockSize?: number }).blockSize ?? 48;
  for (let k0 = 0; k0 < k; k0 += block) {
    const k1 = Math.min(k0 + block, k);
    for (let i = 0; i < m; i++) {
      const row = i * k;
      const o = i * n;
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        let s0 = 0.0;
        let s1 = 0.0;
        let s2 = 0.0;
        let s3 = 0.0;
        for (let kk = k0; kk < k1; kk++) {
          const x = av[row + kk]!;
          const at = kk * n + j;
          s0 += x * bv[at]!;
          s1 += x * bv[at + 1]!;
          s2 += x * bv[at + 2]!;
          s3 += x * bv[at + 3]!;
        }
        out[o + j] = out[o + j]! + s0;
        out[o + j + 1] = out[o + j + 1]! + s1;
        out[o + j + 2] = out[o + j + 2]! + s2;
        out[o + j + 3] = out[o + j + 3]! + s3;
      }
      for (; j < n; j++) {
        let s = 0.0;
        for (let kk = k0; kk < k1; kk++) s += av[row + kk]! * bv[kk * n + j]!;
        out[o + j] = out[o + j]! + s;
      }
    }
  }
  return fromValues(out, [m, n], 'float32');
}

/** Concatenation along `axis` of tensors already cast to `dtype` (a widening cast on cpu keeps the stored numbers). */
export function hostConcat(ts: readonly tf.Tensor[], axis: number, dtype: DType, shape: readonly number[]): tf.Tensor {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  let row = 1;
  for (let d = axis; d < shape.length; d++) row *= shape[d]!;
  const out = newData(dtype, outer * row);
  let col = 0;
  for (const t of ts) {
    const v = valuesOf(t);
    let inner = 1;
    for (let d = axis; d < t.shape.length; d++) inner *= t.shape[d]!;
    for (let r = 0, k = 0; r < outer; r++) {
      const at = r * row + col;
      for (let c = 0; c < inner; c++) out[at + c] = v[k++]!;
    }
    col += inner;
  }
  return fromValues(out, shape, dtype);
}

/**
 * tf.sum over `axes` (ascending) as the cpu backend computes it: for each kept position, the reduced elements
 * in row-major order summed in double precision from 0, stored as float32 (float input) or int32 (int, bool).
 */
export function hostSum(x: tf.Tensor, axes: readonly number[], shape: readonly number[]): tf.Tensor {
  const strides = stridesOf(x.shape);
  const kept: number[] = [];
  const keptJump: number[] = [];
  const red: number[] = [];
  const redJump: number[] = [];
  for (let d = 0; d < x.rank; d++) {
    if (axes.includes(d)) {
      red.push(x.shape[d]!);
      redJump.push(strides[d]!);
    } else {
      kept.push(x.shape[d]!);
      keptJump.push(strides[d]!);
    }
  }
  const starts = walkOffsets(0, kept, keptJump);
  const within = walkOffsets(0, red, redJump);
  const v = valuesOf(x);
  const dtype: DType = x.dtype === 'float32' ? 'float32' : 'int32';
  const out = newData(dtype, starts.length);
  for (let i = 0; i < starts.length; i++) {
    const base = starts[i]!;
    let sum = 0;
    for (let j = 0; j < within.length; j++) sum += v[base + within[j]!]!;
    out[i] = sum;
  }
  return fromValues(out, shape, dtype);
}
