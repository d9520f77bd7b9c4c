// np.add.at / np.subtract.at (unbuffered in-place accumulation), np.rint and np.einsum.

import * as tf from '@tensorflow/tfjs-core';
import { castTo, sizeOf, toArray } from '../arrays';
import { msg, PyError } from '../errors';
import { type Ctx, type Kwargs, NONE, PyArray, type PyValue, builtin, typeName } from '../values';
import { getArrayItem, replaceTensor } from './index';
import { bindArgs } from './signature';

// ---------- ufunc.at ----------

/** The ufuncs whose `.at` the interpreter has (the only attribute a builtin function has). */
const AT_UFUNCS = new Set(['numpy.add', 'numpy.subtract']);

export function ufuncAttr(fnName: string, attr: string): PyValue | undefined {
  if (attr !== 'at' || !AT_UFUNCS.has(fnName)) return undefined;
  const op = fnName === 'numpy.add' ? 'add' : 'subtract';
  return builtin(`${fnName}.at`, (ctx, args, kw) => {
    const [a, indices, b] = bindArgs(`${op}.at`, ['a', 'indices', 'b=None'], args, kw);
    ufuncAt(ctx, op, a!, indices!, b!);
    return NONE;
  });
}

/** a[indices] op= b, one element at a time (repeated indices accumulate), in place: every holder of `a` sees it. */
export function ufuncAt(ctx: Ctx, op: 'add' | 'subtract', a: PyValue, indices: PyValue, b: PyValue): void {
  if (a.kind !== 'array' || a.scalar) throw new PyError('TypeError', msg.ufuncAtArray(op));
  if (b.kind === 'none') throw new PyError('ValueError', msg.ufuncAtSecond(op));
  const B = toArray(ctx, b, `${op}.at`, 'b');
  const x = a.t;
  if (x.dtype === 'bool' && op === 'subtract') throw new PyError('TypeError', msg.boolSubtract());
  // flat positions of the indexed elements, in the indexed shape (the index rules of a[indices])
  ctx.checkShape(x.shape);
  const positions = getArrayItem(ctx, new PyArray(tf.reshape(tf.range(0, x.size, 1, 'int32'), x.shape)), indices);
  const rshape = positions.shape;
  const pos = positions.t.dataSync();
  if (pos.length === 0) return;
  let vshape = B.shape;
  while (vshape.length > rshape.length && vshape[0] === 1) vshape = vshape.slice(1);
  let ok = vshape.length <= rshape.length;
  for (let i = 1; ok && i <= vshape.length; i++) {
    const d = vshape[vshape.length - i]!;
    if (d !== 1 && d !== rshape[rshape.length - i]) ok = false;
  }
  if (!ok) throw new PyError('ValueError', msg.broadcastTo(B.shape, rshape));
  ctx.checkShape(rshape);
  const vals = tf.broadcastTo(tf.reshape(castTo(B.t, B.dtype === 'bool' ? 'int32' : B.dtype), vshape), rshape).dataSync();
  ctx.work(pos.length);
  const src = x.dataSync();
  if (x.dtype === 'bool') {
    const out = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = src[i] ? 1 : 0;
    for (let i = 0; i < pos.length; i++) if (vals[i]) out[Number(pos[i])] = 1;
    replaceTensor(ctx, a, tf.tensor(out, x.shape, 'bool'));
    return;
  }
  // unsafe casting per step, as numpy's ufunc.at (an int array truncates after every addition)
  const out = x.dtype === 'int32' ? Int32Array.from(src as Int32Array) : Float32Array.from(src as Float32Array);
  const sign = op === 'add' ? 1 : -1;
  for (let i = 0; i < pos.length; i++) {
    const p = Number(pos[i]);
    out[p] = out[p]! + sign * Number(vals[i]);
  }
  replaceTensor(ctx, a, tf.tensor(out, x.shape, x.dtype));
}

// ---------- rint ----------

export function rint(ctx: Ctx, v: PyValue): PyArray {
  const a = toArray(ctx, v, 'rint', 'x');
  const scalar = v.kind !== 'array' || a.scalar || a.t.rank === 0;
  // tf.round rounds half to even, as numpy
  return ctx.wrap(tf.round(castTo(a.t, 'float32')), scalar);
}

// ---------- einsum ----------

const LABEL = /^[A-Za-z]$/;

interface Spec {
  inputs: string[][];
  output: string[];
}

function parseSubscripts(s: string, nOps: number): Spec {
  if (s.includes('.')) throw new PyError('ValueError', msg.einsumEllipsis());
  const text = s.replace(/\s+/g, '');
  const arrow = text.indexOf('->');
  const lhs = arrow < 0 ? text : text.slice(0, arrow);
  const rhs = arrow < 0 ? null : text.slice(arrow + 2);
  if (rhs !== null && rhs.includes('->')) throw new PyError('ValueError', msg.einsumBadSubscripts(s));
  const parts = lhs.split(',');
  if (parts.length > nOps) throw new PyError('ValueError', msg.einsumOperandCount(parts.length, nOps));
  if (parts.length < nOps) throw new PyError('ValueError', msg.einsumOperandCount(parts.length, nOps));
  const inputs = parts.map((p) => {
    const labels = [...p];
    for (const c of labels) if (!LABEL.test(c)) throw new PyError('ValueError', msg.einsumBadSubscripts(s));
    return labels;
  });
  let output: string[];
  if (rhs === null) {
    const counts = new Map<string, number>();
    for (const labels of inputs) for (const c of labels) counts.set(c, (counts.get(c) ?? 0) + 1);
    // implicit mode: labels seen once, in alphabetical order (upper case first, as numpy)
    output = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
  } else {
    output = [...rhs];
    const seen = new Set<string>();
    for (const c of output) {
      if (!LABEL.test(c)) throw new PyError('ValueError', msg.einsumBadSubscripts(s));
      if (seen.has(c)) throw new PyError('ValueError', msg.einsumOutputTwice(c));
      seen.add(c);
      if (!inputs.some((l) => l.includes(c))) throw new PyError('ValueError', msg.einsumOutputUnknown(c));
    }
  }
  return { inputs, output };
}

export function einsum(ctx: Ctx, args: PyValue[], kw: Kwargs): PyArray {
  if (kw) {
    for (const [k, v] of kw) {
      if (k === 'optimize') continue;
      if (k === 'out' && v.kind === 'none') continue;
      throw new PyError('TypeError', msg.unexpectedKwarg('einsum', k));
    }
  }
  const sub = args[0];
  if (!sub) throw new PyError('TypeError', msg.missingArg('einsum', 'subscripts'));
  if (sub.kind !== 'str') throw new PyError('TypeError', msg.badArgType('einsum', 'subscripts', '文字列', typeName(sub)));
  const ops = args.slice(1).map((v, i) => toArray(ctx, v, 'einsum', `operands[${i}]`));
  if (ops.length === 0) throw new PyError('ValueError', msg.einsumOperandCount(0, 0));
  const spec = parseSubscripts(sub.v, ops.length);
  // label sizes (size-1 dims broadcast, as numpy)
  const size = new Map<string, number>();
  ops.forEach((A, k) => {
    const labels = spec.inputs[k]!;
    if (labels.length !== A.t.rank) throw new PyError('ValueError', msg.einsumRank(k, labels.length, A.t.rank));
    labels.forEach((c, d) => {
      const n = A.shape[d]!;
      const cur = size.get(c);
      if (cur === undefined || cur === 1) size.set(c, n);
      else if (n !== 1 && n !== cur) throw new PyError('ValueError', msg.einsumShape(c, cur, n));
    });
  });
  const outLabels = spec.output;
  const sumLabels = [...size.keys()].filter((c) => !outLabels.includes(c));
  const outShape = outLabels.map((c) => size.get(c)!);
  ctx.checkShape(outShape);
  const outSize = sizeOf(outShape);
  const sumSize = sizeOf(sumLabels.map((c) => size.get(c)!));
  // every output element sums sumSize products of ops.length factors: refuse the work before doing it
  ctx.countWork(outSize * Math.max(1, sumSize) * ops.length);
  const dtype = ops.every((A) => A.dtype === 'bool') ? 'bool' : ops.some((A) => A.dtype === 'float32') ? 'float32' : 'int32';
  const all = [...outLabels, ...sumLabels];
  const dims = all.map((c) => size.get(c)!);
  // per operand: its data and, per loop label, the stride to move by (0 when it lacks the label or has size 1)
  const datas = ops.map((A) => A.t.dataSync());
  const strides = ops.map((A, k) => {
    const labels = spec.inputs[k]!;
    const st = new Array<number>(all.length).fill(0);
    let s = 1;
    for (let d = labels.length - 1; d >= 0; d--) {
      const j = all.indexOf(labels[d]!);
      if (A.shape[d] !== 1) st[j]! += s;
      s *= A.shape[d]!;
    }
    return st;
  });
  const out = dtype === 'float32' ? new Float32Array(outSize) : dtype === 'int32' ? new Int32Array(outSize) : new Uint8Array(outSize);
  const nOut = outLabels.length;
  const nAll = all.length;
  const counter = new Array<number>(nAll).fill(0);
  const offs = new Array<number>(ops.length).fill(0);
  const total = outSize * sumSize;
  let acc = 0;
  let o = 0;
  for (let it = 0; it < total; it++) {
    let prod = 1;
    for (let k = 0; k < ops.length; k++) prod *= Number(datas[k]![offs[k]!]);
    acc += prod;
    // advance the odometer over (output labels, summed labels), innermost last
    let j = nAll - 1;
    for (; j >= 0; j--) {
      counter[j]!++;
      for (let k = 0; k < ops.length; k++) offs[k]! += strides[k]![j]!;
      if (counter[j]! < dims[j]!) break;
      for (let k = 0; k < ops.length; k++) offs[k]! -= strides[k]![j]! * dims[j]!;
      counter[j] = 0;
    }
    if (j < nOut) {
      // an output element is complete
      out[o++] = dtype === 'bool' ? (acc !== 0 ? 1 : 0) : acc;
      acc = 0;
    }
    if ((it & 0xffff) === 0xffff) ctx.work(0x10000);
  }
  const t = tf.tensor(out, outShape, dtype);
  return ctx.wrap(t, outShape.length === 0);
}

