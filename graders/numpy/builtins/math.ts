// Arithmetic: Python operators on numbers, sequences and arrays (numpy broadcasting and dtype promotion), and
// numpy's elementwise functions.

import * as tf from '@tensorflow/tfjs-core';
import type { BinaryOp, CompareOp, UnaryOp } from '../ast';
import { broadcastShapes, castTo, promote, toArray, toNumber } from '../arrays';
import { msg, PyError } from '../errors';
import { formatExp, formatFixed, formatGeneral, formatPercent } from '../decimal';
import { str as pyStrOf, repr, formatPyFloat } from '../format';
import {
  type Ctx,
  type DType,
  FALSE,
  type Meter,
  checkedInt,
  nestingError,
  PyArray,
  type PyValue,
  TRUE,
  numberOf,
  pyBool,
  pyEquals,
  pyFloat,
  pyInt,
  pyList,
  pyStr,
  pyTuple,
  typeName,
} from '../values';
import { matmul } from './linalg';
import { type HostBinaryOp, type Operand, hostBinary, hostUnary, onCpu, valuesOf } from '../host';

const isArrayLike = (v: PyValue): boolean =>
  v.kind === 'array' || v.kind === 'int' || v.kind === 'float' || v.kind === 'bool' || v.kind === 'list' || v.kind === 'tuple';

/** Two operands as tensors of their common dtype, after checking that the shapes broadcast. */
function operands(ctx: Ctx, a: PyValue, b: PyValue, opName: string): { x: tf.Tensor; y: tf.Tensor; dtype: DType; shape: number[] } {
  const A = toArray(ctx, a, opName, 'x1');
  const B = toArray(ctx, b, opName, 'x2');
  let shape: number[];
  try {
    shape = broadcastShapes(A.shape, B.shape);
  } catch {
    throw new PyError('ValueError', `${opName}: ${msg.broadcast(A.shape, B.shape)}`);
  }
  ctx.checkShape(shape);
  const dtype = promote(A.dtype, B.dtype);
  return { x: scalarOperand(a, A, dtype) ?? castTo(A.t, dtype), y: scalarOperand(b, B, dtype) ?? castTo(B.t, dtype), dtype, shape };
}

/**
 * A Python bool or small int operand made directly in the operation's dtype (`1 - f`: no cast op). Only values
 * every backend converts exactly (|n| ≤ 2**24), so the numbers are those the cast would give; else null.
 */
function scalarOperand(v: PyValue, arr: PyArray, dtype: DType): tf.Tensor | null {
  if (arr.dtype === dtype) return null;
  if (v.kind === 'bool') return tf.scalar(v.v ? 1 : 0, dtype);
  if (v.kind === 'int' && Math.abs(v.v) <= 2 ** 24) return tf.scalar(v.v, dtype);
  return null;
}

function resultOf(ctx: Ctx, t: tf.Tensor, a: PyValue, b: PyValue): PyArray {
  // numpy: an operation on scalars gives a scalar
  const scalar = t.rank === 0 && (a.kind !== 'array' || a.scalar || a.t.rank === 0) && (b.kind !== 'array' || b.scalar || b.t.rank === 0);
  return ctx.wrap(t, scalar);
}

/** An operand of the cpu path: an array's stored values, or a Python number stored as tf.scalar would store it. */
function hostOperand(ctx: Ctx, v: PyValue): (Operand & { dtype: DType }) | null {
  switch (v.kind) {
    case 'array':
      return { values: valuesOf(v.t), shape: v.shape, dtype: v.dtype };
    case 'int':
      // the element budget counts the scalar array the tf path makes
      ctx.countWork(1);
      return { values: [v.v | 0], shape: [], dtype: 'int32' };
    case 'float':
      ctx.countWork(1);
      return { values: [Math.fround(v.v)], shape: [], dtype: 'float32' };
    case 'bool':
      ctx.countWork(1);
      return { values: [v.v ? 1 : 0], shape: [], dtype: 'bool' };
    default:
      return null;
  }
}

/**
 * arrayBinary on the cpu backend for + - * / and float **: the values computed in JS exactly as the backend's
 * kernels compute them (a widening cast there keeps the stored numbers, so int operands are read as they are).
 * null when the tf path must decide (bool operands, int powers, lists).
 */
function hostArrayBinary(ctx: Ctx, op: BinaryOp, a: PyValue, b: PyValue): PyArray | null {
  if (op !== '+' && op !== '-' && op !== '*' && op !== '/' && op !== '**') return null;
  if (!(a.kind === 'array' || a.kind === 'int' || a.kind === 'float' || a.kind === 'bool')) return null;
  if (!(b.kind === 'array' || b.kind === 'int' || b.kind === 'float' || b.kind === 'bool')) return null;
  const da = a.kind === 'array' ? a.dtype : a.kind === 'int' ? 'int32' : a.kind === 'float' ? 'float32' : 'bool';
  const db = b.kind === 'array' ? b.dtype : b.kind === 'int' ? 'int32' : b.kind === 'float' ? 'float32' : 'bool';
  const dtype = promote(da, db);
  if (dtype === 'bool' || (op === '**' && dtype !== 'float32')) return null;
  const A = hostOperand(ctx, a)!;
  const B = hostOperand(ctx, b)!;
  let shape: number[];
  try {
    shape = broadcastShapes(A.shape, B.shape);
  } catch {
    throw new PyError('ValueError', `${op}: ${msg.broadcast(A.shape, B.shape)}`);
  }
  ctx.checkShape(shape);
  return resultOf(ctx, hostBinary(op as HostBinaryOp, A, B, shape, op === '/' ? 'float32' : dtype), a, b);
}

export function arrayBinary(ctx: Ctx, op: BinaryOp, a: PyValue, b: PyValue): PyArray {
  if (op === '@') return matmul(ctx, toArray(ctx, a, 'matmul', 'x1'), toArray(ctx, b, 'matmul', 'x2'));
  if (onCpu()) {
    const r = hostArrayBinary(ctx, op, a, b);
    if (r) return r;
  }
  const { x, y, dtype } = operands(ctx, a, b, op);
  let t: tf.Tensor;
  switch (op) {
    case '+':
      t = dtype === 'bool' ? tf.logicalOr(x, y) : tf.add(x, y);
      break;
    case '-':
      if (dtype === 'bool') throw new PyError('TypeError', msg.boolSubtract());
      t = tf.sub(x, y);
      break;
    case '*':
      t = dtype === 'bool' ? tf.logicalAnd(x, y) : tf.mul(x, y);
      break;
    case '/':
      t = tf.div(castTo(x, 'float32'), castTo(y, 'float32'));
      break;
    case '//':
      t = dtype === 'float32' ? tf.floor(tf.div(x, y)) : intFloorDiv(castTo(x, 'int32'), castTo(y, 'int32'));
      break;
    case '%':
      t = dtype === 'float32' ? tf.mod(x, y) : intMod(castTo(x, 'int32'), castTo(y, 'int32'));
      break;
    case '**': {
      if (dtype !== 'float32') {
        const yi = castTo(y, 'int32');
        if (tf.any(tf.less(yi, 0)).dataSync()[0]) {
          throw new PyError('ValueError', '整数の配列を負の整数乗することはできません (float にしてから計算してください)');
        }
        t = castTo(tf.round(tf.pow(castTo(x, 'float32'), castTo(yi, 'float32'))), 'int32');
      } else t = tf.pow(x, y);
      break;
    }
    case '&':
    case '|':
    case '^':
      if (dtype !== 'bool') throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)) + ' (ビット演算は真偽値の配列だけに対応しています)');
      t = op === '&' ? tf.logicalAnd(x, y) : op === '|' ? tf.logicalOr(x, y) : tf.logicalXor(x, y);
      break;
    default:
      throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
  }
  return resultOf(ctx, t, a, b);
}

/** numpy int // : floor division, 0 where the divisor is 0. */
function intFloorDiv(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const zero = tf.equal(y, 0);
  const safe = tf.where(zero, tf.onesLike(y), y);
  const q = tf.floorDiv(x, safe);
  return tf.where(zero, tf.zerosLike(q), q);
}

function intMod(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  const zero = tf.equal(y, 0);
  const safe = tf.where(zero, tf.onesLike(y), y);
  const r = tf.mod(x, safe);
  return tf.where(zero, tf.zerosLike(r), r);
}

/** Python binary operators. */
export function binaryOp(ctx: Ctx, op: BinaryOp, a: PyValue, b: PyValue): PyValue {
  if (a.kind === 'array' || b.kind === 'array') {
    if (isArrayLike(a) && isArrayLike(b)) return arrayBinary(ctx, op, a, b);
    throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
  }
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== null && nb !== null) return numberBinary(op, a, b, na, nb);
  // sequences: the result's size is checked before it is built
  if (op === '+') {
    if (a.kind === 'str' && b.kind === 'str') {
      ctx.checkLength(a.v.length + b.v.length);
      ctx.work(a.v.length + b.v.length);
      return pyStr(a.v + b.v);
    }
    if ((a.kind === 'list' && b.kind === 'list') || (a.kind === 'tuple' && b.kind === 'tuple')) {
      ctx.checkLength(a.items.length + b.items.length);
      ctx.work(a.items.length + b.items.length);
      const items = a.items.concat(b.items);
      return a.kind === 'list' ? pyList(items) : pyTuple(items);
    }
  }
  if (op === '*') {
    const [seq, n] = nb !== null && b.kind !== 'float' ? [a, nb] : na !== null && a.kind !== 'float' ? [b, na] : [null, 0];
    if (seq && (seq.kind === 'str' || seq.kind === 'list' || seq.kind === 'tuple')) {
      const count = Math.max(0, n);
      const len = seq.kind === 'str' ? seq.v.length : seq.items.length;
      if (len === 0 || count === 0) return seq.kind === 'str' ? pyStr('') : seq.kind === 'list' ? pyList([]) : pyTuple([]);
      ctx.checkLength(len * count);
      ctx.work(len * count);
      if (seq.kind === 'str') return pyStr(seq.v.repeat(count));
      const items = new Array<PyValue>(len * count);
      for (let i = 0, k = 0; i < count; i++) for (let j = 0; j < len; j++) items[k++] = seq.items[j]!;
      return seq.kind === 'list' ? pyList(items) : pyTuple(items);
    }
  }
  if (op === '%' && a.kind === 'str') return pyStr(percentFormat(ctx, a.v, b));
  throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
}

const INT32 = 2 ** 31;

/** A float, or an int checked to be exact (outside ±(2**53 - 1) it is an OverflowError, never a rounded value). */
function num(isFloat: boolean, v: number): PyValue {
  return isFloat ? pyFloat(v) : checkedInt(v);
}

function numberBinary(op: BinaryOp, a: PyValue, b: PyValue, x: number, y: number): PyValue {
  const isFloat = a.kind === 'float' || b.kind === 'float';
  switch (op) {
    case '+':
      return num(isFloat, x + y);
    case '-':
      return num(isFloat, x - y);
    case '*':
      return num(isFloat, x * y);
    case '/':
      if (y === 0) throw new PyError('ZeroDivisionError', msg.zeroDivision());
      return pyFloat(x / y);
    case '//':
      if (y === 0) throw new PyError('ZeroDivisionError', msg.zeroDivision());
      // exact for safe ints: the quotient's rounding error is below 1/|y|
      return num(isFloat, Math.floor(x / y));
    case '%': {
      if (y === 0) throw new PyError('ZeroDivisionError', msg.zeroModulo());
      const r = x % y;
      return num(isFloat, r !== 0 && r < 0 !== y < 0 ? r + y : r);
    }
    case '**': {
      if (x === 0 && y < 0) throw new PyError('ZeroDivisionError', msg.zeroDivision());
      if (!isFloat && y >= 0) return intPow(x, y);
      const r = Math.pow(x, y);
      // Python: a float power that overflows is an OverflowError (1e308 * 10 stays inf)
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw new PyError('OverflowError', msg.floatOverflow());
      return pyFloat(r);
    }
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>': {
      if (isFloat) throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
      if (a.kind === 'bool' && b.kind === 'bool' && op !== '<<' && op !== '>>') {
        return pyBool(op === '&' ? a.v && b.v : op === '|' ? a.v || b.v : a.v !== b.v);
      }
      return intBitwise(op, x, y);
    }
    case '@':
      throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
  }
}

/** x ** y for ints, y ≥ 0: exact, and refused before computing when the result cannot fit. */
function intPow(x: number, y: number): PyValue {
  if (y === 0 || x === 1) return pyInt(1);
  if (x === 0) return pyInt(0);
  if (x === -1) return pyInt(y % 2 === 0 ? 1 : -1);
  if (y * Math.log2(Math.abs(x)) > 54) throw new PyError('OverflowError', msg.intOverflow());
  return checkedInt(Number(BigInt(x) ** BigInt(y)));
}

function intBitwise(op: '&' | '|' | '^' | '<<' | '>>', x: number, y: number): PyValue {
  if ((op === '<<' || op === '>>') && y < 0) throw new PyError('ValueError', msg.negativeShift());
  if (op === '<<') {
    if (x === 0) return pyInt(0);
    if (y > 53) throw new PyError('OverflowError', msg.intOverflow());
    return checkedInt(x * 2 ** y);
  }
  if (op === '>>') return y > 60 ? pyInt(x < 0 ? -1 : 0) : checkedInt(Math.floor(x / 2 ** y));
  // JS bitwise operators work on 32 bits: wider ints go through BigInt (two's complement, like Python)
  if (x >= -INT32 && x < INT32 && y >= -INT32 && y < INT32) return pyInt(op === '&' ? x & y : op === '|' ? x | y : x ^ y);
  const X = BigInt(x);
  const Y = BigInt(y);
  return checkedInt(Number(op === '&' ? X & Y : op === '|' ? X | Y : X ^ Y));
}

export function unaryOp(ctx: Ctx, op: UnaryOp, v: PyValue): PyValue {
  if (v.kind === 'array') {
    if (op === '-') {
      if (v.dtype === 'bool') throw new PyError('TypeError', msg.badUnary('-', 'bool の配列'));
      return ctx.wrap(onCpu() ? hostUnary('neg', v.t, v.dtype) : tf.neg(v.t), v.scalar);
    }
    if (op === '+') return ctx.wrap(tf.clone(v.t), v.scalar);
    if (op === '~') {
      if (v.dtype !== 'bool') throw new PyError('TypeError', msg.badUnary('~', typeName(v)));
      return ctx.wrap(tf.logicalNot(v.t), v.scalar);
    }
  }
  const n = numberOf(v);
  if (n !== null) {
    if (op === '-') return v.kind === 'float' ? pyFloat(-n) : pyInt(n === 0 ? 0 : -n);
    if (op === '+') return v.kind === 'float' ? pyFloat(n) : pyInt(n);
    if (op === '~' && v.kind !== 'float') return checkedInt(-n - 1);
  }
  throw new PyError('TypeError', msg.badUnary(op, typeName(v)));
}

/** Comparison operators (not `in` / `is`, handled by the evaluator). */
export function compareOp(ctx: Ctx, op: CompareOp, a: PyValue, b: PyValue): PyValue {
  if (a.kind === 'array' || b.kind === 'array') {
    if (isArrayLike(a) && isArrayLike(b)) {
      const { x, y } = operands(ctx, a, b, op);
      let t: tf.Tensor;
      switch (op) {
        case '<':
          t = tf.less(x, y);
          break;
        case '<=':
          t = tf.lessEqual(x, y);
          break;
        case '>':
          t = tf.greater(x, y);
          break;
        case '>=':
          t = tf.greaterEqual(x, y);
          break;
        case '==':
          t = tf.equal(x, y);
          break;
        case '!=':
          t = tf.notEqual(x, y);
          break;
        default:
          throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
      }
      return resultOf(ctx, t, a, b);
    }
    if (op === '==') return FALSE;
    if (op === '!=') return TRUE;
    throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
  }
  if (op === '==') return pyBool(pyEquals(a, b, ctx));
  if (op === '!=') return pyBool(!pyEquals(a, b, ctx));
  const c = orderCompare(a, b, ctx, op);
  switch (op) {
    case '<':
      return pyBool(c < 0);
    case '<=':
      return pyBool(c <= 0);
    case '>':
      return pyBool(c > 0);
    case '>=':
      return pyBool(c >= 0);
    default:
      throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
  }
}

/** Python ordering of numbers, strings, lists and tuples (NaN compares false both ways); a step per element. */
export function orderCompare(a: PyValue, b: PyValue, m: Meter, op = '<', depth = 0): number {
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== null && nb !== null) return na < nb ? -1 : na > nb ? 1 : na === nb ? 0 : NaN;
  if (a.kind === 'str' && b.kind === 'str') return a.v < b.v ? -1 : a.v > b.v ? 1 : 0;
  if ((a.kind === 'list' && b.kind === 'list') || (a.kind === 'tuple' && b.kind === 'tuple')) {
    if (depth >= m.maxNesting) throw nestingError(m.maxNesting);
    const n = Math.min(a.items.length, b.items.length);
    for (let i = 0; i < n; i++) {
      const x = a.items[i]!;
      const y = b.items[i]!;
      if (x === y) continue;
      m.tick();
      if (!pyEquals(x, y, m, depth + 1)) return orderCompare(x, y, m, op, depth + 1);
    }
    return a.items.length - b.items.length;
  }
  if (a.kind === 'array' && a.t.size === 1 && nb !== null) return orderCompare({ kind: 'float', v: Number(a.t.dataSync()[0]) }, b, m, op);
  if (b.kind === 'array' && b.t.size === 1 && na !== null) return orderCompare(a, { kind: 'float', v: Number(b.t.dataSync()[0]) }, m, op);
  throw new PyError('TypeError', msg.badOperand(op, typeName(a), typeName(b)));
}

// ---------- numpy elementwise functions ----------

type Unary = (x: tf.Tensor) => tf.Tensor;

/** Float functions: ints and bools are converted to float first (np.exp(1) is a float). */
const FLOAT_UNARY: Record<string, Unary> = {
  exp: tf.exp,
  log: tf.log,
  log2: (x) => tf.div(tf.log(x), Math.LN2),
  log10: (x) => tf.div(tf.log(x), Math.LN10),
  log1p: tf.log1p,
  expm1: tf.expm1,
  sqrt: tf.sqrt,
  tanh: tf.tanh,
  sin: tf.sin,
  cos: tf.cos,
  tan: tf.tan,
  arcsin: tf.asin,
  arccos: tf.acos,
  arctan: tf.atan,
  sinh: tf.sinh,
  cosh: tf.cosh,
  floor: tf.floor,
  ceil: tf.ceil,
  reciprocal: tf.reciprocal,
  isnan: tf.isNaN,
  isinf: tf.isInf,
  isfinite: tf.isFinite,
};

/** dtype-preserving functions. */
const SAME_UNARY: Record<string, Unary> = {
  abs: tf.abs,
  absolute: tf.abs,
  sign: tf.sign,
  square: tf.square,
  negative: tf.neg,
};

export function elementwise(name: string): ((ctx: Ctx, x: PyValue) => PyValue) | null {
  const f = FLOAT_UNARY[name];
  if (f) {
    return (ctx, v) => {
      const a = toArray(ctx, v, name, 'x');
      const scalar = v.kind !== 'array' || a.scalar || a.t.rank === 0;
      const floor = name === 'floor' || name === 'ceil';
      if (floor && a.dtype !== 'float32') return ctx.wrap(tf.clone(a.t), scalar);
      // on cpu a cast to float32 keeps the stored numbers, so the JS kernel reads them as they are
      if ((name === 'exp' || name === 'tanh') && onCpu()) return ctx.wrap(hostUnary(name, a.t, 'float32'), scalar);
      return ctx.wrap(f(castTo(a.t, 'float32')), scalar);
    };
  }
  const g = SAME_UNARY[name];
  if (g) {
    return (ctx, v) => {
      const a = toArray(ctx, v, name, 'x');
      const scalar = v.kind !== 'array' || a.scalar || a.t.rank === 0;
      const t = a.dtype === 'bool' ? (name === 'abs' || name === 'absolute' || name === 'square' ? a.t : castTo(a.t, 'int32')) : a.t;
      const out = name === 'negative' && a.dtype === 'bool' ? null : g(t);
      if (!out) throw new PyError('TypeError', msg.badUnary('-', 'bool の配列'));
      if (a.dtype === 'bool' && (name === 'square' || name === 'abs' || name === 'absolute')) return ctx.wrap(tf.clone(a.t), scalar);
      return ctx.wrap(out, scalar);
    };
  }
  return null;
}

export function round(ctx: Ctx, v: PyValue, decimals: number): PyArray {
  const a = toArray(ctx, v, 'round', 'a');
  const scalar = a.scalar || a.t.rank === 0;
  if (a.dtype !== 'float32') return ctx.wrap(tf.clone(a.t), scalar);
  if (decimals === 0) return ctx.wrap(tf.round(a.t), scalar);
  const f = Math.pow(10, decimals);
  return ctx.wrap(tf.div(tf.round(tf.mul(a.t, f)), f), scalar);
}

export function binaryFunction(ctx: Ctx, name: string, a: PyValue, b: PyValue): PyArray {
  const op: Record<string, BinaryOp> = { add: '+', subtract: '-', multiply: '*', divide: '/', true_divide: '/', floor_divide: '//', mod: '%', remainder: '%', power: '**' };
  const o = op[name];
  if (o) return arrayBinary(ctx, o, a, b);
  const { x, y } = operands(ctx, a, b, name);
  let t: tf.Tensor;
  switch (name) {
    case 'maximum':
      t = tf.maximum(x, y);
      break;
    case 'minimum':
      t = tf.minimum(x, y);
      break;
    case 'logical_and':
      t = tf.logicalAnd(castTo(x, 'bool'), castTo(y, 'bool'));
      break;
    case 'logical_or':
      t = tf.logicalOr(castTo(x, 'bool'), castTo(y, 'bool'));
      break;
    case 'arctan2':
      t = tf.atan2(castTo(x, 'float32'), castTo(y, 'float32'));
      break;
    default:
      throw new Error(`unknown binary function ${name}`);
  }
  return resultOf(ctx, t, a, b);
}

export function where(ctx: Ctx, cond: PyValue, x: PyValue, y: PyValue): PyArray {
  const c = toArray(ctx, cond, 'where', 'condition');
  const X = toArray(ctx, x, 'where', 'x');
  const Y = toArray(ctx, y, 'where', 'y');
  let shape: number[];
  try {
    shape = broadcastShapes(broadcastShapes(c.shape, X.shape), Y.shape);
  } catch {
    throw new PyError('ValueError', `where: ${msg.broadcast(c.shape, X.shape)}`);
  }
  ctx.checkShape(shape);
  const dtype = promote(X.dtype, Y.dtype);
  const bc = (t: tf.Tensor): tf.Tensor => (t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : tf.broadcastTo(t, shape));
  return ctx.wrap(tf.where(bc(castTo(c.t, 'bool')), bc(castTo(X.t, dtype)), bc(castTo(Y.t, dtype))));
}

export function clip(ctx: Ctx, v: PyValue, lo: PyValue, hi: PyValue): PyArray {
  const a = toArray(ctx, v, 'clip', 'a');
  let t = a.t;
  let dtype = a.dtype;
  if (lo.kind !== 'none') {
    const r = operands(ctx, new PyArray(t), lo, 'clip');
    t = tf.maximum(r.x, r.y);
    dtype = r.dtype;
  }
  if (hi.kind !== 'none') {
    const r = operands(ctx, new PyArray(t), hi, 'clip');
    t = tf.minimum(r.x, r.y);
    dtype = r.dtype;
  }
  void dtype;
  return ctx.wrap(t, a.scalar);
}

// ---------- printf-style formatting ('%.3f' % x) and format specs (f-strings) ----------

function percentFormat(ctx: Ctx, fmt: string, arg: PyValue): string {
  const args = arg.kind === 'tuple' ? [...arg.items] : [arg];
  const re = /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifeEgGrxXo%])/g;
  let i = 0;
  let out = '';
  let last = 0;
  const max = ctx.limits.maxArrayElements;
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    const [all, flags, width, prec, conv] = m as unknown as [string, string, string | undefined, string | undefined, string];
    out += fmt.slice(last, m.index);
    last = m.index + all.length;
    if (conv === '%') out += '%';
    else {
      const v = args[i++];
      if (!v) throw new PyError('TypeError', '書式文字列の % に対して値が足りません');
      const text = conv === 's' || conv === 'r';
      // '%d' % 3.7 truncates; '%s' / '%r' convert first, then pad or cut, as in Python
      let val = v;
      if ((conv === 'd' || conv === 'i') && v.kind === 'float' && Number.isFinite(v.v)) val = checkedInt(Math.trunc(v.v));
      if (text) val = pyStr(conv === 'r' ? repr(v, ctx.fmt) : pyStrOf(v, false, ctx.fmt));
      const align = flags.includes('-') ? '<' : text ? '>' : '';
      const signFlag = text ? '' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
      const zeroFlag = !text && flags.includes('0') && !flags.includes('-') ? '0' : '';
      const altFlag = flags.includes('#') ? '#' : '';
      const type = text ? '' : conv === 'i' ? 'd' : conv;
      out += formatSpec(ctx, val, `${align}${signFlag}${altFlag}${zeroFlag}${width ?? ''}${prec !== undefined ? '.' + prec : ''}${type}`);
    }
    if (out.length > max) throw new PyError('MemoryError', msg.limitString(max), undefined, 'maxArrayElements');
  }
  out += fmt.slice(last);
  if (out.length > max) throw new PyError('MemoryError', msg.limitString(max), undefined, 'maxArrayElements');
  if (i < args.length) throw new PyError('TypeError', '書式文字列の % に対して値が多すぎます');
  return out;
}

const SPEC_RE = /^(?:(.)?([<>^=]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bdeEfFgGnosxX%])?$/;

/**
 * Python's format(value, spec) for the common specs: [[fill]align][sign][#][0][width][,][.prec][type].
 * Widths and precisions are checked against the string length limit before any text is built.
 */
export function formatSpec(ctx: Ctx, v: PyValue, spec: string, useRepr = false): string {
  const m = SPEC_RE.exec(spec);
  if (!m) throw new PyError('ValueError', `書式指定 '${spec}' は使えません`);
  const [, fill0, align0, sign, alt, zero, width, comma, prec, type] = m;
  const max = ctx.limits.maxArrayElements;
  const w = width ? Number(width) : 0;
  const p = prec !== undefined ? Number(prec) : undefined;
  if (w > max || (p !== undefined && p > max)) throw ctx.fmt.tooLong();
  let s: string;
  const scalarArr = v.kind === 'array' && v.t.size === 1;
  const numeric = numberOf(v) ?? (scalarArr ? Number(v.t.dataSync()[0]) : null);
  const isIntLike = v.kind === 'int' || v.kind === 'bool' || (scalarArr && v.dtype !== 'float32');
  if (type && numeric === null) throw new PyError('ValueError', msg.formatCode(type, typeName(v)));
  if (type && numeric !== null) {
    const x = numeric;
    const integerType = 'dnbosxX'.includes(type) && type !== 'n';
    if (integerType && !isIntLike) throw new PyError('ValueError', msg.formatCode(type, typeName(v)));
    if ((integerType || type === 'n') && isIntLike && p !== undefined) throw new PyError('ValueError', msg.formatPrecisionInt());
    switch (type) {
      case 'f':
      case 'F':
        s = formatFixed(x, p ?? 6);
        break;
      case 'e':
      case 'E':
        s = formatExp(x, p ?? 6, alt === '#');
        break;
      case 'g':
      case 'G':
        s = formatGeneral(x, p ?? 6, alt === '#');
        break;
      case 'd':
        s = String(x);
        break;
      case 'n':
        s = isIntLike ? String(x) : formatGeneral(x, p ?? 6, alt === '#');
        break;
      case '%':
        s = formatPercent(x, p ?? 6);
        break;
      case 'x':
      case 'X':
        s = (alt ? (x < 0 ? '-0x' : '0x') : x < 0 ? '-' : '') + Math.abs(x).toString(16);
        break;
      case 'o':
        s = (alt ? (x < 0 ? '-0o' : '0o') : x < 0 ? '-' : '') + Math.abs(x).toString(8);
        break;
      case 'b':
        s = (alt ? (x < 0 ? '-0b' : '0b') : x < 0 ? '-' : '') + Math.abs(x).toString(2);
        break;
      default:
        s = String(x);
    }
    if (type === 'E' || type === 'G' || type === 'F' || type === 'X') s = s.toUpperCase();
    s = groupAndSign(s, comma, sign, x);
  } else if (p !== undefined && numeric !== null && !isIntLike) {
    // no type with a precision: like 'g', with at least one fraction digit
    s = groupAndSign(formatGeneral(numeric, p, alt === '#', true), comma, sign, numeric);
  } else if (p !== undefined && isIntLike) {
    throw new PyError('ValueError', msg.formatPrecisionInt());
  } else if (numeric !== null && v.kind !== 'array' && (sign || comma)) {
    s = groupAndSign(v.kind === 'float' ? formatPyFloat(numeric) : String(numeric), comma, sign, numeric);
  } else {
    const caps = ctx.fmt;
    s = useRepr ? repr(v, caps) : pyStrOf(v, false, caps);
    if (p !== undefined && v.kind === 'str') s = s.slice(0, p);
  }
  if (s.length >= w) return s;
  const fill = fill0 ?? (zero && !align0 ? '0' : ' ');
  const align = align0 ?? (zero && numeric !== null && v.kind !== 'str' ? '=' : numeric !== null && v.kind !== 'str' ? '>' : '<');
  const padN = w - s.length;
  ctx.work(w);
  if (align === '<') return s + fill.repeat(padN);
  if (align === '>') return fill.repeat(padN) + s;
  if (align === '^') return fill.repeat(Math.floor(padN / 2)) + s + fill.repeat(Math.ceil(padN / 2));
  const signChar = /^[-+ ]/.test(s) ? s[0]! : '';
  return signChar + fill.repeat(padN) + s.slice(signChar.length);
}

/** Thousands separators and an explicit sign ('+' or ' ') of a formatted number. */
function groupAndSign(s: string, comma: string | undefined, sign: string | undefined, x: number): string {
  if (comma && /^-?\d/.test(s)) {
    const neg = s.startsWith('-');
    const body = neg ? s.slice(1) : s;
    const cut = body.search(/[^0-9]/);
    const ip = cut < 0 ? body : body.slice(0, cut);
    const rest = cut < 0 ? '' : body.slice(cut);
    s = (neg ? '-' : '') + ip.replace(/\B(?=(\d{3})+(?!\d))/g, comma) + rest;
  }
  const negative = x < 0 || Object.is(x, -0) || s.startsWith('-');
  if (!negative && sign === '+') return '+' + s;
  if (!negative && sign === ' ') return ' ' + s;
  return s;
}

export { toNumber };
