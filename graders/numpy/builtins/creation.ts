// Array creation: array, asarray, zeros, ones, empty, full, *_like, eye, identity, tri, triu, tril, arange, linspace.

import * as tf from '@tensorflow/tfjs-core';
import { arrayFromValue, dtypeArg, scalarDtype, shapeArg, toArray, toInt, toNumber } from '../arrays';
import { msg, PyError } from '../errors';
import type { Ctx, DType, Kwargs, PyArray, PyValue } from '../values';
import { bindArgs } from './signature';

type Fn = (ctx: Ctx, args: PyValue[], kw: Kwargs) => PyValue;

function filled(ctx: Ctx, shape: number[], value: number, dtype: DType): PyArray {
  ctx.checkShape(shape);
  return ctx.wrap(value === 0 ? tf.zeros(shape, dtype) : tf.fill(shape, value, dtype));
}

export const creationFunctions: [string, Fn][] = [
  [
    'array',
    (ctx, args, kw) => {
      const [obj, dtype] = bindArgs('array', ['object', 'dtype=None', 'copy=True', 'ndmin=0'], args, kw);
      return arrayFromValue(ctx, obj!, dtypeArg(dtype, 'array'));
    },
  ],
  [
    'asarray',
    (ctx, args, kw) => {
      const [obj, dtype] = bindArgs('asarray', ['a', 'dtype=None'], args, kw);
      const d = dtypeArg(dtype, 'asarray');
      if (obj!.kind === 'array' && (!d || d === obj!.dtype)) return obj!;
      return arrayFromValue(ctx, obj!, d);
    },
  ],
  ...(['zeros', 'ones', 'empty'] as const).map((name): [string, Fn] => [
    name,
    (ctx, args, kw) => {
      const [shape, dtype] = bindArgs(name, ['shape', 'dtype=None'], args, kw);
      return filled(ctx, shapeArg(shape!, name), name === 'ones' ? 1 : 0, dtypeArg(dtype, name) ?? 'float32');
    },
  ]),
  [
    'full',
    (ctx, args, kw) => {
      const [shape, fill, dtype] = bindArgs('full', ['shape', 'fill_value', 'dtype=None'], args, kw);
      const d = dtypeArg(dtype, 'full') ?? scalarDtype(fill!) ?? (fill!.kind === 'array' ? fill!.dtype : 'float32');
      return filled(ctx, shapeArg(shape!, 'full'), toNumber(fill!, 'full', 'fill_value'), d);
    },
  ],
  ...(['zeros_like', 'ones_like', 'empty_like'] as const).map((name): [string, Fn] => [
    name,
    (ctx, args, kw) => {
      const [a, dtype] = bindArgs(name, ['a', 'dtype=None'], args, kw);
      const A = toArray(ctx, a!, name, 'a');
      return filled(ctx, A.shape, name === 'ones_like' ? 1 : 0, dtypeArg(dtype, name) ?? A.dtype);
    },
  ]),
  [
    'full_like',
    (ctx, args, kw) => {
      const [a, fill, dtype] = bindArgs('full_like', ['a', 'fill_value', 'dtype=None'], args, kw);
      const A = toArray(ctx, a!, 'full_like', 'a');
      return filled(ctx, A.shape, toNumber(fill!, 'full_like', 'fill_value'), dtypeArg(dtype, 'full_like') ?? A.dtype);
    },
  ],
  [
    'eye',
    (ctx, args, kw) => {
      const [nV, mV, kV, dtype] = bindArgs('eye', ['N', 'M=None', 'k=0', 'dtype=None'], args, kw);
      const n = toInt(nV!, 'eye', 'N');
      const m = mV!.kind === 'none' ? n : toInt(mV!, 'eye', 'M');
      const k = toInt(kV!, 'eye', 'k');
      return eye(ctx, n, m, k, dtypeArg(dtype, 'eye') ?? 'float32');
    },
  ],
  [
    'tri',
    (ctx, args, kw) => {
      const [nV, mV, kV, dtype] = bindArgs('tri', ['N', 'M=None', 'k=0', 'dtype=None'], args, kw);
      const n = toInt(nV!, 'tri', 'N');
      const m = mV!.kind === 'none' ? n : toInt(mV!, 'tri', 'M');
      if (n < 0 || m < 0) throw new PyError('ValueError', msg.negativeDimension());
      ctx.checkShape([n, m]);
      return ctx.wrap(tf.tensor(triangle(n, m, toInt(kV!, 'tri', 'k'), 'lower'), [n, m], dtypeArg(dtype, 'tri') ?? 'float32'));
    },
  ],
  ...(['triu', 'tril'] as const).map((name): [string, Fn] => [
    name,
    (ctx, args, kw) => {
      const [mV, kV] = bindArgs(name, ['m', 'k=0'], args, kw);
      const A = toArray(ctx, mV!, name, 'm');
      if (A.shape.length < 2) throw new PyError('ValueError', msg.syntax(`${name} には 2 次元以上の配列を渡してください（形 (${A.shape.join(', ')})）`));
      const [n, m] = A.shape.slice(-2) as [number, number];
      // the mask is built whole, even for an empty array with a huge axis
      ctx.checkShape([n, m]);
      // Keep the upper (triu) or lower (tril) triangle of the last two axes, zeros elsewhere.
      const keep = triangle(n, m, toInt(kV!, name, 'k'), name === 'triu' ? 'upper' : 'lower');
      const mask = tf.broadcastTo(tf.tensor(keep, [n, m], 'bool'), A.shape);
      return ctx.wrap(tf.where(mask, A.t, tf.zerosLike(A.t)));
    },
  ]),
  [
    'identity',
    (ctx, args, kw) => {
      const [nV, dtype] = bindArgs('identity', ['n', 'dtype=None'], args, kw);
      const n = toInt(nV!, 'identity', 'n');
      return eye(ctx, n, n, 0, dtypeArg(dtype, 'identity') ?? 'float32');
    },
  ],
  [
    'arange',
    (ctx, args, kw) => {
      const [a, b, c, dtype] = bindArgs('arange', ['start', 'stop=None', 'step=None', 'dtype=None'], args, kw);
      let start = a!;
      let stop = b!;
      if (stop.kind === 'none') {
        stop = start;
        start = { kind: 'int', v: 0 };
      }
      const step = c!.kind === 'none' ? ({ kind: 'int', v: 1 } as PyValue) : c!;
      const isFloat = [start, stop, step].some((v) => v.kind === 'float' || (v.kind === 'array' && v.dtype === 'float32'));
      const s0 = toNumber(start, 'arange', 'start');
      const s1 = toNumber(stop, 'arange', 'stop');
      const st = toNumber(step, 'arange', 'step');
      if (st === 0) throw new PyError('ZeroDivisionError', msg.zeroDivision());
      const len = Math.ceil((s1 - s0) / st);
      if (!Number.isFinite(len)) throw new PyError('ValueError', msg.arangeLength());
      const n = Math.max(0, len);
      ctx.checkShape([n]);
      const d = dtypeArg(dtype, 'arange') ?? (isFloat ? 'float32' : 'int32');
      const data = new Array<number>(n);
      for (let i = 0; i < n; i++) data[i] = s0 + i * st;
      return ctx.wrap(tf.tensor(data, [n], d));
    },
  ],
  [
    'linspace',
    (ctx, args, kw) => {
      const [a, b, numV, endpointV, , dtype] = bindArgs('linspace', ['start', 'stop', 'num=50', 'endpoint=True', 'retstep=False', 'dtype=None'], args, kw);
      const start = toNumber(a!, 'linspace', 'start');
      const stop = toNumber(b!, 'linspace', 'stop');
      const num = toInt(numV!, 'linspace', 'num');
      if (num < 0) throw new PyError('ValueError', msg.linspaceNum());
      const endpoint = endpointV!.kind === 'bool' ? endpointV!.v : true;
      ctx.checkShape([num]);
      const div = endpoint ? num - 1 : num;
      const step = div > 0 ? (stop - start) / div : NaN;
      const data = new Array<number>(num);
      for (let i = 0; i < num; i++) data[i] = div > 0 ? start + i * step : start;
      if (endpoint && num > 1) data[num - 1] = stop;
      const d = dtypeArg(dtype, 'linspace') ?? 'float32';
      return ctx.wrap(tf.tensor(d === 'int32' ? data.map(Math.floor) : data, [num], d));
    },
  ],
];

/** 1 where column − row ≥ k (upper) or ≤ k (lower), row-major, as numpy's triu/tril/tri count diagonals. */
function triangle(n: number, m: number, k: number, side: 'upper' | 'lower'): number[] {
  // the caller checked n × m; an empty shape may still have one huge side
  if (n * m === 0) return [];
  const out = new Array<number>(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = (side === 'upper' ? j - i >= k : j - i <= k) ? 1 : 0;
  return out;
}

function eye(ctx: Ctx, n: number, m: number, k: number, dtype: DType): PyArray {
  if (n < 0 || m < 0) throw new PyError('ValueError', msg.negativeDimension());
  ctx.checkShape([n, m]);
  const data = new Array<number>(n * m).fill(0);
  for (let i = 0; i < n && m > 0; i++) {
    const j = i + k;
    if (j >= 0 && j < m) data[i * m + j] = 1;
  }
  return ctx.wrap(tf.tensor(data, [n, m], dtype));
}
