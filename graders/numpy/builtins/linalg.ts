// Linear algebra with numpy's rules for 1-D operands: dot, matmul / @, outer, transpose, linalg.norm.

import * as tf from '@tensorflow/tfjs-core';
import { broadcastShapes, castTo, normAxis, promote, sizeOf, toArray } from '../arrays';
import { msg, PyError } from '../errors';
import { type Ctx, type DType, PyArray, type PyValue, numberOf, typeName } from '../values';
import { copyInJs, hostMatMul, hostTranspose, onCpu } from '../host';

/** Matrix product of float/int tensors (int and bool products are computed in float32 and cast back). */
function mm(ctx: Ctx, a: tf.Tensor, b: tf.Tensor, dtype: DType): tf.Tensor {
  const k = a.shape[a.rank - 1]!;
  ctx.countWork(sizeOf(a.shape.slice(0, -1)) * k * (b.shape[b.rank - 1] ?? 1) * Math.max(1, sizeOf(b.shape.slice(0, -2))));
  // on cpu a cast to float32 keeps the stored numbers, so the JS product reads them as they are
  if (dtype === 'float32' && a.rank === 2 && b.rank === 2 && onCpu()) return hostMatMul(a, b);
  const r = tf.matMul(castTo(a, 'float32'), castTo(b, 'float32'));
  if (dtype === 'float32') return r;
  if (dtype === 'bool') return tf.greater(r, 0);
  return castTo(tf.round(r), 'int32');
}

export function matmul(ctx: Ctx, A: PyArray, B: PyArray): PyArray {
  if (A.t.rank === 0 || B.t.rank === 0) throw new PyError('ValueError', msg.matmulScalar());
  const dtype = promote(A.dtype, B.dtype);
  const a = A.t.rank === 1 ? tf.reshape(A.t, [1, A.shape[0]!]) : A.t;
  const b = B.t.rank === 1 ? tf.reshape(B.t, [B.shape[0]!, 1]) : B.t;
  const ka = a.shape[a.rank - 1]!;
  const kb = b.shape[b.rank - 2]!;
  if (ka !== kb) throw new PyError('ValueError', msg.matmulMismatch(A.shape, B.shape, ka, kb));
  let batch: number[];
  try {
    batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    throw new PyError('ValueError', msg.matmulMismatch(A.shape, B.shape, ka, kb));
  }
  const m = a.shape[a.rank - 2]!;
  const n = b.shape[b.rank - 1]!;
  ctx.checkShape([...batch, m, n]);
  let r = mm(ctx, a, b, dtype);
  const outShape = [...batch];
  if (A.t.rank > 1) outShape.push(m);
  if (B.t.rank > 1) outShape.push(n);
  if (outShape.length !== r.rank) r = tf.reshape(r, outShape);
  return ctx.wrap(r, outShape.length === 0);
}

export function dot(ctx: Ctx, av: PyValue, bv: PyValue): PyArray {
  const A = toArray(ctx, av, 'dot', 'a');
  const B = toArray(ctx, bv, 'dot', 'b');
  const dtype = promote(A.dtype, B.dtype);
  if (A.t.rank === 0 || B.t.rank === 0) {
    const x = castTo(A.t, dtype);
    const y = castTo(B.t, dtype);
    return ctx.wrap(dtype === 'bool' ? tf.logicalAnd(x, y) : tf.mul(x, y), A.t.rank === 0 && B.t.rank === 0);
  }
  const ka = A.shape[A.t.rank - 1]!;
  const bAxis = B.t.rank === 1 ? 0 : B.t.rank - 2;
  const kb = B.shape[bAxis]!;
  if (ka !== kb) throw new PyError('ValueError', msg.dotAligned(A.shape, B.shape, ka, A.t.rank - 1, kb, bAxis));
  if (A.t.rank <= 2 && B.t.rank <= 2) return matmul(ctx, A, B);
  // N-D: sum over the last axis of a and the second-to-last of b
  const aRows = tf.reshape(A.t, [-1, ka]);
  const perm = B.shape.map((_, i) => i);
  perm.splice(bAxis, 1);
  perm.unshift(bAxis);
  const bCols = tf.reshape(tf.transpose(B.t, perm), [kb, -1]);
  const outShape = [...A.shape.slice(0, -1), ...B.shape.filter((_, i) => i !== bAxis)];
  ctx.checkShape(outShape);
  return ctx.wrap(tf.reshape(mm(ctx, aRows, bCols, dtype), outShape));
}

export function outer(ctx: Ctx, av: PyValue, bv: PyValue): PyArray {
  const A = toArray(ctx, av, 'outer', 'a');
  const B = toArray(ctx, bv, 'outer', 'b');
  const dtype = promote(A.dtype, B.dtype);
  ctx.checkShape([A.t.size, B.t.size]);
  const x = tf.reshape(castTo(A.t, dtype), [-1, 1]);
  const y = tf.reshape(castTo(B.t, dtype), [1, -1]);
  return ctx.wrap(dtype === 'bool' ? tf.logicalAnd(x, y) : tf.mul(x, y));
}

export function transpose(ctx: Ctx, A: PyArray, axes: number[] | null): PyArray {
  const n = A.t.rank;
  if (n < 2 && !axes) return ctx.wrap(tf.clone(A.t));
  let perm: number[];
  if (axes) {
    if (axes.length !== n) throw new PyError('ValueError', msg.transposeAxes());
    perm = axes.map((x) => normAxis(x, n));
    if (new Set(perm).size !== n) throw new PyError('ValueError', msg.repeatedAxis());
  } else perm = A.shape.map((_, i) => n - 1 - i);
  return ctx.wrap(copyInJs([A.t]) ? hostTranspose(A.t, perm) : tf.transpose(A.t, perm));
}

export function norm(ctx: Ctx, xv: PyValue, ord: PyValue, axis: number[] | null, keepdims: boolean): PyArray {
  const X = toArray(ctx, xv, 'norm', 'x');
  const x = castTo(X.t, 'float32');
  const ordNum = ord.kind === 'none' ? null : ord.kind === 'str' ? ord.v : numberOf(ord);
  if (ordNum === null && ord.kind !== 'none') throw new PyError('TypeError', msg.badArgType('norm', 'ord', '数値', typeName(ord)));
  const axes = axis ?? X.shape.map((_, i) => i);
  ctx.checkShape(X.shape.filter((_, i) => !axes.includes(i)));
  const isVector = axes.length === 1 || (axis === null && X.t.rank === 1);
  const scalar = !keepdims && axes.length === X.t.rank;
  const wrap = (t: tf.Tensor): PyArray => ctx.wrap(t, scalar);
  if (ordNum === null || ordNum === 'fro' || (isVector && ordNum === 2)) {
    if (axis === null && X.t.rank > 2 && ordNum !== null) throw new PyError('ValueError', msg.normOrd(String(ordNum)));
    return wrap(tf.sqrt(tf.sum(tf.square(x), axes, keepdims)));
  }
  if (isVector) {
    if (ordNum === Infinity) return wrap(tf.max(tf.abs(x), axes, keepdims));
    if (ordNum === -Infinity) return wrap(tf.min(tf.abs(x), axes, keepdims));
    if (ordNum === 1) return wrap(tf.sum(tf.abs(x), axes, keepdims));
    if (ordNum === 0) return wrap(tf.sum(castTo(tf.notEqual(x, 0), 'float32'), axes, keepdims));
    if (typeof ordNum === 'number') {
      return wrap(tf.pow(tf.sum(tf.pow(tf.abs(x), ordNum), axes, keepdims), 1 / ordNum));
    }
  }
  if (axes.length === 2 && !keepdims) {
    const [r, c] = axes as [number, number];
    if (ordNum === 1) return wrap(tf.max(tf.sum(tf.abs(x), r, true), [r, c]));
    if (ordNum === Infinity) return wrap(tf.max(tf.sum(tf.abs(x), c, true), [r, c]));
  }
  throw new PyError('ValueError', msg.normOrd(String(ordNum)));
}
