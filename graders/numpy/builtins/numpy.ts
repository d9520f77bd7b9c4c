// The `np` module and the ndarray attribute/method whitelist.

import * as tf from '@tensorflow/tfjs-core';
import { axesArg, castTo, dtypeArg, pyNumberOf, toArray, toBool, toInt, toList, toNumber } from '../arrays';
import { msg, PyError } from '../errors';
import {
  type Ctx,
  type Kwargs,
  NONE,
  PyArray,
  type PyModule,
  type PyValue,
  builtin,
  iterator,
  pyDtype,
  pyFloat,
  pyInt,
  pyList,
  pyTuple,
  pyType,
  TRUE,
  FALSE,
} from '../values';
import { creationFunctions } from './creation';
import { replaceTensor } from './index';
import { dot, matmul, norm, outer, transpose } from './linalg';
import { binaryFunction, clip, elementwise, round, where } from './math';
import { randomModuleAttrs } from './random';
import { REDUCTIONS, type ReductionName, cumulative, reduce } from './reduce';
import { concatenate, expandDims, flip, hsplit, hstack, ravel, repeat, reshape, shapeFromArgs, split, squeeze, stack, swapaxes, tile, vsplit, vstack } from './shape';
import { bindArgs } from './signature';
import { einsum, rint } from './ufunc';

type Fn = (ctx: Ctx, args: PyValue[], kw: Kwargs) => PyValue;

const REDUCE_PARAMS: Record<ReductionName, string[]> = {
  sum: ['a', 'axis=None', 'dtype=None', 'out=None', 'keepdims=False'],
  mean: ['a', 'axis=None', 'dtype=None', 'out=None', 'keepdims=False'],
  prod: ['a', 'axis=None', 'dtype=None', 'out=None', 'keepdims=False'],
  max: ['a', 'axis=None', 'out=None', 'keepdims=False'],
  min: ['a', 'axis=None', 'out=None', 'keepdims=False'],
  any: ['a', 'axis=None', 'out=None', 'keepdims=False'],
  all: ['a', 'axis=None', 'out=None', 'keepdims=False'],
  argmax: ['a', 'axis=None', 'out=None', 'keepdims=False'],
  argmin: ['a', 'axis=None', 'out=None', 'keepdims=False'],
  var: ['a', 'axis=None', 'dtype=None', 'out=None', 'ddof=0', 'keepdims=False'],
  std: ['a', 'axis=None', 'dtype=None', 'out=None', 'ddof=0', 'keepdims=False'],
};

function reductionFn(name: ReductionName, selfArg: PyArray | null): Fn {
  const params = selfArg ? REDUCE_PARAMS[name].slice(1) : REDUCE_PARAMS[name];
  return (ctx, args, kw) => {
    const bound = bindArgs(name, params, args, kw);
    const get = (p: string): PyValue | undefined => bound[params.findIndex((x) => x.split('=')[0] === p)];
    const a = selfArg ?? bound[0]!;
    const out = get('out');
    if (out && out.kind !== 'none') throw new PyError('TypeError', msg.unsupportedArg(name, 'out', '...'));
    const ddofV = get('ddof');
    let r = reduce(ctx, name, a, {
      axis: get('axis'),
      keepdims: toBool(get('keepdims'), name, 'keepdims'),
      ddof: ddofV ? toNumber(ddofV, name, 'ddof') : 0,
    });
    const dt = dtypeArg(get('dtype'), name);
    if (dt && dt !== r.dtype) r = ctx.wrap(tf.cast(r.t, dt), r.scalar);
    return r;
  };
}

function fns(): [string, Fn][] {
  const list: [string, Fn][] = [...creationFunctions];
  const one = (name: string, params: string[], f: (ctx: Ctx, a: (PyValue | undefined)[]) => PyValue): void => {
    list.push([name, (ctx, args, kw) => f(ctx, bindArgs(name, params, args, kw))]);
  };
  for (const name of ['exp', 'log', 'log2', 'log10', 'log1p', 'expm1', 'sqrt', 'tanh', 'sin', 'cos', 'tan', 'arcsin', 'arccos', 'arctan', 'sinh', 'cosh', 'floor', 'ceil', 'reciprocal', 'isnan', 'isinf', 'isfinite', 'abs', 'absolute', 'sign', 'square', 'negative']) {
    const f = elementwise(name)!;
    one(name, ['x'], (ctx, [x]) => f(ctx, x!));
  }
  for (const name of ['add', 'subtract', 'multiply', 'divide', 'true_divide', 'floor_divide', 'mod', 'remainder', 'power', 'maximum', 'minimum', 'logical_and', 'logical_or', 'arctan2']) {
    one(name, ['x1', 'x2'], (ctx, [a, b]) => binaryFunction(ctx, name, a!, b!));
  }
  one('logical_not', ['x'], (ctx, [x]) => {
    const A = toArray(ctx, x!, 'logical_not', 'x');
    return ctx.wrap(tf.logicalNot(castTo(A.t, 'bool')), A.scalar || x!.kind !== 'array');
  });
  one('where', ['condition', 'x=None', 'y=None'], (ctx, [c, x, y]) => {
    if (x!.kind === 'none' && y!.kind === 'none') return nonzero(ctx, c!);
    if (x!.kind === 'none' || y!.kind === 'none') throw new PyError('ValueError', 'where には x と y を両方渡すか、どちらも渡さないでください');
    return where(ctx, c!, x!, y!);
  });
  one('nonzero', ['a'], (ctx, [a]) => nonzero(ctx, a!));
  one('clip', ['a', 'a_min', 'a_max'], (ctx, [a, lo, hi]) => clip(ctx, a!, lo!, hi!));
  one('rint', ['x'], (ctx, [x]) => rint(ctx, x!));
  list.push(['einsum', einsum]);
  for (const name of ['round', 'around']) {
    one(name, ['a', 'decimals=0'], (ctx, [a, d]) => round(ctx, a!, toInt(d!, name, 'decimals')));
  }
  for (const name of REDUCTIONS) list.push([name, reductionFn(name, null)]);
  list.push(['amax', reductionFn('max', null)], ['amin', reductionFn('min', null)]);
  one('cumsum', ['a', 'axis=None'], (ctx, [a, axis]) => cumulative(ctx, 'cumsum', a!, axis));
  one('cumprod', ['a', 'axis=None'], (ctx, [a, axis]) => cumulative(ctx, 'cumprod', a!, axis));
  one('dot', ['a', 'b'], (ctx, [a, b]) => dot(ctx, a!, b!));
  one('matmul', ['x1', 'x2'], (ctx, [a, b]) => matmul(ctx, toArray(ctx, a!, 'matmul', 'x1'), toArray(ctx, b!, 'matmul', 'x2')));
  one('outer', ['a', 'b'], (ctx, [a, b]) => outer(ctx, a!, b!));
  one('inner', ['a', 'b'], (ctx, [a, b]) => {
    const B = toArray(ctx, b!, 'inner', 'b');
    return dot(ctx, a!, B.t.rank >= 2 ? transpose(ctx, B, swapLast(B.t.rank)) : B);
  });
  one('transpose', ['a', 'axes=None'], (ctx, [a, axes]) => transpose(ctx, toArray(ctx, a!, 'transpose', 'a'), axesList(axes!)));
  one('reshape', ['a', 'newshape'], (ctx, [a, s]) => reshape(ctx, toArray(ctx, a!, 'reshape', 'a'), shapeFromArgs([s!], 'reshape')));
  one('ravel', ['a'], (ctx, [a]) => ravel(ctx, toArray(ctx, a!, 'ravel', 'a')));
  one('concatenate', ['arrays', 'axis=0'], (ctx, [a, axis]) => concatenate(ctx, a!, axis!));
  one('stack', ['arrays', 'axis=0'], (ctx, [a, axis]) => stack(ctx, a!, axis!));
  one('hstack', ['tup'], (ctx, [a]) => hstack(ctx, a!));
  one('vstack', ['tup'], (ctx, [a]) => vstack(ctx, a!));
  one('split', ['ary', 'indices_or_sections', 'axis=0'], (ctx, [a, s, axis]) => split(ctx, toArray(ctx, a!, 'split', 'ary'), s!, axis!));
  one('array_split', ['ary', 'indices_or_sections', 'axis=0'], (ctx, [a, s, axis]) => split(ctx, toArray(ctx, a!, 'array_split', 'ary'), s!, axis!));
  one('hsplit', ['ary', 'indices_or_sections'], (ctx, [a, s]) => hsplit(ctx, toArray(ctx, a!, 'hsplit', 'ary'), s!));
  one('vsplit', ['ary', 'indices_or_sections'], (ctx, [a, s]) => vsplit(ctx, toArray(ctx, a!, 'vsplit', 'ary'), s!));
  one('expand_dims', ['a', 'axis'], (ctx, [a, axis]) => expandDims(ctx, toArray(ctx, a!, 'expand_dims', 'a'), axis!));
  one('squeeze', ['a', 'axis=None'], (ctx, [a, axis]) => squeeze(ctx, toArray(ctx, a!, 'squeeze', 'a'), axis!));
  one('flip', ['m', 'axis=None'], (ctx, [a, axis]) => flip(ctx, toArray(ctx, a!, 'flip', 'm'), axis!));
  one('fliplr', ['m'], (ctx, [a]) => flip(ctx, toArray(ctx, a!, 'fliplr', 'm'), pyInt(1)));
  one('flipud', ['m'], (ctx, [a]) => flip(ctx, toArray(ctx, a!, 'flipud', 'm'), pyInt(0)));
  one('swapaxes', ['a', 'axis1', 'axis2'], (ctx, [a, i, j]) => swapaxes(ctx, toArray(ctx, a!, 'swapaxes', 'a'), i!, j!));
  one('tile', ['A', 'reps'], (ctx, [a, r]) => tile(ctx, toArray(ctx, a!, 'tile', 'A'), r!));
  one('repeat', ['a', 'repeats', 'axis=None'], (ctx, [a, r, axis]) => repeat(ctx, toArray(ctx, a!, 'repeat', 'a'), r!, axis!));
  one('shape', ['a'], (ctx, [a]) => pyTuple(toArray(ctx, a!, 'shape', 'a').shape.map(pyInt)));
  one('ndim', ['a'], (ctx, [a]) => pyInt(toArray(ctx, a!, 'ndim', 'a').t.rank));
  one('size', ['a'], (ctx, [a]) => pyInt(toArray(ctx, a!, 'size', 'a').t.size));
  one('copy', ['a'], (ctx, [a]) => ctx.wrap(tf.clone(toArray(ctx, a!, 'copy', 'a').t)));
  one('allclose', ['a', 'b', 'rtol=1e-05', 'atol=1e-08'], (ctx, [a, b, rtol, atol]) => {
    const A = toArray(ctx, a!, 'allclose', 'a');
    const B = toArray(ctx, b!, 'allclose', 'b');
    const x = castTo(A.t, 'float32');
    const y = castTo(B.t, 'float32');
    const tol = tf.add(toNumber(atol!, 'allclose', 'atol'), tf.mul(toNumber(rtol!, 'allclose', 'rtol'), tf.abs(y)));
    return tf.all(tf.lessEqual(tf.abs(tf.sub(x, y)), tol)).dataSync()[0] ? TRUE : FALSE;
  });
  one('array_equal', ['a1', 'a2'], (ctx, [a, b]) => {
    const A = toArray(ctx, a!, 'array_equal', 'a1');
    const B = toArray(ctx, b!, 'array_equal', 'a2');
    if (A.shape.length !== B.shape.length || A.shape.some((d, i) => d !== B.shape[i])) return FALSE;
    return tf.all(tf.equal(castTo(A.t, 'float32'), castTo(B.t, 'float32'))).dataSync()[0] ? TRUE : FALSE;
  });
  one('argsort', ['a', 'axis=-1'], (ctx, [a, axis]) => argsort(ctx, toArray(ctx, a!, 'argsort', 'a'), axis!));
  one('sort', ['a', 'axis=-1'], (ctx, [a, axis]) => {
    const A = toArray(ctx, a!, 'sort', 'a');
    const idx = argsort(ctx, A, axis!);
    if (A.t.rank === 0) return ctx.wrap(tf.clone(A.t));
    if (A.t.size === 0) return ctx.wrap(axis!.kind === 'none' ? tf.reshape(A.t, [0]) : tf.clone(A.t));
    const ax = axis!.kind === 'none' ? 0 : toInt(axis!, 'sort', 'axis');
    const x = axis!.kind === 'none' ? tf.reshape(A.t, [-1]) : A.t;
    const n = ax < 0 ? ax + x.rank : ax;
    return ctx.wrap(gatherAlong(x, idx.t, n));
  });
  return list;
}

function gatherAlong(x: tf.Tensor, idx: tf.Tensor, axis: number): tf.Tensor {
  // move axis last, gather per row, move back
  const perm = x.shape.map((_, i) => i);
  perm.splice(axis, 1);
  perm.push(axis);
  const xt = tf.transpose(x, perm);
  const it = tf.transpose(idx, perm);
  const rows = tf.reshape(xt, [-1, x.shape[axis]!]);
  const irows = tf.reshape(it, [-1, x.shape[axis]!]);
  // Flat indices into the whole array instead of gather's batchDims: tfjs-wasm 4.22 returns the first row's
  // values for every later row with batchDims=1 (np.sort was wrong on wasm).
  const [count, width] = rows.shape as [number, number];
  const offsets = tf.reshape(tf.mul(tf.range(0, count, 1, 'int32'), tf.scalar(width, 'int32')), [count, 1]);
  const flat = tf.reshape(tf.add(tf.cast(irows, 'int32'), offsets), [-1]);
  const g = tf.gather(tf.reshape(rows, [-1]), flat);
  const back = tf.reshape(g, xt.shape);
  const inv = perm.map((_, i) => perm.indexOf(i));
  return tf.transpose(back, inv);
}

function argsort(ctx: Ctx, A: PyArray, axisV: PyValue): PyArray {
  let x = A.t;
  let axis: number;
  if (axisV.kind === 'none') {
    x = tf.reshape(x, [-1]);
    axis = 0;
  } else {
    if (x.rank === 0) return ctx.wrap(tf.scalar(0, 'int32'));
    axis = toInt(axisV, 'argsort', 'axis');
    axis = axis < 0 ? axis + x.rank : axis;
    if (axis < 0 || axis >= x.rank) throw new PyError('AxisError', msg.axisOutOfBounds(axis, x.rank));
  }
  const shape = x.shape;
  if (x.size === 0) return ctx.wrap(tf.zeros(shape, 'int32'));
  const len = shape[axis]!;
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const data = x.dataSync();
  const out = new Int32Array(data.length);
  const outer = data.length / Math.max(1, len * stride);
  for (let o = 0; o < outer; o++) {
    for (let s = 0; s < stride; s++) {
      const base = o * len * stride + s;
      const idx = Array.from({ length: len }, (_, i) => i);
      const val = (i: number): number => Number(data[base + i * stride]);
      idx.sort((p, q) => {
        const a = val(p);
        const b = val(q);
        if (Number.isNaN(a)) return Number.isNaN(b) ? p - q : 1;
        if (Number.isNaN(b)) return -1;
        return a - b || p - q;
      });
      idx.forEach((v, i) => (out[base + i * stride] = v));
    }
  }
  return ctx.wrap(tf.tensor(out, shape, 'int32'));
}

function swapLast(rank: number): number[] {
  const p = Array.from({ length: rank }, (_, i) => i);
  p[rank - 1] = rank - 2;
  p[rank - 2] = rank - 1;
  return p;
}

function axesList(v: PyValue): number[] | null {
  if (v.kind === 'none') return null;
  if (v.kind === 'tuple' || v.kind === 'list') return v.items.map((x) => toInt(x, 'transpose', 'axes'));
  return [toInt(v, 'transpose', 'axes')];
}

function nonzero(ctx: Ctx, v: PyValue): PyValue {
  const A = toArray(ctx, v, 'nonzero', 'a');
  if (A.t.rank === 0) throw new PyError('ValueError', '0 次元配列には nonzero が使えません');
  const data = A.t.dataSync();
  const shape = A.shape;
  const coords: number[][] = shape.map(() => []);
  for (let i = 0; i < data.length; i++) {
    if (!data[i]) continue;
    let rem = i;
    for (let j = shape.length - 1; j >= 0; j--) {
      coords[j]!.push(rem % shape[j]!);
      rem = Math.floor(rem / shape[j]!);
    }
  }
  return pyTuple(coords.map((c) => ctx.wrap(tf.tensor1d(c, 'int32'))));
}

let numpyModule: PyModule | null = null;

export function getNumpyModule(): PyModule {
  if (numpyModule) return numpyModule;
  const attrs = new Map<string, PyValue>();
  for (const [name, f] of fns()) attrs.set(name, builtin(`numpy.${name}`, f));
  attrs.set('pi', pyFloat(Math.PI));
  attrs.set('e', pyFloat(Math.E));
  attrs.set('inf', pyFloat(Infinity));
  attrs.set('nan', pyFloat(NaN));
  attrs.set('newaxis', NONE);
  for (const [name, d] of [
    ['float32', 'float32'],
    ['float64', 'float32'],
    ['float16', 'float32'],
    ['int32', 'int32'],
    ['int64', 'int32'],
    ['int8', 'int32'],
    ['uint8', 'int32'],
    ['bool_', 'bool'],
  ] as const) {
    attrs.set(name, pyDtype(d, name));
  }
  attrs.set('ndarray', pyType('ndarray'));
  attrs.set('random', { kind: 'module', name: 'numpy.random', attrs: randomModuleAttrs() });
  const linalg = new Map<string, PyValue>();
  linalg.set(
    'norm',
    builtin('numpy.linalg.norm', (ctx, args, kw) => {
      const [x, ord, axis, keepdims] = bindArgs('norm', ['x', 'ord=None', 'axis=None', 'keepdims=False'], args, kw);
      const X = toArray(ctx, x!, 'norm', 'x');
      return norm(ctx, X, ord!, axesArg(axis, X.t.rank, 'norm'), toBool(keepdims, 'norm', 'keepdims'));
    }),
  );
  attrs.set('linalg', { kind: 'module', name: 'numpy.linalg', attrs: linalg });
  numpyModule = { kind: 'module', name: 'numpy', attrs };
  return numpyModule;
}

/** Calling a dtype object (np.float32(3)) makes a numpy scalar or array. */
export function callDtype(ctx: Ctx, dtype: PyValue & { kind: 'dtype' }, args: PyValue[]): PyValue {
  const x = args[0] ?? pyInt(0);
  const A = toArray(ctx, x, dtype.name, 'x');
  return ctx.wrap(castTo(A.t, dtype.dtype), A.t.rank === 0);
}

// ---------- ndarray attributes and methods ----------

const ARRAY_METHODS = new Map<string, (ctx: Ctx, self: PyArray, args: PyValue[], kw: Kwargs) => PyValue>();
{
  const m = ARRAY_METHODS;
  for (const name of REDUCTIONS) {
    m.set(name, (ctx, self, args, kw) => reductionFn(name, self)(ctx, args, kw));
  }
  m.set('copy', (ctx, self, args, kw) => {
    bindArgs('copy', ['order=\'C\''], args, kw);
    return ctx.wrap(tf.clone(self.t));
  });
  m.set('astype', (ctx, self, args, kw) => {
    const [d] = bindArgs('astype', ['dtype', 'copy=True'], args, kw);
    const dt = dtypeArg(d, 'astype');
    if (!dt) throw new PyError('TypeError', msg.missingArg('astype', 'dtype'));
    return ctx.wrap(dt === self.dtype ? tf.clone(self.t) : tf.cast(self.t, dt), self.scalar);
  });
  m.set('reshape', (ctx, self, args, kw) => {
    if (kw && kw.size) {
      const [shape] = bindArgs('reshape', ['shape', 'order=\'C\''], args, kw);
      return reshape(ctx, self, shapeFromArgs([shape!], 'reshape'));
    }
    return reshape(ctx, self, shapeFromArgs(args, 'reshape'));
  });
  m.set('flatten', (ctx, self) => ravel(ctx, self));
  m.set('ravel', (ctx, self) => ravel(ctx, self));
  m.set('transpose', (ctx, self, args) => {
    if (args.length === 0) return transpose(ctx, self, null);
    if (args.length === 1 && args[0]!.kind === 'none') return transpose(ctx, self, null);
    const axes = args.length === 1 ? axesList(args[0]!) : args.map((x) => toInt(x, 'transpose', 'axes'));
    return transpose(ctx, self, axes);
  });
  m.set('dot', (ctx, self, args, kw) => {
    const [b] = bindArgs('dot', ['b'], args, kw);
    return dot(ctx, self, b!);
  });
  m.set('squeeze', (ctx, self, args, kw) => {
    const [axis] = bindArgs('squeeze', ['axis=None'], args, kw);
    return squeeze(ctx, self, axis!);
  });
  m.set('clip', (ctx, self, args, kw) => {
    const [lo, hi] = bindArgs('clip', ['min=None', 'max=None'], args, kw);
    return clip(ctx, self, lo!, hi!);
  });
  m.set('round', (ctx, self, args, kw) => {
    const [d] = bindArgs('round', ['decimals=0'], args, kw);
    return round(ctx, self, toInt(d!, 'round', 'decimals'));
  });
  m.set('cumsum', (ctx, self, args, kw) => {
    const [axis] = bindArgs('cumsum', ['axis=None'], args, kw);
    return cumulative(ctx, 'cumsum', self, axis);
  });
  m.set('swapaxes', (ctx, self, args, kw) => {
    const [i, j] = bindArgs('swapaxes', ['axis1', 'axis2'], args, kw);
    return swapaxes(ctx, self, i!, j!);
  });
  m.set('repeat', (ctx, self, args, kw) => {
    const [r, axis] = bindArgs('repeat', ['repeats', 'axis=None'], args, kw);
    return repeat(ctx, self, r!, axis!);
  });
  m.set('argsort', (ctx, self, args, kw) => {
    const [axis] = bindArgs('argsort', ['axis=-1'], args, kw);
    return argsort(ctx, self, axis!);
  });
  m.set('tolist', (ctx, self) => toList(ctx, self));
  m.set('item', (ctx, self, args) => {
    if (args.length === 0) {
      if (self.t.size !== 1) throw new PyError('ValueError', msg.sizeOneOnly('Python のスカラー'));
      return pyNumberOf(new PyArray(tf.reshape(self.t, [])));
    }
    const i = toInt(args[0]!, 'item', 'index');
    const n = self.t.size;
    if (i < -n || i >= n) throw new PyError('IndexError', msg.indexOutOfBounds(i, 0, n));
    const v = Number(self.t.dataSync()[i < 0 ? i + n : i]);
    return pyNumberOf(ctx.wrap(tf.scalar(v, self.dtype)));
  });
  m.set('fill', (ctx, self, args, kw) => {
    const [v] = bindArgs('fill', ['value'], args, kw);
    replaceTensor(ctx, self, tf.fill(self.shape, toNumber(v!, 'fill', 'value'), self.dtype));
    return NONE;
  });
  m.set('nonzero', (ctx, self) => nonzero(ctx, self));
}

export const ARRAY_ATTRIBUTE_NAMES: readonly string[] = ['shape', 'ndim', 'size', 'dtype', 'T', ...ARRAY_METHODS.keys()];

export function getArrayAttr(ctx: Ctx, self: PyArray, name: string): PyValue | undefined {
  switch (name) {
    case 'shape':
      return pyTuple(self.shape.map(pyInt));
    case 'ndim':
      return pyInt(self.t.rank);
    case 'size':
      return pyInt(self.t.size);
    case 'dtype':
      return pyDtype(self.dtype);
    case 'T':
      return transpose(ctx, self, null);
    default: {
      const f = ARRAY_METHODS.get(name);
      if (!f) return undefined;
      return builtin(`ndarray.${name}`, (c, args, kw) => f(c, self, args, kw));
    }
  }
}

/** Iterate an array along its first axis (rows are views), one row at a time: nothing is materialised up front. */
export function arrayIterator(ctx: Ctx, A: PyArray): PyValue {
  if (A.t.rank === 0) throw new PyError('TypeError', msg.iterate0d());
  const n = A.shape[0]!;
  let i = 0;
  if (A.t.rank === 1) {
    const data = A.t.dataSync();
    return iterator('iterator', () => {
      if (i >= n) return undefined;
      ctx.tick();
      return ctx.wrap(tf.scalar(Number(data[i++]), A.dtype), true);
    });
  }
  // rows of the array as it was when the loop started (writes through a row go to A, as before); each row is
  // copied out of the data when it is reached, one tensor per row and no kernel call
  const data = A.t.dataSync();
  const rest = A.shape.slice(1);
  const rowSize = A.t.size / Math.max(1, n);
  const dtype = A.dtype;
  return iterator('iterator', () => {
    if (i >= n) return undefined;
    ctx.tick();
    const idx = i++;
    const row = ctx.wrap(tf.tensor(data.slice(idx * rowSize, (idx + 1) * rowSize), rest, dtype));
    return new PyArray(row.t, false, { arr: A, index: pyInt(idx) });
  });
}

export { pyList };
