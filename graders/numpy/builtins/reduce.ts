// Reductions (function and method forms): sum, mean, max, min, prod, argmax, argmin, var, std, any, all,
// cumsum. axis=None reduces everything and gives a numpy scalar; axis may be an int, a negative int or a tuple.

import * as tf from '@tensorflow/tfjs-core';
import { axesArg, castTo, normAxis, sizeOf, toArray, toInt } from '../arrays';
import { msg, PyError } from '../errors';
import type { Ctx, PyArray, PyValue } from '../values';
import { hostSum, onCpu } from '../host';

export const REDUCTIONS = ['sum', 'mean', 'max', 'min', 'prod', 'var', 'std', 'any', 'all', 'argmax', 'argmin'] as const;
export type ReductionName = (typeof REDUCTIONS)[number];

export interface ReduceOptions {
  axis: PyValue | undefined;
  keepdims: boolean;
  ddof?: number;
}

const NUMPY_NAME: Record<ReductionName, string> = {
  sum: 'sum',
  mean: 'mean',
  max: 'maximum',
  min: 'minimum',
  prod: 'prod',
  var: 'var',
  std: 'std',
  any: 'any',
  all: 'all',
  argmax: 'argmax',
  argmin: 'argmin',
};

export function reduce(ctx: Ctx, name: ReductionName, v: PyValue, opts: ReduceOptions): PyArray {
  const A = toArray(ctx, v, name, 'a');
  const rank = A.t.rank;
  if (name === 'argmax' || name === 'argmin') return argReduce(ctx, name, A, opts);
  const axes = axesArg(opts.axis, rank, name) ?? A.shape.map((_, i) => i);
  const { keepdims } = opts;
  const count = sizeOf(axes.map((a) => A.shape[a]!));
  // reducing an empty axis can give a result bigger than the input (np.zeros((10**9, 0)).sum(axis=1))
  ctx.checkShape(reducedShape(A.shape, axes, keepdims));
  const outRank = keepdims ? rank : rank - axes.length;
  const wrap = (t: tf.Tensor): PyArray => ctx.wrap(t, outRank === 0);
  const x = A.t;
  if (axes.length === 0) {
    // reducing over no axes (0-d input): the value itself, with the reduction's dtype
    const same = name === 'max' || name === 'min' || name === 'any' || name === 'all';
    if (name === 'var' || name === 'std') return wrap(tf.zerosLike(castTo(x, 'float32')));
    if (name === 'any' || name === 'all') return wrap(castTo(x, 'bool'));
    return wrap(same ? tf.clone(x) : name === 'mean' ? castTo(x, 'float32') : x.dtype === 'bool' ? castTo(x, 'int32') : tf.clone(x));
  }
  switch (name) {
    case 'sum':
      if (onCpu()) return wrap(hostSum(x, axes, reducedShape(A.shape, axes, keepdims)));
      return wrap(tf.sum(x.dtype === 'bool' ? castTo(x, 'int32') : x, axes, keepdims));
    case 'prod':
      return wrap(tf.prod(x.dtype === 'bool' ? castTo(x, 'int32') : x, axes, keepdims));
    case 'mean':
      if (count === 0) return wrap(tf.fill(reducedShape(A.shape, axes, keepdims), NaN, 'float32'));
      return wrap(tf.mean(castTo(x, 'float32'), axes, keepdims));
    case 'max':
    case 'min': {
      if (count === 0) throw new PyError('ValueError', msg.emptyReduction(NUMPY_NAME[name]));
      const xi = x.dtype === 'bool' ? castTo(x, 'int32') : x;
      let r = name === 'max' ? tf.max(xi, axes, keepdims) : tf.min(xi, axes, keepdims);
      // numpy propagates NaN
      if (x.dtype === 'float32') r = tf.where(tf.any(tf.isNaN(x), axes, keepdims), tf.fill(r.shape, NaN), r);
      return wrap(x.dtype === 'bool' ? castTo(r, 'bool') : r);
    }
    case 'any':
      return wrap(tf.any(castTo(x, 'bool'), axes, keepdims));
    case 'all':
      return wrap(tf.all(castTo(x, 'bool'), axes, keepdims));
    case 'var':
    case 'std': {
      const ddof = opts.ddof ?? 0;
      const xf = castTo(x, 'float32');
      const mean = tf.mean(xf, axes, true);
      const sq = tf.sum(tf.square(tf.sub(xf, mean)), axes, keepdims);
      const variance = tf.div(sq, Math.max(0, count - ddof));
      return wrap(name === 'std' ? tf.sqrt(variance) : variance);
    }
  }
}

function reducedShape(shape: readonly number[], axes: number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}

function argReduce(ctx: Ctx, name: 'argmax' | 'argmin', A: PyArray, opts: ReduceOptions): PyArray {
  const x = A.dtype === 'bool' ? castTo(A.t, 'int32') : A.t;
  const f = name === 'argmax' ? tf.argMax : tf.argMin;
  if (!opts.axis || opts.axis.kind === 'none') {
    if (A.t.size === 0) throw new PyError('ValueError', msg.argReduceEmpty(name));
    const r = f(tf.reshape(x, [-1]), 0);
    return opts.keepdims ? ctx.wrap(tf.reshape(r, A.shape.map(() => 1))) : ctx.wrap(r, true);
  }
  const axis = normAxis(toInt(opts.axis, name, 'axis'), A.t.rank);
  if (A.shape[axis] === 0) throw new PyError('ValueError', msg.argReduceEmpty(name));
  let r = f(x, axis);
  if (opts.keepdims) r = tf.expandDims(r, axis);
  return ctx.wrap(r, r.rank === 0);
}

export function cumulative(ctx: Ctx, name: 'cumsum' | 'cumprod', v: PyValue, axisV: PyValue | undefined): PyArray {
  const A = toArray(ctx, v, name, 'a');
  let x = A.dtype === 'bool' ? castTo(A.t, 'int32') : A.t;
  let axis = 0;
  if (!axisV || axisV.kind === 'none') x = tf.reshape(x, [-1]);
  else axis = normAxis(toInt(axisV, name, 'axis'), A.t.rank);
  if (x.rank === 0) x = tf.reshape(x, [1]);
  if (name === 'cumsum') return ctx.wrap(tf.cumsum(x, axis));
  // cumprod via JS on the data (tfjs has no cumprod)
  const data = Array.from(x.dataSync() as ArrayLike<number>);
  const shape = x.shape;
  const stride = sizeOf(shape.slice(axis + 1));
  const len = shape[axis]!;
  for (let i = 0; i < data.length; i++) {
    const pos = Math.floor(i / stride) % len;
    if (pos > 0) data[i] = data[i]! * data[i - stride]!;
  }
  return ctx.wrap(tf.tensor(data, shape, x.dtype));
}
