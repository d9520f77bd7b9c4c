// `collections.Counter` and `collections.defaultdict`: dicts with a `flavor`, so every dict builtin, method,
// printing and limit applies to them unchanged. Only the whitelisted methods below are added; nothing here
// hands learner code a JS object.

import { msg, PyError } from '../errors';
import { reprShort } from '../format';
import {
  type Ctx,
  type Kwargs,
  NONE,
  type PyDict,
  type PyModule,
  type PyValue,
  builtin,
  hashKey,
  pyBool,
  pyInt,
  pyList,
  pyTuple,
  typeName,
} from '../values';
import { dictSet } from './index';
import { binaryOp } from './math';
import { bindArgs } from './signature';
import { iterate } from './python';

export function counterDict(): PyDict {
  return { kind: 'dict', map: new Map(), flavor: { kind: 'counter' } };
}

/** Adds the counts of an iterable (one per item) or of a mapping (its values) into `d`. */
function countInto(ctx: Ctx, d: PyDict, src: PyValue): void {
  if (src.kind === 'dict' && src.flavor?.kind !== 'set') {
    for (const [, [k, v]] of src.map) {
      ctx.tick();
      const hit = d.map.get(hashKey(k, ctx.keyCaps));
      dictSet(ctx, d, k, hit ? binaryOp(ctx, '+', hit[1], v) : v);
    }
    return;
  }
  for (const k of iterate(ctx, src)) {
    const hit = d.map.get(hashKey(k, ctx.keyCaps));
    dictSet(ctx, d, k, hit ? binaryOp(ctx, '+', hit[1], pyInt(1)) : pyInt(1));
  }
}

function makeCounter(ctx: Ctx, args: PyValue[], kw: Kwargs): PyDict {
  if (args.length > 1) throw new PyError('TypeError', msg.tooManyArgs('Counter', 1, args.length));
  const d = counterDict();
  if (args[0] !== undefined) countInto(ctx, d, args[0]);
  if (kw) for (const [k, v] of kw) countInto(ctx, d, { kind: 'dict', map: new Map([[hashKey({ kind: 'str', v: k }), [{ kind: 'str', v: k }, v]]]) });
  return d;
}

function makeDefaultdict(ctx: Ctx, args: PyValue[], kw: Kwargs): PyDict {
  if (kw && kw.size > 0) throw new PyError('TypeError', msg.unexpectedKwarg('defaultdict', [...kw.keys()][0]!));
  if (args.length > 2) throw new PyError('TypeError', msg.tooManyArgs('defaultdict', 2, args.length));
  const factory = args[0] ?? NONE;
  if (!callable(factory)) throw new PyError('TypeError', msg.notCallable(typeName(factory)));
  const d: PyDict = { kind: 'dict', map: new Map(), flavor: { kind: 'defaultdict', factory } };
  if (args[1] !== undefined) {
    const src = args[1];
    if (src.kind === 'dict' && src.flavor?.kind !== 'set') for (const [, [k, v]] of src.map) dictSet(ctx, d, k, v);
    else {
      for (const pair of iterate(ctx, src)) {
        const kv = iterate(ctx, pair);
        if (kv.length !== 2) throw new PyError('ValueError', msg.unpackCount(2, kv.length));
        dictSet(ctx, d, kv[0]!, kv[1]!);
      }
    }
  }
  return d;
}

function callable(v: PyValue): boolean {
  return v.kind === 'none' || ['builtin', 'function', 'method', 'type', 'class', 'exctype', 'dtype'].includes(v.kind);
}

/**
 * The value of a missing key: a Counter answers 0 without storing it, a defaultdict stores factory().
 * undefined for a plain dict (the caller raises KeyError).
 */
export function dictMissing(ctx: Ctx, d: PyDict, key: PyValue): PyValue | undefined {
  const f = d.flavor;
  if (!f || f.kind === 'set') return undefined;
  if (f.kind === 'counter') return pyInt(0);
  if (f.factory.kind === 'none') return undefined;
  const v = ctx.call(f.factory, []);
  dictSet(ctx, d, key, v);
  return v;
}

type Method = (ctx: Ctx, self: PyDict, args: PyValue[], kw: Kwargs) => PyValue;

const COUNTER_METHODS = new Map<string, Method>([
  [
    'most_common',
    (ctx, self, args, kw) => {
      const [n] = bindArgs('most_common', ['n=None'], args, kw);
      const entries = [...self.map.values()];
      ctx.work(entries.length);
      // stable sort by count, largest first: equal counts keep insertion order, as in Python
      const sorted = entries
        .map(([k, v], i) => ({ k, v, i, c: countOf(v) }))
        .sort((a, b) => b.c - a.c || a.i - b.i);
      let m = sorted.length;
      if (n !== undefined && n.kind !== 'none') {
        if (n.kind !== 'int') throw new PyError('TypeError', msg.badArgType('most_common', 'n', '整数', typeName(n)));
        m = Math.max(0, Math.min(m, n.v));
      }
      return pyList(sorted.slice(0, m).map((e) => pyTuple([e.k, e.v])));
    },
  ],
  [
    'update',
    (ctx, self, args, kw) => {
      if (args.length > 1) throw new PyError('TypeError', msg.tooManyArgs('update', 1, args.length));
      if (args[0] !== undefined) countInto(ctx, self, args[0]);
      if (kw) countInto(ctx, self, makeCounter(ctx, [], kw));
      return NONE;
    },
  ],
  [
    'total',
    (ctx, self) => {
      let t: PyValue = pyInt(0);
      for (const [, v] of self.map.values()) t = binaryOp(ctx, '+', t, v);
      return t;
    },
  ],
  [
    'copy',
    (_ctx, self) => {
      const d = counterDict();
      for (const [h, [k, v]] of self.map) d.map.set(h, [k, v]);
      return d;
    },
  ],
]);

function countOf(v: PyValue): number {
  if (v.kind === 'int' || v.kind === 'float') return v.v;
  if (v.kind === 'bool') return v.v ? 1 : 0;
  throw new PyError('TypeError', msg.badArgType('most_common', 'count', '数値', typeName(v)));
}

const DEFAULTDICT_METHODS = new Map<string, Method>([
  [
    'copy',
    (_ctx, self) => {
      const d: PyDict = { kind: 'dict', map: new Map(), flavor: self.flavor };
      for (const [h, [k, v]] of self.map) d.map.set(h, [k, v]);
      return d;
    },
  ],
]);

/** A method of a Counter / defaultdict that overrides or adds to dict's; undefined falls back to dict's. */
export function flavorAttr(d: PyDict, name: string): PyValue | undefined {
  const f = d.flavor;
  if (!f) return undefined;
  if (f.kind === 'set') {
    const m = SET_METHODS.get(name);
    return m && builtin(`set.${name}`, (ctx, args, kw) => m(ctx, d, args, kw));
  }
  if (f.kind === 'defaultdict' && name === 'default_factory') return f.factory;
  const m = (f.kind === 'counter' ? COUNTER_METHODS : DEFAULTDICT_METHODS).get(name);
  return m && builtin(`${f.kind === 'counter' ? 'Counter' : 'defaultdict'}.${name}`, (ctx, args, kw) => m(ctx, d, args, kw));
}

let collectionsModule: PyModule | null = null;

/** The module `import collections` binds: only Counter and defaultdict. */
export function getCollectionsModule(): PyModule {
  collectionsModule ??= {
    kind: 'module',
    name: 'collections',
    attrs: new Map<string, PyValue>([
      ['Counter', builtin('Counter', makeCounter)],
      ['defaultdict', builtin('defaultdict', makeDefaultdict)],
    ]),
  };
  return collectionsModule;
}

// ---------------------------------------------------------------- sets

export function setDict(): PyDict {
  return { kind: 'dict', map: new Map(), flavor: { kind: 'set' } };
}

export function setAdd(ctx: Ctx, s: PyDict, x: PyValue): void {
  dictSet(ctx, s, x, NONE);
}

function setOf(ctx: Ctx, src: PyValue): PyDict {
  const s = setDict();
  for (const x of iterate(ctx, src)) setAdd(ctx, s, x);
  return s;
}

/** `set()` / `set(iterable)`. */
export function makeSet(ctx: Ctx, args: PyValue[], kw: Kwargs): PyDict {
  const [src] = bindArgs('set', ['iterable=None'], args, kw);
  return src === undefined || src.kind === 'none' ? setDict() : setOf(ctx, src);
}

function setCopy(s: PyDict): PyDict {
  const out = setDict();
  for (const [h, e] of s.map) out.map.set(h, e);
  return out;
}

const SET_METHODS = new Map<string, Method>([
  ['add', (ctx, self, args, kw) => (setAdd(ctx, self, bindArgs('add', ['elem'], args, kw)[0]!), NONE)],
  [
    'discard',
    (ctx, self, args, kw) => {
      self.map.delete(hashKey(bindArgs('discard', ['elem'], args, kw)[0]!, ctx.keyCaps));
      return NONE;
    },
  ],
  [
    'remove',
    (ctx, self, args, kw) => {
      const [x] = bindArgs('remove', ['elem'], args, kw);
      if (!self.map.delete(hashKey(x!, ctx.keyCaps))) throw new PyError('KeyError', msg.keyMissing(reprShort(x!)));
      return NONE;
    },
  ],
  [
    'update',
    (ctx, self, args) => {
      for (const a of args) for (const x of iterate(ctx, a)) setAdd(ctx, self, x);
      return NONE;
    },
  ],
  [
    'clear',
    (_ctx, self) => {
      self.map.clear();
      return NONE;
    },
  ],
  ['copy', (_ctx, self) => setCopy(self)],
  [
    'union',
    (ctx, self, args) => {
      const out = setCopy(self);
      for (const a of args) for (const x of iterate(ctx, a)) setAdd(ctx, out, x);
      return out;
    },
  ],
  [
    'intersection',
    (ctx, self, args) => {
      let out = setCopy(self);
      for (const a of args) {
        const other = setOf(ctx, a);
        const next = setDict();
        for (const [h, e] of out.map) if (other.map.has(h)) next.map.set(h, e);
        out = next;
      }
      return out;
    },
  ],
  [
    'difference',
    (ctx, self, args) => {
      const out = setCopy(self);
      for (const a of args) for (const x of iterate(ctx, a)) out.map.delete(hashKey(x, ctx.keyCaps));
      return out;
    },
  ],
  [
    'issubset',
    (ctx, self, args, kw) => {
      const other = setOf(ctx, bindArgs('issubset', ['other'], args, kw)[0]!);
      for (const h of self.map.keys()) if (!other.map.has(h)) return pyBool(false);
      return pyBool(true);
    },
  ],
]);
