// Python builtins (range, len, enumerate, zip, …), calling the built-in types, iteration, and the method
// whitelists of list, dict and str.

import * as tf from '@tensorflow/tfjs-core';
import { pyNumberOf, toArray, toInt } from '../arrays';
import { msg, PyError } from '../errors';
import { formatFixed } from '../decimal';
import { formatPyFloat, repr, reprShort, str } from '../format';
import {
  type Ctx,
  type Kwargs,
  NONE,
  type PyBuiltin,
  type PyDict,
  type PyList,
  type FormatCaps,
  type PyClass,
  type PyException,
  type PyType,
  type PyValue,
  builtin,
  hashKey,
  iterator,
  numberOf,
  pyBool,
  pyDict,
  pyEquals,
  pyFloat,
  pyInt,
  pyList,
  pyStr,
  pyTuple,
  pyType,
  rangeLength,
  truthy,
  typeName,
  widenFloat32,
  checkedInt,
  nestingError,
} from '../values';
import { dictSet } from './index';
import { compareOp, binaryOp, formatSpec, unaryOp } from './math';
import { makeSet } from './collections';
import { arrayIterator } from './numpy';
import { bindArgs } from './signature';

/**
 * A step function over any iterable value. Every item it produces counts a step, so no builtin can walk a huge
 * range (or anything else) without being stopped by the step and time limits.
 */
export function iter(ctx: Ctx, v: PyValue): () => PyValue | undefined {
  switch (v.kind) {
    case 'list':
    case 'tuple': {
      let i = 0;
      return () => {
        if (i >= v.items.length) return undefined;
        ctx.tick();
        return v.items[i++];
      };
    }
    case 'str': {
      const chars = [...v.v];
      let i = 0;
      return () => {
        if (i >= chars.length) return undefined;
        ctx.tick();
        return pyStr(chars[i++]!);
      };
    }
    case 'dict': {
      const keys = [...v.map.values()].map(([k]) => k);
      let i = 0;
      return () => {
        if (i >= keys.length) return undefined;
        ctx.tick();
        return keys[i++];
      };
    }
    case 'range': {
      const n = rangeLength(v);
      let i = 0;
      return () => {
        if (i >= n) return undefined;
        ctx.tick();
        return pyInt(v.start + v.step * i++);
      };
    }
    case 'iterator':
      return v.next;
    case 'array': {
      const it = arrayIterator(ctx, v);
      return (it as { next: () => PyValue | undefined }).next;
    }
    default:
      throw new PyError('TypeError', msg.notIterable(typeName(v)));
  }
}

/** Collect an iterable into a JS array (checking the length limit; the iterator counts the steps). */
export function iterate(ctx: Ctx, v: PyValue): PyValue[] {
  if (v.kind === 'list' || v.kind === 'tuple') return v.items.slice();
  if (v.kind === 'range') ctx.checkLength(rangeLength(v));
  const next = iter(ctx, v);
  const out: PyValue[] = [];
  for (let x = next(); x !== undefined; x = next()) {
    out.push(x);
    if ((out.length & 1023) === 0) ctx.checkLength(out.length);
  }
  ctx.checkLength(out.length);
  return out;
}

function lessThan(ctx: Ctx, a: PyValue, b: PyValue): boolean {
  return truthy(compareOp(ctx, '<', a, b));
}

function minMax(ctx: Ctx, name: 'min' | 'max', args: PyValue[], kw: Kwargs): PyValue {
  let key: PyValue | undefined;
  let dflt: PyValue | undefined;
  if (kw) {
    for (const [k, v] of kw) {
      if (k === 'key') key = v;
      else if (k === 'default') dflt = v;
      else throw new PyError('TypeError', msg.unexpectedKwarg(name, k));
    }
  }
  if (args.length === 0) throw new PyError('TypeError', msg.missingArg(name, 'iterable'));
  // streamed, not collected: min(range(10**12)) stops at the step limit instead of building a list
  let i = 0;
  const next = args.length === 1 ? iter(ctx, args[0]!) : () => args[i++];
  const k = (x: PyValue): PyValue => (key && key.kind !== 'none' ? ctx.call(key, [x]) : x);
  let best = next();
  if (best === undefined) {
    if (dflt) return dflt;
    throw new PyError('ValueError', msg.minMaxEmpty(name));
  }
  let bestKey = k(best);
  for (let x = next(); x !== undefined; x = next()) {
    const xk = k(x);
    if (name === 'max' ? lessThan(ctx, bestKey, xk) : lessThan(ctx, xk, bestKey)) {
      best = x;
      bestKey = xk;
    }
  }
  return best;
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function toFloat(ctx: Ctx, v: PyValue): PyValue {
  const n = numberOf(v);
  if (n !== null) return pyFloat(n);
  if (v.kind === 'str') {
    const s = v.v.trim().toLowerCase();
    if (s === 'inf' || s === '+inf' || s === 'infinity') return pyFloat(Infinity);
    if (s === '-inf' || s === '-infinity') return pyFloat(-Infinity);
    if (s === 'nan') return pyFloat(NaN);
    const x = Number(s.replace(/_/g, ''));
    if (s === '' || Number.isNaN(x)) throw new PyError('ValueError', msg.convertToNumber('float', reprShort(v)));
    return pyFloat(x);
  }
  if (v.kind === 'array') {
    if (v.t.size !== 1) throw new PyError('TypeError', msg.sizeOneOnly('float'));
    return pyFloat(widenFloat32(Number(v.t.dataSync()[0])));
  }
  void ctx;
  throw new PyError('TypeError', msg.convertToNumber('float', typeName(v)));
}

function toIntValue(v: PyValue): PyValue {
  let n: number | null = numberOf(v);
  if (n === null && v.kind === 'array') {
    if (v.t.size !== 1) throw new PyError('TypeError', msg.sizeOneOnly('int'));
    n = Number(v.t.dataSync()[0]);
  }
  if (n === null && v.kind === 'str') {
    const s = v.v.trim().replace(/_/g, '');
    if (!/^[-+]?\d+$/.test(s)) throw new PyError('ValueError', msg.convertToNumber('int', reprShort(v)));
    n = Number(s);
    if (!Number.isSafeInteger(n)) throw new PyError('OverflowError', msg.intOverflow());
  }
  if (n === null) throw new PyError('TypeError', msg.convertToNumber('int', typeName(v)));
  if (Number.isNaN(n)) throw new PyError('ValueError', msg.intConvertNaN());
  if (!Number.isFinite(n)) throw new PyError('OverflowError', msg.intConvertNaN());
  return checkedInt(Math.trunc(n));
}

/** Calling int(...), float(...), list(...), … */
export function callType(ctx: Ctx, t: PyType, args: PyValue[], kw: Kwargs): PyValue {
  const arg = args[0];
  switch (t.name) {
    case 'int':
      return arg ? toIntValue(arg) : pyInt(0);
    case 'float':
      return arg ? toFloat(ctx, arg) : pyFloat(0);
    case 'bool':
      return pyBool(arg ? truthy(arg) : false);
    case 'str':
      return pyStr(arg ? str(arg, false, ctx.fmt) : '');
    case 'list':
      return pyList(arg ? iterate(ctx, arg) : []);
    case 'tuple':
      return pyTuple(arg ? iterate(ctx, arg) : []);
    case 'dict': {
      const d = pyDict();
      if (arg) {
        if (arg.kind === 'dict' && arg.flavor?.kind !== 'set') for (const [h, [k, v]] of arg.map) d.map.set(h, [k, v]);
        else {
          for (const pair of iterate(ctx, arg)) {
            const kv = iterate(ctx, pair);
            if (kv.length !== 2) throw new PyError('ValueError', msg.unpackCount(2, kv.length));
            dictSet(ctx, d, kv[0]!, kv[1]!);
          }
        }
      }
      if (kw) for (const [k, v] of kw) dictSet(ctx, d, pyStr(k), v);
      return d;
    }
    default:
      throw new PyError('TypeError', msg.notCallable(`type ${t.name}`));
  }
}

function isInstance(v: PyValue, t: PyValue, depth = 0): boolean {
  if (t.kind === 'tuple') {
    if (depth >= 1000) throw nestingError(1000);
    return t.items.some((x) => isInstance(v, x, depth + 1));
  }
  if (t.kind === 'dtype') return v.kind === 'array' && v.scalar && v.dtype === t.dtype;
  if (t.kind === 'class') {
    if (v.kind !== 'instance') return false;
    for (let c: PyClass | null = v.cls; c; c = c.base) if (c === t) return true;
    return false;
  }
  if (t.kind === 'exctype') return v.kind === 'exception' && excMatches(v.type, t.name);
  if (t.kind !== 'type') throw new PyError('TypeError', msg.isinstanceType());
  switch (t.name) {
    case 'int':
      return v.kind === 'int' || v.kind === 'bool';
    case 'float':
      return v.kind === 'float' || (v.kind === 'array' && v.scalar && v.dtype === 'float32');
    case 'ndarray':
      return v.kind === 'array' && !v.scalar;
    default:
      return v.kind === t.name;
  }
}

/** Built-in exception classes learner code can name, with their bases (AxisError is also an IndexError). */
const EXC_BASES: Record<string, string | null> = Object.assign(Object.create(null) as Record<string, string | null>, {
  Exception: null,
  ValueError: 'Exception',
  TypeError: 'Exception',
  LookupError: 'Exception',
  IndexError: 'LookupError',
  KeyError: 'LookupError',
  ArithmeticError: 'Exception',
  ZeroDivisionError: 'ArithmeticError',
  OverflowError: 'ArithmeticError',
  AttributeError: 'Exception',
  NameError: 'Exception',
  UnboundLocalError: 'NameError',
  AssertionError: 'Exception',
  RuntimeError: 'Exception',
  NotImplementedError: 'RuntimeError',
  RecursionError: 'RuntimeError',
  StopIteration: 'Exception',
  ImportError: 'Exception',
  MemoryError: 'Exception',
  TimeoutError: 'Exception',
  AxisError: 'ValueError',
});
/** The names bound as builtins (the limit classes exist only to be caught by name, never raised by a limit into `except`). */
const EXC_NAMES = ['Exception', 'ValueError', 'TypeError', 'LookupError', 'IndexError', 'KeyError', 'ArithmeticError', 'ZeroDivisionError', 'OverflowError', 'AttributeError', 'NameError', 'AssertionError', 'RuntimeError', 'NotImplementedError', 'StopIteration'];

/** Does an error of class `type` match `except target`? */
export function excMatches(type: string, target: string): boolean {
  if (type === 'AxisError' && target === 'IndexError') return true;
  for (let t: string | null | undefined = type; t; t = EXC_BASES[t]) if (t === target) return true;
  return false;
}

/** `ValueError('msg')`: an exception value (str() is its message, as Python's for one argument). */
export function makeException(type: string, args: PyValue[], caps: FormatCaps): PyException {
  const message = args.length === 0 ? '' : args.length === 1 ? str(args[0]!, false, caps) : str(pyTuple(args), false, caps);
  return { kind: 'exception', type, message, args: args.slice() };
}

export function pythonBuiltins(): Map<string, PyValue> {
  const b = new Map<string, PyValue>();
  const def = (name: string, f: PyBuiltin['call']): void => {
    b.set(name, builtin(name, f));
  };
  for (const name of EXC_NAMES) b.set(name, { kind: 'exctype', name });
  def('super', (ctx, args, kw) => {
    if (kw && kw.size) throw new PyError('TypeError', msg.superArgs());
    return ctx.superOf(args);
  });
  for (const name of ['int', 'float', 'bool', 'str', 'list', 'tuple', 'dict'] as const) b.set(name, pyType(name));
  b.set('set', builtin('set', makeSet));
  def('range', (ctx, args, kw) => {
    if (kw && kw.size) throw new PyError('TypeError', msg.unexpectedKwarg('range', [...kw.keys()][0]!));
    if (args.length === 0 || args.length > 3) throw new PyError('TypeError', msg.tooManyArgs('range', 3, args.length));
    const n = args.map((a) => toInt(a, 'range', 'start/stop/step'));
    const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1];
    if (step === 0) throw new PyError('ValueError', msg.rangeStepZero());
    void ctx;
    return { kind: 'range', start, stop, step };
  });
  def('len', (_ctx, args, kw) => {
    const [v] = bindArgs('len', ['obj'], args, kw);
    switch (v!.kind) {
      case 'list':
      case 'tuple':
        return pyInt(v!.items.length);
      case 'str':
        return pyInt([...v!.v].length);
      case 'dict':
        return pyInt(v!.map.size);
      case 'range':
        return pyInt(rangeLength(v!));
      case 'array':
        if (v!.t.rank === 0) throw new PyError('TypeError', msg.lenOfUnsized());
        return pyInt(v!.shape[0]!);
      default:
        throw new PyError('TypeError', msg.lenOfScalar(typeName(v!)));
    }
  });
  def('enumerate', (ctx, args, kw) => {
    const [it, start] = bindArgs('enumerate', ['iterable', 'start=0'], args, kw);
    const next = iter(ctx, it!);
    let i = toInt(start!, 'enumerate', 'start');
    return iterator('enumerate', () => {
      const x = next();
      return x === undefined ? undefined : pyTuple([checkedInt(i++), x]);
    });
  });
  def('zip', (ctx, args, kw) => {
    if (kw && kw.size && !kw.has('strict')) throw new PyError('TypeError', msg.unexpectedKwarg('zip', [...kw.keys()][0]!));
    const nexts = args.map((a) => iter(ctx, a));
    return iterator('zip', () => {
      if (nexts.length === 0) return undefined;
      const items: PyValue[] = [];
      for (const n of nexts) {
        const x = n();
        if (x === undefined) return undefined;
        items.push(x);
      }
      return pyTuple(items);
    });
  });
  def('reversed', (ctx, args, kw) => {
    const [v] = bindArgs('reversed', ['seq'], args, kw);
    if (v!.kind === 'dict' || v!.kind === 'iterator') throw new PyError('TypeError', msg.notIterable(typeName(v!)));
    if (v!.kind === 'range') {
      // lazily, like Python's range iterator
      const r = v!;
      const n = rangeLength(r);
      const last = r.start + (n - 1) * r.step;
      return { kind: 'iterator', name: 'range_iterator', next: iter(ctx, { kind: 'range', start: last, stop: last - n * r.step, step: -r.step }) };
    }
    const items = iterate(ctx, v!);
    let i = items.length;
    return iterator('reversed', () => (i > 0 ? items[--i] : undefined));
  });
  def('min', (ctx, args, kw) => minMax(ctx, 'min', args, kw));
  def('max', (ctx, args, kw) => minMax(ctx, 'max', args, kw));
  def('abs', (ctx, args, kw) => {
    const [v] = bindArgs('abs', ['x'], args, kw);
    if (v!.kind === 'array') return ctx.wrap(v!.dtype === 'bool' ? tf.clone(v!.t) : tf.abs(v!.t), v!.scalar);
    const n = numberOf(v!);
    if (n === null) throw new PyError('TypeError', msg.badUnary('abs()', typeName(v!)));
    return v!.kind === 'float' ? pyFloat(Math.abs(n)) : pyInt(Math.abs(n));
  });
  def('sum', (ctx, args, kw) => {
    const [it, start] = bindArgs('sum', ['iterable', 'start=0'], args, kw);
    const next = iter(ctx, it!);
    let acc = start!;
    for (let x = next(); x !== undefined; x = next()) acc = binaryOp(ctx, '+', acc, x);
    return acc;
  });
  def('round', (ctx, args, kw) => {
    const [v, nd] = bindArgs('round', ['number', 'ndigits=None'], args, kw);
    let x: PyValue = v!;
    if (x.kind === 'array') {
      if (x.t.size !== 1 || x.t.rank !== 0) throw new PyError('TypeError', msg.badArgType('round', 'number', '数値', typeName(x)));
      x = pyNumberOf(x);
    }
    const n = numberOf(x);
    if (n === null) throw new PyError('TypeError', msg.badArgType('round', 'number', '数値', typeName(x)));
    if (nd!.kind === 'none') {
      if (!Number.isFinite(n)) throw new PyError(Number.isNaN(n) ? 'ValueError' : 'OverflowError', msg.intConvertNaN());
      return checkedInt(roundHalfEven(n));
    }
    const d = toInt(nd!, 'round', 'ndigits');
    if (x.kind !== 'float') return checkedInt(d >= 0 || d < -20 ? (d >= 0 ? n : 0) : roundHalfEven(n / 10 ** -d) * 10 ** -d);
    if (!Number.isFinite(n) || d > 340) return x;
    void ctx;
    // correctly rounded (half to even on the exact value), as Python does
    if (d >= 0) return pyFloat(Number(formatFixed(n, d)));
    return pyFloat(d < -330 ? 0 * n : roundHalfEven(n / 10 ** -d) * 10 ** -d);
  });
  def('isinstance', (_ctx, args, kw) => {
    const [v, t] = bindArgs('isinstance', ['obj', 'class_or_tuple'], args, kw);
    return pyBool(isInstance(v!, t!));
  });
  def('print', (ctx, args, kw) => {
    let sep = ' ';
    let end = '\n';
    if (kw) {
      for (const [k, v] of kw) {
        if (k === 'sep') sep = v.kind === 'none' ? ' ' : str(v, false, ctx.fmt);
        else if (k === 'end') end = v.kind === 'none' ? '\n' : str(v, false, ctx.fmt);
        else if (k !== 'flush') throw new PyError('TypeError', msg.unexpectedKwarg('print', k));
      }
    }
    // each argument is converted under what print may still write, so print(<huge nest>) stops early
    const caps = ctx.printCaps();
    ctx.print(args.map((a) => str(a, false, caps)).join(sep) + end);
    return NONE;
  });
  def('sorted', (ctx, args, kw) => {
    const [it, key, rev] = bindArgs('sorted', ['iterable', 'key=None', 'reverse=False'], args, kw);
    const items = iterate(ctx, it!);
    const keys = items.map((x) => (key!.kind === 'none' ? x : ctx.call(key!, [x])));
    const idx = items.map((_, i) => i);
    // comparisons count as work (the clock is checked); comparing containers also counts steps
    const lt = (a: PyValue, b: PyValue): boolean => {
      ctx.work(16);
      return lessThan(ctx, a, b);
    };
    idx.sort((i, j) => (lt(keys[i]!, keys[j]!) ? -1 : lt(keys[j]!, keys[i]!) ? 1 : 0));
    if (truthy(rev!)) {
      // stable reverse: sort descending keeping equal elements in order
      idx.sort((i, j) => (lt(keys[j]!, keys[i]!) ? -1 : lt(keys[i]!, keys[j]!) ? 1 : i - j));
    }
    return pyList(idx.map((i) => items[i]!));
  });
  def('any', (ctx, args, kw) => {
    const [it] = bindArgs('any', ['iterable'], args, kw);
    const next = iter(ctx, it!);
    for (let x = next(); x !== undefined; x = next()) if (truthy(x)) return pyBool(true);
    return pyBool(false);
  });
  def('all', (ctx, args, kw) => {
    const [it] = bindArgs('all', ['iterable'], args, kw);
    const next = iter(ctx, it!);
    for (let x = next(); x !== undefined; x = next()) if (!truthy(x)) return pyBool(false);
    return pyBool(true);
  });
  def('map', (ctx, args) => {
    if (args.length < 2) throw new PyError('TypeError', msg.missingArg('map', 'iterable'));
    const f = args[0]!;
    const nexts = args.slice(1).map((a) => iter(ctx, a));
    return iterator('map', () => {
      const xs: PyValue[] = [];
      for (const n of nexts) {
        const x = n();
        if (x === undefined) return undefined;
        xs.push(x);
      }
      // a call is a step, even of a builtin
      ctx.tick();
      return ctx.call(f, xs);
    });
  });
  def('filter', (ctx, args, kw) => {
    const [f, it] = bindArgs('filter', ['function', 'iterable'], args, kw);
    const next = iter(ctx, it!);
    return iterator('filter', () => {
      for (let x = next(); x !== undefined; x = next()) {
        if (f!.kind !== 'none') ctx.tick();
        if (truthy(f!.kind === 'none' ? x : ctx.call(f!, [x]))) return x;
      }
      return undefined;
    });
  });
  def('repr', (ctx, args, kw) => {
    const [v] = bindArgs('repr', ['obj'], args, kw);
    return pyStr(repr(v!, ctx.fmt));
  });
  def('format', (ctx, args, kw) => {
    const [v, spec] = bindArgs('format', ['value', "format_spec=''"], args, kw);
    return pyStr(formatSpec(ctx, v!, spec!.kind === 'str' ? spec!.v : ''));
  });
  def('pow', (ctx, args, kw) => {
    const [x, y] = bindArgs('pow', ['base', 'exp'], args, kw);
    return binaryOp(ctx, '**', x!, y!);
  });
  def('divmod', (ctx, args, kw) => {
    const [x, y] = bindArgs('divmod', ['a', 'b'], args, kw);
    return pyTuple([binaryOp(ctx, '//', x!, y!), binaryOp(ctx, '%', x!, y!)]);
  });
  b.set('True', pyBool(true));
  b.set('False', pyBool(false));
  b.set('None', NONE);
  void unaryOp;
  void formatPyFloat;
  void toArray;
  return b;
}

// ---------- methods of list, dict, str ----------

type Method<T> = (ctx: Ctx, self: T, args: PyValue[], kw: Kwargs) => PyValue;

const LIST_METHODS = new Map<string, Method<PyList>>([
  [
    'append',
    (ctx, self, args, kw) => {
      const [x] = bindArgs('append', ['object'], args, kw);
      self.items.push(x!);
      ctx.checkLength(self.items.length);
      return NONE;
    },
  ],
  [
    'extend',
    (ctx, self, args, kw) => {
      const [x] = bindArgs('extend', ['iterable'], args, kw);
      const extra = iterate(ctx, x!);
      ctx.checkLength(self.items.length + extra.length);
      for (const y of extra) self.items.push(y);
      return NONE;
    },
  ],
  [
    'pop',
    (_ctx, self, args, kw) => {
      const [i] = bindArgs('pop', ['index=-1'], args, kw);
      if (self.items.length === 0) throw new PyError('IndexError', msg.popEmpty());
      let k = toInt(i!, 'pop', 'index');
      if (k < 0) k += self.items.length;
      if (k < 0 || k >= self.items.length) throw new PyError('IndexError', msg.listIndexRange('pop'));
      return self.items.splice(k, 1)[0]!;
    },
  ],
  [
    'insert',
    (ctx, self, args, kw) => {
      const [i, x] = bindArgs('insert', ['index', 'object'], args, kw);
      let k = toInt(i!, 'insert', 'index');
      if (k < 0) k = Math.max(0, k + self.items.length);
      self.items.splice(Math.min(k, self.items.length), 0, x!);
      ctx.checkLength(self.items.length);
      return NONE;
    },
  ],
  [
    'remove',
    (ctx, self, args, kw) => {
      const [x] = bindArgs('remove', ['value'], args, kw);
      const k = findItem(ctx, self.items, x!);
      if (k < 0) throw new PyError('ValueError', 'list.remove(x): x はリストにありません');
      self.items.splice(k, 1);
      return NONE;
    },
  ],
  [
    'index',
    (ctx, self, args, kw) => {
      const [x] = bindArgs('index', ['value'], args, kw);
      const k = findItem(ctx, self.items, x!);
      if (k < 0) throw new PyError('ValueError', `${reprShort(x!)} はリストにありません`);
      return pyInt(k);
    },
  ],
  [
    'count',
    (ctx, self, args, kw) => {
      const [x] = bindArgs('count', ['value'], args, kw);
      let n = 0;
      for (const y of self.items) {
        ctx.tick();
        if (y === x || pyEquals(y, x!, ctx)) n++;
      }
      return pyInt(n);
    },
  ],
  ['copy', (_ctx, self) => pyList(self.items.slice())],
  [
    'clear',
    (_ctx, self) => {
      self.items.length = 0;
      return NONE;
    },
  ],
  [
    'reverse',
    (_ctx, self) => {
      self.items.reverse();
      return NONE;
    },
  ],
  [
    'sort',
    (ctx, self, args, kw) => {
      const sortedFn = pythonBuiltinsCache().get('sorted') as PyBuiltin;
      const r = sortedFn.call(ctx, [self, ...args], kw) as PyList;
      self.items = r.items;
      return NONE;
    },
  ],
]);

const DICT_METHODS = new Map<string, Method<PyDict>>([
  [
    'get',
    (ctx, self, args, kw) => {
      const [k, d] = bindArgs('get', ['key', 'default=None'], args, kw);
      return self.map.get(hashKey(k!, ctx.keyCaps))?.[1] ?? d!;
    },
  ],
  ['keys', (_ctx, self) => pyList([...self.map.values()].map(([k]) => k))],
  ['values', (_ctx, self) => pyList([...self.map.values()].map(([, v]) => v))],
  ['items', (_ctx, self) => pyList([...self.map.values()].map(([k, v]) => pyTuple([k, v])))],
  [
    'pop',
    (ctx, self, args, kw) => {
      const [k, d] = bindArgs('pop', ['key', 'default=None'], args, kw);
      const h = hashKey(k!, ctx.keyCaps);
      const hit = self.map.get(h);
      if (!hit) {
        if (args.length > 1 || (kw && kw.has('default'))) return d!;
        throw new PyError('KeyError', msg.keyMissing(reprShort(k!)));
      }
      self.map.delete(h);
      return hit[1];
    },
  ],
  [
    'update',
    (ctx, self, args, kw) => {
      const other = callType(ctx, pyType('dict'), args, kw) as PyDict;
      for (const [, [k, v]] of other.map) dictSet(ctx, self, k, v);
      return NONE;
    },
  ],
  [
    'setdefault',
    (ctx, self, args, kw) => {
      const [k, d] = bindArgs('setdefault', ['key', 'default=None'], args, kw);
      const hit = self.map.get(hashKey(k!, ctx.keyCaps));
      if (hit) return hit[1];
      dictSet(ctx, self, k!, d!);
      return d!;
    },
  ],
  [
    'copy',
    (_ctx, self) => {
      const d = pyDict();
      for (const [h, [k, v]] of self.map) d.map.set(h, [k, v]);
      return d;
    },
  ],
]);

/** A str result of `n` characters, refused before it is built when it would pass the length limit. */
function checkStr(ctx: Ctx, n: number): void {
  if (n > ctx.limits.maxArrayElements) throw ctx.fmt.tooLong();
  ctx.work(n);
}

/** Occurrences of `old` in `s` (non-overlapping, left to right), at most `max`; '' occurs len + 1 times. */
function countOccurrences(s: string, old: string, max: number): number {
  if (old === '') return Math.min(max, [...s].length + 1);
  let n = 0;
  for (let i = s.indexOf(old); i >= 0 && n < max; i = s.indexOf(old, i + old.length)) n++;
  return n;
}

const STR_METHODS = new Map<string, Method<{ kind: 'str'; v: string }>>([
  [
    'join',
    (ctx, self, args, kw) => {
      const [it] = bindArgs('join', ['iterable'], args, kw);
      const items = iterate(ctx, it!);
      let total = Math.max(0, items.length - 1) * self.v.length;
      const parts: string[] = new Array<string>(items.length);
      for (let i = 0; i < items.length; i++) {
        const x = items[i]!;
        if (x.kind !== 'str') throw new PyError('TypeError', msg.badArgType('join', 'iterable', '文字列の並び', typeName(x)));
        parts[i] = x.v;
        total += x.v.length;
      }
      checkStr(ctx, total);
      return pyStr(parts.join(self.v));
    },
  ],
  [
    'format',
    (ctx, self, args, kw) => {
      let auto = 0;
      let out = '';
      let last = 0;
      const re = /\{\{|\}\}|\{([^{}:!]*)(?:!([rs]))?(?::([^{}]*))?\}/g;
      for (let m = re.exec(self.v); m; m = re.exec(self.v)) {
        const [all, field, conv, spec] = m as unknown as [string, string | undefined, string | undefined, string | undefined];
        out += self.v.slice(last, m.index);
        last = m.index + all.length;
        if (all === '{{') out += '{';
        else if (all === '}}') out += '}';
        else {
          let v: PyValue | undefined;
          if (field === undefined || field === '') v = args[auto++];
          else if (/^\d+$/.test(field)) v = args[Number(field)];
          else v = kw?.get(field);
          if (!v) throw new PyError('IndexError', `format: 置換フィールド {${field ?? ''}} に対応する値がありません`);
          out += formatSpec(ctx, v, spec ?? '', conv === 'r');
        }
        checkStr(ctx, out.length);
      }
      out += self.v.slice(last);
      checkStr(ctx, out.length);
      return pyStr(out);
    },
  ],
  ['upper', (ctx, self) => pyStr(checked(ctx, self.v.toUpperCase()))],
  ['lower', (ctx, self) => pyStr(checked(ctx, self.v.toLowerCase()))],
  ['strip', (_ctx, self) => pyStr(self.v.trim())],
  [
    'split',
    (ctx, self, args, kw) => {
      const [sep] = bindArgs('split', ['sep=None'], args, kw);
      if (sep!.kind === 'str' && sep!.v === '') throw new PyError('ValueError', msg.emptySeparator());
      ctx.work(self.v.length);
      const parts = sep!.kind === 'str' ? self.v.split(sep!.v) : self.v.trim().split(/\s+/).filter((x) => x !== '');
      return pyList(parts.map(pyStr));
    },
  ],
  [
    'replace',
    (ctx, self, args, kw) => {
      const [a, b, c] = bindArgs('replace', ['old', 'new', 'count=-1'], args, kw);
      if (a!.kind !== 'str' || b!.kind !== 'str') throw new PyError('TypeError', msg.badArgType('replace', 'old/new', '文字列', typeName(a!.kind !== 'str' ? a! : b!)));
      const old = a!.v;
      const rep = b!.v;
      const limit = toInt(c!, 'replace', 'count');
      const max = limit < 0 ? Infinity : limit;
      // the result's length is known before it is built
      const n = countOccurrences(self.v, old, max);
      checkStr(ctx, self.v.length + n * (rep.length - old.length));
      if (n === 0) return self;
      if (old === '') {
        const chars = [...self.v];
        let out = '';
        for (let i = 0; i < chars.length; i++) out += (i < n ? rep : '') + chars[i];
        return pyStr(n > chars.length ? out + rep : out);
      }
      if (max === Infinity) return pyStr(self.v.split(old).join(rep));
      let out = '';
      let from = 0;
      for (let k = 0; k < n; k++) {
        const i = self.v.indexOf(old, from);
        out += self.v.slice(from, i) + rep;
        from = i + old.length;
      }
      return pyStr(out + self.v.slice(from));
    },
  ],
  [
    'startswith',
    (_ctx, self, args, kw) => {
      const [a] = bindArgs('startswith', ['prefix'], args, kw);
      return pyBool(a!.kind === 'str' && self.v.startsWith(a!.v));
    },
  ],
  [
    'endswith',
    (_ctx, self, args, kw) => {
      const [a] = bindArgs('endswith', ['suffix'], args, kw);
      return pyBool(a!.kind === 'str' && self.v.endsWith(a!.v));
    },
  ],
]);

function checked(ctx: Ctx, s: string): string {
  checkStr(ctx, s.length);
  return s;
}

/** Index of the first item equal to x (a step per item), or -1. */
function findItem(ctx: Ctx, items: readonly PyValue[], x: PyValue): number {
  for (let i = 0; i < items.length; i++) {
    ctx.tick();
    const y = items[i]!;
    if (y === x || pyEquals(y, x, ctx)) return i;
  }
  return -1;
}

let builtinsCache: Map<string, PyValue> | null = null;
export function pythonBuiltinsCache(): Map<string, PyValue> {
  builtinsCache ??= pythonBuiltins();
  return builtinsCache;
}

export function containerAttr(v: PyValue, name: string): PyValue | undefined {
  if (v.kind === 'list') {
    const m = LIST_METHODS.get(name);
    return m && builtin(`list.${name}`, (ctx, args, kw) => m(ctx, v, args, kw));
  }
  if (v.kind === 'dict') {
    const m = DICT_METHODS.get(name);
    return m && builtin(`dict.${name}`, (ctx, args, kw) => m(ctx, v, args, kw));
  }
  if (v.kind === 'str') {
    const m = STR_METHODS.get(name);
    return m && builtin(`str.${name}`, (ctx, args, kw) => m(ctx, v, args, kw));
  }
  return undefined;
}
