// The Python value model. Arrays wrap tfjs tensors; everything else is plain data with a `kind` tag.
// Learner code only ever sees these values: attributes and methods are resolved by per-kind whitelists in
// eval.ts / builtins, never by JS property lookup.

import type * as tf from '@tensorflow/tfjs-core';
import type { Expr, Param, Stmt } from './ast';
import { msg, PyError } from './errors';
import type { Limits } from './limits';

export type DType = 'float32' | 'int32' | 'bool';

export interface PyNone {
  readonly kind: 'none';
}
export interface PyBool {
  readonly kind: 'bool';
  readonly v: boolean;
}
export interface PyInt {
  readonly kind: 'int';
  readonly v: number;
}
export interface PyFloat {
  readonly kind: 'float';
  readonly v: number;
}
export interface PyStr {
  readonly kind: 'str';
  readonly v: string;
}
export interface PyList {
  readonly kind: 'list';
  items: PyValue[];
}
export interface PyTuple {
  readonly kind: 'tuple';
  readonly items: readonly PyValue[];
}
export interface PyDict {
  readonly kind: 'dict';
  /** hashKey(key) → [key, value]; insertion-ordered; a Map so no key can reach Object.prototype. */
  readonly map: Map<string, [PyValue, PyValue]>;
  /** collections.Counter (a missing key counts 0) or collections.defaultdict (a missing key stores factory()). */
  /** A set is a dict whose values are all None, with its own method whitelist (no item access). */
  readonly flavor?: { readonly kind: 'counter' } | { readonly kind: 'defaultdict'; readonly factory: PyValue } | { readonly kind: 'set' };
}
export interface PyEllipsis {
  readonly kind: 'ellipsis';
}
export interface PySlice {
  readonly kind: 'slice';
  readonly start: PyValue;
  readonly stop: PyValue;
  readonly step: PyValue;
}
export interface PyRange {
  readonly kind: 'range';
  readonly start: number;
  readonly stop: number;
  readonly step: number;
}
export interface PyIterator {
  readonly kind: 'iterator';
  readonly name: string;
  next(): PyValue | undefined;
}
export type TypeName = 'int' | 'float' | 'bool' | 'str' | 'list' | 'tuple' | 'dict' | 'ndarray' | 'range' | 'slice' | 'NoneType' | 'type';
export interface PyType {
  readonly kind: 'type';
  readonly name: TypeName;
}
export interface PyDtype {
  readonly kind: 'dtype';
  readonly dtype: DType;
  /** The name learner code used (np.float64 maps to float32 storage). */
  readonly name: string;
}
export type Kwargs = Map<string, PyValue> | null;
export interface PyBuiltin {
  readonly kind: 'builtin';
  readonly name: string;
  readonly call: (ctx: Ctx, args: PyValue[], kwargs: Kwargs) => PyValue;
}
export interface PyModule {
  readonly kind: 'module';
  readonly name: string;
  readonly attrs: Map<string, PyValue>;
}
export interface PyFunction {
  readonly kind: 'function';
  readonly name: string;
  readonly params: Param[];
  readonly defaults: (PyValue | undefined)[];
  /** Statement body (def) or null for a lambda. */
  readonly body: Stmt[] | null;
  readonly expr: Expr | null;
  readonly closure: Scope;
  readonly locals: Set<string>;
  readonly globals: Set<string>;
  /** The class whose body defined this function (for zero-argument `super()`). */
  owner?: PyClass;
}
/** A class made by a `class` statement (single inheritance; attributes in a Map, never a JS object). */
export interface PyClass {
  readonly kind: 'class';
  readonly name: string;
  readonly base: PyClass | null;
  readonly attrs: Map<string, PyValue>;
}
/** An instance of a learner class: its attributes live in a Map, so any name is a plain key. */
export interface PyInstance {
  readonly kind: 'instance';
  readonly cls: PyClass;
  readonly attrs: Map<string, PyValue>;
  /** Identity, for dict keys (Python hashes instances by id). */
  readonly id: number;
}
/** A function bound to an instance (`obj.method`). */
export interface PyMethod {
  readonly kind: 'method';
  readonly self: PyValue;
  readonly fn: PyFunction;
}
/** The object `super()` returns: attribute lookup starts after `cls` in the chain of `self`. */
export interface PySuper {
  readonly kind: 'super';
  readonly cls: PyClass;
  readonly self: PyValue;
}
/** A built-in exception class (ValueError, …), usable in `raise`, `except` and `isinstance`. */
export interface PyExcType {
  readonly kind: 'exctype';
  readonly name: string;
}
/** A raised or created exception: its class name and message. */
export interface PyException {
  readonly kind: 'exception';
  readonly type: string;
  readonly message: string;
  readonly args: readonly PyValue[];
}
export interface PyGenerator {
  readonly kind: 'generator';
  readonly rng: Rng;
}

/** Random source of np.random (seeded, deterministic). */
export interface Rng {
  seed(s: number): void;
  /** Uniform in [0, 1). */
  next(): number;
  normal(): number;
}

/** A basic-indexing view: writes into the view are copied back into `base` at `index` (copy-on-write). */
export interface ViewBase {
  readonly arr: PyArray;
  readonly index: PyValue;
}

export class PyArray {
  readonly kind = 'array' as const;
  constructor(
    public t: tf.Tensor,
    /** A numpy scalar (np.float64 / np.int64 / np.bool) rather than a 0-d array; only affects printing/isinstance. */
    public scalar = false,
    public base: ViewBase | null = null,
  ) {}
  get dtype(): DType {
    return this.t.dtype as DType;
  }
  get shape(): number[] {
    return this.t.shape;
  }
}

export type PyValue =
  | PyNone
  | PyBool
  | PyInt
  | PyFloat
  | PyStr
  | PyList
  | PyTuple
  | PyDict
  | PyEllipsis
  | PySlice
  | PyRange
  | PyIterator
  | PyType
  | PyDtype
  | PyBuiltin
  | PyModule
  | PyFunction
  | PyGenerator
  | PyClass
  | PyInstance
  | PyMethod
  | PySuper
  | PyExcType
  | PyException
  | PyArray;

/** Variables of one scope. Lookup rules live in eval.ts. */
export class Scope {
  readonly vars = new Map<string, PyValue>();
  /** The namespace of a class body: functions defined in it close over the enclosing scope, as in Python. */
  classBody = false;
  constructor(
    readonly parent: Scope | null,
    /** Set for a function's local scope: names local by Python's rule and names declared global. */
    readonly fn: { locals: Set<string>; globals: Set<string> } | null,
  ) {}
}

/** What recursive walks over values (==, <, hashing) need from the interpreter. */
export interface Meter {
  /** Count a step and check the clock. */
  tick(): void;
  /** Deepest container nesting a walk may enter (RecursionError past it). */
  readonly maxNesting: number;
}

/** What builtins can ask of the running interpreter. */
export interface Ctx extends Meter {
  readonly limits: Limits;
  /** Call any callable value. */
  call(fn: PyValue, args: PyValue[], kwargs?: Kwargs): PyValue;
  /** Wrap an op result as an array, counting its elements against the limits. */
  wrap(t: tf.Tensor, scalar?: boolean): PyArray;
  /** Refuse to create an array of this shape before allocating it. */
  checkShape(shape: readonly number[]): void;
  /** Count extra work (e.g. multiply-adds of a matrix product) against the element budget. */
  countWork(n: number): void;
  /** Check a collection length against the per-array limit. */
  checkLength(n: number): void;
  /** Count `n` steps at once (before doing work proportional to n) and check the clock. */
  steps(n: number): void;
  /** Record `n` units of bulk work (characters, elements) that count no steps; checks the clock now and then. */
  work(n: number): void;
  /** Bounds of str()/repr() of learner values (length, nesting, clock). */
  readonly fmt: FormatCaps;
  /** Bounds of dict keys (hashKey). */
  readonly keyCaps: KeyCaps;
  /** Bounds for str() of print()'s arguments: what may still be printed (MemoryError maxOutputChars past it). */
  printCaps(): FormatCaps;
  print(s: string): void;
  readonly rng: Rng;
  /** `super()` (no arguments) in the running method, or `super(cls, obj)`. */
  superOf(args: PyValue[]): PyValue;
}

/** Bounds of one str()/repr() conversion; format.ts throws `tooLong()` as soon as the text passes maxChars. */
export interface FormatCaps {
  readonly maxChars: number;
  readonly maxNesting: number;
  tooLong(): PyError;
  /** Record work that produces little text (array elements read), so a long conversion still sees the clock. */
  work?(n: number): void;
}

/** Bounds of hashKey: nesting of tuples and length of the key text (which bounds the work). */
export interface KeyCaps {
  readonly maxNesting: number;
  readonly maxKeyChars: number;
}

// ---------- constructors ----------

export const NONE: PyNone = Object.freeze({ kind: 'none' });
export const TRUE: PyBool = Object.freeze({ kind: 'bool', v: true });
export const FALSE: PyBool = Object.freeze({ kind: 'bool', v: false });
export const ELLIPSIS: PyEllipsis = Object.freeze({ kind: 'ellipsis' });
export const pyBool = (v: boolean): PyBool => (v ? TRUE : FALSE);
export const pyInt = (v: number): PyInt => ({ kind: 'int', v });
export const pyFloat = (v: number): PyFloat => ({ kind: 'float', v });
export const pyStr = (v: string): PyStr => ({ kind: 'str', v });
export const pyList = (items: PyValue[]): PyList => ({ kind: 'list', items });
export const pyTuple = (items: readonly PyValue[]): PyTuple => ({ kind: 'tuple', items });
export const pyDict = (): PyDict => ({ kind: 'dict', map: new Map() });
export const pyType = (name: TypeName): PyType => ({ kind: 'type', name });
export const pyDtype = (dtype: DType, name: string = dtype): PyDtype => ({ kind: 'dtype', dtype, name });
export function builtin(name: string, call: PyBuiltin['call']): PyBuiltin {
  return { kind: 'builtin', name, call };
}
export function iterator(name: string, next: () => PyValue | undefined): PyIterator {
  return { kind: 'iterator', name, next };
}

// ---------- inspection ----------

export function typeName(v: PyValue): string {
  switch (v.kind) {
    case 'none':
      return 'NoneType';
    case 'array':
      if (v.scalar) return `numpy.${v.dtype === 'bool' ? 'bool' : v.dtype === 'int32' ? 'int64' : 'float64'}`;
      return 'numpy.ndarray';
    case 'builtin':
      return 'builtin_function_or_method';
    case 'iterator':
      return v.name;
    case 'dtype':
      return 'numpy.dtype';
    case 'generator':
      return 'numpy.random.Generator';
    case 'class':
    case 'exctype':
      return 'type';
    case 'instance':
      return v.cls.name;
    case 'exception':
      return v.type;
    case 'dict':
      return v.flavor ? (v.flavor.kind === 'counter' ? 'Counter' : v.flavor.kind === 'set' ? 'set' : 'collections.defaultdict') : 'dict';
    default:
      return v.kind;
  }
}

/** A Python number (bool, int, float) as a JS number, or null. */
export function numberOf(v: PyValue): number | null {
  if (v.kind === 'int' || v.kind === 'float') return v.v;
  if (v.kind === 'bool') return v.v ? 1 : 0;
  return null;
}

export function isPyScalar(v: PyValue): v is PyBool | PyInt | PyFloat {
  return v.kind === 'int' || v.kind === 'float' || v.kind === 'bool';
}

export function truthy(v: PyValue): boolean {
  switch (v.kind) {
    case 'none':
      return false;
    case 'bool':
      return v.v;
    case 'int':
    case 'float':
      return v.v !== 0;
    case 'str':
      return v.v.length > 0;
    case 'list':
    case 'tuple':
      return v.items.length > 0;
    case 'dict':
      return v.map.size > 0;
    case 'range':
      return rangeLength(v) > 0;
    case 'array': {
      const size = v.t.size;
      if (size === 0) throw new PyError('ValueError', msg.emptyTruth());
      if (size > 1) throw new PyError('ValueError', msg.ambiguousTruth());
      return (v.t.dataSync()[0] ?? 0) !== 0;
    }
    default:
      return true;
  }
}

export function rangeLength(r: PyRange): number {
  if (r.step > 0) return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  return Math.max(0, Math.ceil((r.start - r.stop) / -r.step));
}

/** Largest integer the interpreter represents exactly (Python ints beyond it are an OverflowError). */
export const MAX_INT = Number.MAX_SAFE_INTEGER;

/** A Python int result, or an OverflowError when it left the exactly representable range (never a silent wrong value). */
export function checkedInt(v: number): PyInt {
  if (!Number.isSafeInteger(v)) throw new PyError('OverflowError', msg.intOverflow());
  return { kind: 'int', v: v === 0 ? 0 : v };
}

export function nestingError(max: number): PyError {
  return new PyError('RecursionError', msg.limitNesting(max), undefined, 'maxRecursion');
}

/** Defaults for callers without an interpreter (host inputs). */
export const DEFAULT_KEY_CAPS: KeyCaps = Object.freeze({ maxNesting: 1000, maxKeyChars: 2_000_000 });

/**
 * Dict key of a hashable value; TypeError for unhashable ones. Numbers equal in Python share a key. Tuple keys
 * are length-prefixed (no escaping, so a nest of depth d costs O(d) characters, not 2^d); their nesting and
 * length are bounded, and a tuple met twice in one key is keyed once (`t = (t, t)` nests cost O(depth)).
 */
export function hashKey(v: PyValue, caps: KeyCaps = DEFAULT_KEY_CAPS): string {
  if (v.kind !== 'tuple') return atomKey(v);
  const items = v.items;
  // the common flat tuple, (i, j): no memo
  let flat = true;
  for (let i = 0; i < items.length; i++) if (items[i]!.kind === 'tuple') flat = false;
  if (flat && items.length <= 64) {
    let out = `t${items.length}:`;
    for (let i = 0; i < items.length; i++) {
      const k = atomKey(items[i]!);
      out += `${k.length}:${k}`;
    }
    return out;
  }
  return tupleKey(v, caps, 0, { seen: null });
}

/** Keys of the nested tuples of one hashKey call (made only when a tuple holds a tuple). */
interface TupleMemo {
  seen: Map<PyTuple, string> | null;
}

function tupleKey(v: PyTuple, caps: KeyCaps, depth: number, memo: TupleMemo): string {
  if (depth >= caps.maxNesting) throw nestingError(caps.maxNesting);
  let out = `t${v.items.length}:`;
  for (const x of v.items) {
    let k: string;
    if (x.kind === 'tuple') {
      memo.seen ??= new Map();
      const seen = memo.seen.get(x);
      if (seen !== undefined) k = seen;
      else {
        k = tupleKey(x, caps, depth + 1, memo);
        memo.seen.set(x, k);
      }
    } else k = atomKey(x);
    out += `${k.length}:${k}`;
    if (out.length > caps.maxKeyChars) throw new PyError('MemoryError', msg.keyTooLong(), undefined, 'maxArrayElements');
  }
  return out;
}

function atomKey(v: PyValue): string {
  switch (v.kind) {
    case 'none':
      return 'N';
    case 'bool':
      return v.v ? 'n1' : 'n0';
    case 'int':
    case 'float':
      return `n${v.v}`;
    case 'str':
      return `s${v.v}`;
    case 'array':
      if (v.scalar || v.t.rank === 0) return `n${Number(v.t.dataSync()[0])}`;
      throw new PyError('TypeError', msg.unhashable(typeName(v)));
    case 'type':
    case 'dtype':
      return `T${v.kind}:${v.name}`;
    case 'exctype':
      return `E${v.name}`;
    case 'instance':
      return `I${v.id}`;
    case 'class':
    case 'function':
    case 'builtin':
      // hashed by identity in Python; a class or function is keyed by a per-object number
      return `O${objectId(v)}`;
    default:
      throw new PyError('TypeError', msg.unhashable(typeName(v)));
  }
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;
/** A number per object (classes, functions), for identity keys. */
export function objectId(v: object): number {
  let id = objectIds.get(v);
  if (id === undefined) {
    id = ++nextObjectId;
    objectIds.set(v, id);
  }
  return id;
}

/** Python `==` for non-array values (arrays compare elementwise in math.ts). Counts a step per element compared. */
export function pyEquals(a: PyValue, b: PyValue, m: Meter, depth = 0): boolean {
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== null && nb !== null) return na === nb;
  if (a.kind === 'array' && a.t.size === 1 && nb !== null) return Number(a.t.dataSync()[0]) === nb;
  if (b.kind === 'array' && b.t.size === 1 && na !== null) return Number(b.t.dataSync()[0]) === na;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'none':
    case 'ellipsis':
      return true;
    case 'str':
      return a.v === (b as PyStr).v;
    case 'list':
    case 'tuple': {
      const bi = (b as PyList | PyTuple).items;
      if (a.items.length !== bi.length) return false;
      if (depth >= m.maxNesting) throw nestingError(m.maxNesting);
      for (let i = 0; i < bi.length; i++) {
        const x = a.items[i]!;
        const y = bi[i]!;
        if (x === y) continue;
        m.tick();
        if (x.kind === 'array' || y.kind === 'array') {
          throw new PyError('ValueError', msg.ambiguousTruth());
        }
        if (!pyEquals(x, y, m, depth + 1)) return false;
      }
      return true;
    }
    case 'dict': {
      const bm = (b as PyDict).map;
      if (a.map.size !== bm.size) return false;
      if ((a.flavor?.kind === 'set') !== ((b as PyDict).flavor?.kind === 'set')) return false;
      if (depth >= m.maxNesting) throw nestingError(m.maxNesting);
      for (const [k, [, v]] of a.map) {
        m.tick();
        const other = bm.get(k);
        if (!other || !pyEquals(v, other[1], m, depth + 1)) return false;
      }
      return true;
    }
    case 'type':
    case 'dtype':
      return a.name === (b as PyType).name || (a.kind === 'dtype' && a.dtype === (b as PyDtype).dtype);
    case 'method':
      return a.self === (b as PyMethod).self && a.fn === (b as PyMethod).fn;
    case 'exctype':
      return a.name === (b as PyExcType).name;
    case 'range': {
      const rb = b as PyRange;
      const n = rangeLength(a);
      // Python compares ranges as sequences
      if (n !== rangeLength(rb)) return false;
      if (n === 0) return true;
      if (a.start !== rb.start) return false;
      return n === 1 || a.step === rb.step;
    }
    default:
      return a === b;
  }
}

/** Python float whose shortest repr matches the float32 value (numpy would have computed it in float64). */
export function widenFloat32(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x;
  for (let p = 1; p <= 9; p++) {
    const y = Number(x.toPrecision(p));
    if (Math.fround(y) === x) return y;
  }
  return x;
}
