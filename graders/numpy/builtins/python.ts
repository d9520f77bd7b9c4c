// Python builtins (range, len, enumerate, zip, …), calling the built-in types, iteration, and the method
// whitelists of list, dict and str.

import * as tf from '@tensorflow/tfjs-core';
import { pyNumberOf, toArray, toInt } from '../arrays';
import { msg, PyError } from '../errors';
import { formatPyFloat, repr, str } from '../format';
import {
  type Ctx,
  type Kwargs,
  NONE,
  type PyBuiltin,
  type PyDict,
  type PyList,
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
} from '../values';
import { dictSet } from './index';
import { compareOp, binaryOp, formatSpec, unaryOp } from './math';
import { arrayIterator } from './numpy';
import { bindArgs } from './signature';

/** A step function over any iterable value. */
export function iter(ctx: Ctx, v: PyValue): () => PyValue | undefined {
  switch (v.kind) {
    case 'list': {
      let i = 0;
      return () => (i < v.items.length ? v.items[i++] : undefined);
    }
    case 'tuple': {
      let i = 0;
      return () => (i < v.items.length ? v.items[i++] : undefined);
    }
    case 'str': {
      const chars = [...v.v];
      let i = 0;
      return () => (i < chars.length ? pyStr(chars[i++]!) : undefined);
    }
    case 'dict': {
      const keys = [...v.map.values()].map(([k]) => k);
      let i = 0;
      return () => (i < keys.length ? keys[i++] : undefined);
    }
    case 'range': {
      const n = rangeLength(v);
      let i = 0;
      return () => (i < n ? pyInt(v.start + v.step * i++) : undefined);
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

/** Collect an iterable into a JS array (checking the length limit). */
export function iterate(ctx: Ctx, v: PyValue): PyValue[] {
  if (v.kind === 'list' || v.kind === 'tuple') return v.items.slice();
  const next = iter(ctx, v);
  const out: PyValue[] = [];
  for (let x = next(); x !== undefined; x = next()) {
    out.push(x);
    if ((out.length & 1023) === 0) {
      ctx.checkLength(out.length);
      ctx.tick();
    }
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
  const items = args.length === 1 ? iterate(ctx, args[0]!) : args;
  if (items.length === 0) {
    if (dflt) return dflt;
    throw new PyError('ValueError', msg.minMaxEmpty(name));
  }
  const k = (x: PyValue): PyValue => (key && key.kind !== 'none' ? ctx.call(key, [x]) : x);
  let best = items[0]!;
  let bestKey = k(best);
  for (let i = 1; i < items.length; i++) {
    const x = items[i]!;
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
    if (s === '' || Number.isNaN(x)) throw new PyError('ValueError', msg.convertToNumber('float', v.v));
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
    if (!/^[-+]?\d+$/.test(s)) throw new PyError('ValueError', msg.convertToNumber('int', v.v));
    n = Number(s);
  }
  if (n === null) throw new PyError('TypeError', msg.convertToNumber('int', typeName(v)));
  if (!Number.isFinite(n)) throw new PyError('ValueError', msg.intConvertNaN());
  return pyInt(Math.trunc(n));
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
      return pyStr(arg ? str(arg) : '');
    case 'list':
      return pyList(arg ? iterate(ctx, arg) : []);
    case 'tuple':
      return pyTuple(arg ? iterate(ctx, arg) : []);
    case 'dict': {
      const d = pyDict();
      if (arg) {
        if (arg.kind === 'dict') for (const [h, [k, v]] of arg.map) d.map.set(h, [k, v]);
        else {
          for (const pair of iterate(ctx, arg)) {
            const kv = iterate(ctx, pair);
            if (kv.length !== 2) throw new PyError('ValueError', msg.unpackCount(2, kv.length));
            dictSet(d, kv[0]!, kv[1]!);
          }
        }
      }
      if (kw) for (const [k, v] of kw) dictSet(d, pyStr(k), v);
      return d;
    }
    default:
      throw new PyError('TypeError', msg.notCallable(`type ${t.name}`));
  }
}

function isInstance(v: PyValue, t: PyValue): boolean {
  if (t.kind === 'tuple') return t.items.some((x) => isInstance(v, x));
  if (t.kind === 'dtype') return v.kind === 'array' && v.scalar && v.dtype === t.dtype;
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

export function pythonBuiltins(): Map<string, PyValue> {
  const b = new Map<string, PyValue>();
  const def = (name: string, f: PyBuiltin['call']): void => {
    b.set(name, builtin(name, f));
  };
  for (const name of ['int', 'float', 'bool', 'str', 'list', 'tuple', 'dict'] as const) b.set(name, pyType(name));
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
      return x === undefined ? undefined : pyTuple([pyInt(i++), x]);
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
    for (let x = next(); x !== undefined; x = next()) {
      acc = binaryOp(ctx, '+', acc, x);
      ctx.tick();
    }
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
      return pyInt(roundHalfEven(n));
    }
    const d = toInt(nd!, 'round', 'ndigits');
    if (x.kind !== 'float') return pyInt(d >= 0 ? n : Math.round(n / 10 ** -d) * 10 ** -d);
    if (!Number.isFinite(n)) return x;
    void ctx;
    return pyFloat(d >= 0 && d <= 100 ? Number(n.toFixed(d)) : roundHalfEven(n / 10 ** -d) * 10 ** -d);
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
        if (k === 'sep') sep = v.kind === 'none' ? ' ' : str(v);
        else if (k === 'end') end = v.kind === 'none' ? '\n' : str(v);
        else if (k !== 'flush') throw new PyError('TypeError', msg.unexpectedKwarg('print', k));
      }
    }
    ctx.print(args.map((a) => str(a)).join(sep) + end);
    return NONE;
  });
  def('sorted', (ctx, args, kw) => {
    const [it, key, rev] = bindArgs('sorted', ['iterable', 'key=None', 'reverse=False'], args, kw);
    const items = iterate(ctx, it!);
    const keys = items.map((x) => (key!.kind === 'none' ? x : ctx.call(key!, [x])));
    const idx = items.map((_, i) => i);
    idx.sort((i, j) => (lessThan(ctx, keys[i]!, keys[j]!) ? -1 : lessThan(ctx, keys[j]!, keys[i]!) ? 1 : 0));
    if (truthy(rev!)) {
      // stable reverse: sort descending keeping equal elements in order
      idx.sort((i, j) => (lessThan(ctx, keys[j]!, keys[i]!) ? -1 : lessThan(ctx, keys[i]!, keys[j]!) ? 1 : i - j));
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
      return ctx.call(f, xs);
    });
  });
  def('filter', (ctx, args, kw) => {
    const [f, it] = bindArgs('filter', ['function', 'iterable'], args, kw);
    const next = iter(ctx, it!);
    return iterator('filter', () => {
      for (let x = next(); x !== undefined; x = next()) {
        if (truthy(f!.kind === 'none' ? x : ctx.call(f!, [x]))) return x;
      }
      return undefined;
    });
  });
  def('repr', (_ctx, args, kw) => {
    const [v] = bindArgs('repr', ['obj'], args, kw);
    return pyStr(repr(v!));
  });
  def('format', (_ctx, args, kw) => {
    const [v, spec] = bindArgs('format', ['value', "format_spec=''"], args, kw);
    return pyStr(formatSpec(v!, spec!.kind === 'str' ? spec!.v : ''));
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
      self.items.push(...iterate(ctx, x!));
      ctx.checkLength(self.items.length);
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
    (_ctx, self, args, kw) => {
      const [x] = bindArgs('remove', ['value'], args, kw);
      const k = self.items.findIndex((y) => pyEquals(y, x!));
      if (k < 0) throw new PyError('ValueError', 'list.remove(x): x はリストにありません');
      self.items.splice(k, 1);
      return NONE;
    },
  ],
  [
    'index',
    (_ctx, self, args, kw) => {
      const [x] = bindArgs('index', ['value'], args, kw);
      const k = self.items.findIndex((y) => pyEquals(y, x!));
      if (k < 0) throw new PyError('ValueError', `${repr(x!)} はリストにありません`);
      return pyInt(k);
    },
  ],
  [
    'count',
    (_ctx, self, args, kw) => {
      const [x] = bindArgs('count', ['value'], args, kw);
      return pyInt(self.items.filter((y) => pyEquals(y, x!)).length);
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
    (_ctx, self, args, kw) => {
      const [k, d] = bindArgs('get', ['key', 'default=None'], args, kw);
      return self.map.get(hashKey(k!))?.[1] ?? d!;
    },
  ],
  ['keys', (_ctx, self) => pyList([...self.map.values()].map(([k]) => k))],
  ['values', (_ctx, self) => pyList([...self.map.values()].map(([, v]) => v))],
  ['items', (_ctx, self) => pyList([...self.map.values()].map(([k, v]) => pyTuple([k, v])))],
  [
    'pop',
    (_ctx, self, args, kw) => {
      const [k, d] = bindArgs('pop', ['key', 'default=None'], args, kw);
      const h = hashKey(k!);
      const hit = self.map.get(h);
      if (!hit) {
        if (args.length > 1 || (kw && kw.has('default'))) return d!;
        throw new PyError('KeyError', msg.keyMissing(repr(k!)));
      }
      self.map.delete(h);
      return hit[1];
    },
  ],
  [
    'update',
    (ctx, self, args, kw) => {
      const other = callType(ctx, pyType('dict'), args, kw) as PyDict;
      for (const [, [k, v]] of other.map) dictSet(self, k, v);
      return NONE;
    },
  ],
  [
    'setdefault',
    (_ctx, self, args, kw) => {
      const [k, d] = bindArgs('setdefault', ['key', 'default=None'], args, kw);
      const hit = self.map.get(hashKey(k!));
      if (hit) return hit[1];
      dictSet(self, k!, d!);
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

const STR_METHODS = new Map<string, Method<{ kind: 'str'; v: string }>>([
  [
    'join',
    (ctx, self, args, kw) => {
      const [it] = bindArgs('join', ['iterable'], args, kw);
      const parts = iterate(ctx, it!).map((x) => {
        if (x.kind !== 'str') throw new PyError('TypeError', msg.badArgType('join', 'iterable', '文字列の並び', typeName(x)));
        return x.v;
      });
      return pyStr(parts.join(self.v));
    },
  ],
  [
    'format',
    (_ctx, self, args, kw) => {
      let auto = 0;
      const out = self.v.replace(/\{\{|\}\}|\{([^{}:!]*)(?:!([rs]))?(?::([^{}]*))?\}/g, (all, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
        if (all === '{{') return '{';
        if (all === '}}') return '}';
        let v: PyValue | undefined;
        if (field === undefined || field === '') v = args[auto++];
        else if (/^\d+$/.test(field)) v = args[Number(field)];
        else v = kw?.get(field);
        if (!v) throw new PyError('IndexError', `format: 置換フィールド {${field ?? ''}} に対応する値がありません`);
        return formatSpec(v, spec ?? '', conv === 'r');
      });
      return pyStr(out);
    },
  ],
  ['upper', (_ctx, self) => pyStr(self.v.toUpperCase())],
  ['lower', (_ctx, self) => pyStr(self.v.toLowerCase())],
  ['strip', (_ctx, self) => pyStr(self.v.trim())],
  [
    'split',
    (_ctx, self, args, kw) => {
      const [sep] = bindArgs('split', ['sep=None'], args, kw);
      const parts = sep!.kind === 'str' ? self.v.split(sep!.v) : self.v.trim().split(/\s+/).filter((x) => x !== '');
      return pyList(parts.map(pyStr));
    },
  ],
  [
    'replace',
    (_ctx, self, args, kw) => {
      const [a, b] = bindArgs('replace', ['old', 'new'], args, kw);
      if (a!.kind !== 'str' || b!.kind !== 'str') throw new PyError('TypeError', msg.badArgType('replace', 'old/new', '文字列', typeName(a!)));
      return pyStr(self.v.split(a!.v).join(b!.v));
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
