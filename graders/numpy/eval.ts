// The evaluator: one switch over expressions, one over statements. Learner code only reaches interpreter
// values: names resolve in Scope maps and the builtins map, attributes through per-kind whitelists.

import * as tf from '@tensorflow/tfjs-core';
import type * as A from './ast';
import { MAX_DIMS, toArray } from './arrays';
import { msg, PyError, type PyErrorType, type Span } from './errors';
import { str as strOf, repr } from './format';
import type { Limits } from './limits';
import { delItem, getItem, replaceTensor, setItem } from './builtins/index';
import { arrayBinary, binaryOp, compareOp, formatSpec, unaryOp } from './builtins/math';
import { callDtype, getArrayAttr, getNumpyModule } from './builtins/numpy';
import { callType, containerAttr, excMatches, iter, iterate, makeException, pythonBuiltinsCache } from './builtins/python';
import { Xoshiro128, generatorAttr } from './builtins/random';
import { ufuncAttr } from './builtins/ufunc';
import { flavorAttr, getCollectionsModule, setAdd, setDict } from './builtins/collections';
import {
  type Ctx,
  ELLIPSIS,
  type FormatCaps,
  type KeyCaps,
  type PyRange,
  numberOf,
  type Kwargs,
  NONE,
  PyArray,
  type PyClass,
  type PyDict,
  type PyException,
  type PyFunction,
  type PyInstance,
  type PyValue,
  Scope,
  hashKey,
  pyBool,
  pyDict,
  pyList,
  pyStr,
  pyTuple,
  truthy,
  typeName,
  iterator,
  builtin,
} from './values';
import { dictSet } from './builtins/index';

const enum Signal {
  Normal = 0,
  Break = 1,
  Continue = 2,
  Return = 3,
}

const TIME_CHECK_MASK = 63;
/** Bulk work units (characters, elements) between two looks at the clock. */
const WORK_CHECK = 1 << 18;
/** Container nesting walked by repr / == / hash: Python's recursion limit, kept well inside the JS stack. */
const MAX_NESTING = 1000;

/** Names learner code can never bind or read, whatever scope they would live in. */
const FORBIDDEN_NAMES = new Set(['__builtins__', '__import__', '__class__', '__dict__', '__proto__', 'constructor', 'prototype']);

export class Interpreter implements Ctx {
  readonly globals = new Scope(null, null);
  readonly rng: Xoshiro128;
  private readonly builtins: Map<string, PyValue>;
  private stepCount = 0;
  private readonly deadline: number;
  private totalElements = 0;
  private depth = 0;
  private outLen = 0;
  private workUnits = 0;
  private readonly out: string[] = [];
  private retVal: PyValue = NONE;
  /** The running learner function and its scope (for `super()`). */
  private frame: { fn: PyFunction; scope: Scope } | null = null;
  /** The exception being handled (for a bare `raise`). */
  private handling: PyError | null = null;
  readonly maxNesting: number;
  readonly fmt: FormatCaps;
  readonly keyCaps: KeyCaps;

  constructor(
    readonly limits: Limits,
    seed = 0,
  ) {
    this.rng = new Xoshiro128(seed);
    this.builtins = pythonBuiltinsCache();
    this.deadline = now() + limits.timeoutMs;
    this.globals.vars.set('np', getNumpyModule());
    this.maxNesting = Math.max(1, Math.min(limits.maxRecursion, MAX_NESTING));
    const maxChars = limits.maxArrayElements;
    this.fmt = new Caps(this, maxChars, false);
    // a tuple key costs a few characters per element
    this.keyCaps = { maxNesting: this.maxNesting, maxKeyChars: Math.max(1024, 2 * maxChars) };
  }

  get stdout(): string {
    return this.out.join('');
  }

  // ---------- Ctx ----------

  wrap(t: tf.Tensor, scalar = false): PyArray {
    const n = t.size;
    if (n > this.limits.maxArrayElements) throw limitError('MemoryError', msg.limitArray(n, this.limits.maxArrayElements), 'maxArrayElements');
    this.totalElements += n;
    if (this.totalElements > this.limits.maxTotalElements) throw limitError('MemoryError', msg.limitTotal(this.limits.maxTotalElements), 'maxTotalElements');
    this.work(n);
    return new PyArray(t, scalar);
  }

  checkShape(shape: readonly number[]): void {
    if (shape.length > MAX_DIMS) throw new PyError('ValueError', msg.tooManyDims(MAX_DIMS));
    let n = 1;
    for (const d of shape) {
      if (!(d >= 0)) throw new PyError('ValueError', msg.negativeDimension());
      n *= d;
    }
    if (n > this.limits.maxArrayElements) throw limitError('MemoryError', msg.limitArray(n, this.limits.maxArrayElements), 'maxArrayElements');
    if (this.totalElements + n > this.limits.maxTotalElements) throw limitError('MemoryError', msg.limitTotal(this.limits.maxTotalElements), 'maxTotalElements');
  }

  countWork(n: number): void {
    this.totalElements += n;
    if (this.totalElements > this.limits.maxTotalElements) throw limitError('MemoryError', msg.limitTotal(this.limits.maxTotalElements), 'maxTotalElements');
  }

  checkLength(n: number): void {
    if (n > this.limits.maxArrayElements) throw limitError('MemoryError', msg.limitCollection(this.limits.maxArrayElements), 'maxArrayElements');
  }

  tick(): void {
    if (++this.stepCount > this.limits.maxSteps) throw limitError('TimeoutError', msg.limitSteps(this.limits.maxSteps), 'maxSteps');
    if ((this.stepCount & TIME_CHECK_MASK) === 0 && now() > this.deadline) {
      throw limitError('TimeoutError', msg.limitTime(this.limits.timeoutMs), 'timeoutMs');
    }
  }

  steps(n: number): void {
    this.stepCount += n;
    if (this.stepCount > this.limits.maxSteps) throw limitError('TimeoutError', msg.limitSteps(this.limits.maxSteps), 'maxSteps');
    this.checkClock();
  }

  work(n: number): void {
    this.workUnits += n;
    if (this.workUnits >= WORK_CHECK) {
      this.workUnits = 0;
      this.checkClock();
    }
  }

  private checkClock(): void {
    if (now() > this.deadline) throw limitError('TimeoutError', msg.limitTime(this.limits.timeoutMs), 'timeoutMs');
  }

  printCaps(): FormatCaps {
    return new Caps(this, Math.max(0, this.limits.maxOutputChars - this.outLen), true);
  }

  print(s: string): void {
    this.outLen += s.length;
    if (this.outLen > this.limits.maxOutputChars) throw limitError('MemoryError', msg.limitOutput(this.limits.maxOutputChars), 'maxOutputChars');
    this.out.push(s);
  }

  call(fn: PyValue, args: PyValue[], kwargs: Kwargs = null): PyValue {
    switch (fn.kind) {
      case 'builtin':
        return fn.call(this, args, kwargs);
      case 'function':
        return this.callFunction(fn, args, kwargs);
      case 'type':
        return callType(this, fn, args, kwargs);
      case 'dtype':
        return callDtype(this, fn, args);
      case 'method':
        return this.callFunction(fn.fn, [fn.self, ...args], kwargs);
      case 'class':
        return this.instantiate(fn, args, kwargs);
      case 'instance': {
        const f = classLookup(fn.cls, '__call__');
        if (f === undefined) throw new PyError('TypeError', msg.notCallable(typeName(fn)));
        return this.call(bindTo(f, fn), args, kwargs);
      }
      case 'exctype':
        if (kwargs && kwargs.size) throw new PyError('TypeError', msg.unexpectedKwarg(fn.name, [...kwargs.keys()][0]!));
        return makeException(fn.name, args, this.fmt);
      default:
        throw new PyError('TypeError', msg.notCallable(typeName(fn)));
    }
  }

  // ---------- programs ----------

  /** Run a program in the global scope; the value is that of the last statement when it is an expression. */
  run(program: A.Program): PyValue {
    const body = program.body;
    let value: PyValue = NONE;
    for (let i = 0; i < body.length; i++) {
      const s = body[i]!;
      if (i === body.length - 1 && s.type === 'ExprStmt') {
        this.tick();
        value = this.evalExpr(s.value, this.globals);
      } else this.exec(s, this.globals);
    }
    return value;
  }

  callFunction(fn: PyFunction, args: PyValue[], kwargs: Kwargs): PyValue {
    if (this.depth >= this.limits.maxRecursion) {
      throw limitError('RecursionError', msg.limitRecursion(this.limits.maxRecursion), 'maxRecursion');
    }
    const scope = new Scope(fn.closure, fn);
    const params = fn.params;
    let ai = 0;
    let positional = 0;
    let dstar: A.Param | null = null;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.dstar) dstar = p;
      else if (p.kwonly) continue;
      else if (p.star) {
        scope.vars.set(p.name, pyTuple(args.slice(ai)));
        ai = args.length;
      } else {
        positional++;
        if (ai < args.length) scope.vars.set(p.name, args[ai++]!);
      }
    }
    if (ai < args.length) throw new PyError('TypeError', msg.tooManyArgs(fn.name, positional, args.length));
    const extra: PyDict | null = dstar ? pyDict() : null;
    if (kwargs) {
      for (const [k, v] of kwargs) {
        const p = params.find((x) => x.name === k && !x.star && !x.dstar);
        if (!p) {
          if (extra) {
            dictSet(this, extra, pyStr(k), v);
            continue;
          }
          throw new PyError('TypeError', msg.unexpectedKwarg(fn.name, k));
        }
        if (scope.vars.has(k)) throw new PyError('TypeError', msg.duplicateArg(fn.name, k));
        scope.vars.set(k, v);
      }
    }
    if (dstar) scope.vars.set(dstar.name, extra!);
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (p.star || p.dstar || scope.vars.has(p.name)) continue;
      const d = fn.defaults[i];
      if (d === undefined) throw new PyError('TypeError', p.kwonly ? msg.missingKwOnly(fn.name, p.name) : msg.missingArg(fn.name, p.name));
      scope.vars.set(p.name, d);
    }
    this.depth++;
    const savedFrame = this.frame;
    this.frame = { fn, scope };
    try {
      if (fn.expr) return this.evalExpr(fn.expr, scope);
      this.retVal = NONE;
      const sig = this.execBlock(fn.body!, scope);
      const r = sig === Signal.Return ? this.retVal : NONE;
      this.retVal = NONE;
      return r;
    } finally {
      this.depth--;
      this.frame = savedFrame;
    }
  }

  /** `Cls(args)`: a new instance, initialised by the first `__init__` up the chain. */
  private instantiate(cls: PyClass, args: PyValue[], kwargs: Kwargs): PyInstance {
    const inst: PyInstance = { kind: 'instance', cls, attrs: new Map(), id: ++instanceCount };
    const init = classLookup(cls, '__init__');
    if (init === undefined) {
      if (args.length || (kwargs && kwargs.size)) throw new PyError('TypeError', msg.noInitArgs(cls.name));
      return inst;
    }
    const r = this.call(bindTo(init, inst), args, kwargs);
    if (r.kind !== 'none') throw new PyError('TypeError', msg.initReturned(cls.name));
    return inst;
  }

  superOf(args: PyValue[]): PyValue {
    if (args.length === 2) {
      const [c, obj] = args as [PyValue, PyValue];
      if (c.kind !== 'class') throw new PyError('TypeError', msg.superArgs());
      return { kind: 'super', cls: c, self: obj };
    }
    if (args.length !== 0) throw new PyError('TypeError', msg.superArgs());
    const f = this.frame;
    const owner = f?.fn.owner;
    const first = f?.fn.params[0];
    const self = first && !first.star && !first.dstar ? f.scope.vars.get(first.name) : undefined;
    if (!f || !owner || self === undefined) throw new PyError('RuntimeError', msg.superNoFrame());
    return { kind: 'super', cls: owner, self };
  }

  // ---------- names ----------

  lookup(name: string, scope: Scope): PyValue {
    let s: Scope | null = scope;
    while (s) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
      if (s.fn) {
        if (s.fn.globals.has(name)) {
          s = this.globals;
          continue;
        }
        if (s.fn.locals.has(name)) throw new PyError('UnboundLocalError', msg.unboundLocal(name));
      }
      s = s.parent;
    }
    const b = this.builtins.get(name);
    if (b !== undefined) return b;
    throw new PyError('NameError', msg.nameNotDefined(name));
  }

  assignName(name: string, value: PyValue, scope: Scope): void {
    if (FORBIDDEN_NAMES.has(name)) throw new PyError('NameError', msg.nameNotDefined(name));
    if (scope.fn && scope.fn.globals.has(name)) this.globals.vars.set(name, value);
    else scope.vars.set(name, value);
  }

  // ---------- statements ----------

  execBlock(body: A.Stmt[], scope: Scope): Signal {
    for (let i = 0; i < body.length; i++) {
      const sig = this.exec(body[i]!, scope);
      if (sig !== Signal.Normal) return sig;
    }
    return Signal.Normal;
  }

  exec(s: A.Stmt, scope: Scope): Signal {
    this.tick();
    try {
      switch (s.type) {
        case 'ExprStmt':
          this.evalExpr(s.value, scope);
          return Signal.Normal;
        case 'Assign': {
          const v = this.evalExpr(s.value, scope);
          for (const t of s.targets) this.assign(t, v, scope);
          return Signal.Normal;
        }
        case 'AugAssign':
          this.augAssign(s, scope);
          return Signal.Normal;
        case 'If':
          if (truthy(this.evalExpr(s.test, scope))) return this.execBlock(s.body, scope);
          return this.execBlock(s.orelse, scope);
        case 'For': {
          // the iterator counts a step per item
          const next = iter(this, this.evalExpr(s.iter, scope));
          for (let x = next(); x !== undefined; x = next()) {
            this.assign(s.target, x, scope);
            const sig = this.execBlock(s.body, scope);
            if (sig === Signal.Break) return Signal.Normal;
            if (sig === Signal.Return) return sig;
          }
          return this.execBlock(s.orelse, scope);
        }
        case 'While': {
          while (truthy(this.evalExpr(s.test, scope))) {
            const sig = this.execBlock(s.body, scope);
            if (sig === Signal.Break) return Signal.Normal;
            if (sig === Signal.Return) return sig;
            this.tick();
          }
          return this.execBlock(s.orelse, scope);
        }
        case 'FunctionDef': {
          const fn: PyFunction = {
            kind: 'function',
            name: s.name,
            params: s.params,
            defaults: s.params.map((p) => (p.default ? this.evalExpr(p.default, scope) : undefined)),
            body: s.body,
            expr: null,
            closure: scope.classBody ? scope.parent! : scope,
            locals: s.locals,
            globals: s.globals,
          };
          this.assignName(s.name, fn, scope);
          return Signal.Normal;
        }
        case 'ClassDef': {
          let base: PyClass | null = null;
          const b = s.bases[0];
          if (b && !(b.type === 'Name' && b.id === 'object' && !this.isBound('object', scope))) {
            const bv = this.evalExpr(b, scope);
            if (bv.kind !== 'class') throw new PyError('TypeError', msg.badBase(typeName(bv)));
            base = bv;
          }
          const cs = new Scope(scope, null);
          cs.classBody = true;
          this.execBlock(s.body, cs);
          const cls: PyClass = { kind: 'class', name: s.name, base, attrs: cs.vars };
          for (const v of cs.vars.values()) if (v.kind === 'function' && !v.owner) v.owner = cls;
          this.assignName(s.name, cls, scope);
          return Signal.Normal;
        }
        case 'Try':
          return this.execTry(s, scope);
        case 'Raise': {
          if (!s.exc) {
            if (!this.handling) throw new PyError('RuntimeError', msg.noReraise());
            const h = this.handling;
            const err = new PyError(h.type, h.pyMessage, h.span);
            const v = raised.get(h);
            if (v) raised.set(err, v);
            throw err;
          }
          let v = this.evalExpr(s.exc, scope);
          if (v.kind === 'exctype') v = makeException(v.name, [], this.fmt);
          if (v.kind !== 'exception') throw new PyError('TypeError', msg.raiseNotException(typeName(v)));
          const err = new PyError(v.type as PyErrorType, v.message);
          raised.set(err, v);
          throw err;
        }
        case 'Return':
          this.retVal = s.value ? this.evalExpr(s.value, scope) : NONE;
          return Signal.Return;
        case 'Import':
          for (const b of s.binds ?? []) {
            const mod = getCollectionsModule();
            const v = b.attr === null ? mod : mod.attrs.get(b.attr);
            if (v === undefined) throw new PyError('ImportError', msg.importRefused(`collections.${b.attr}`));
            this.assign({ type: 'Name', id: b.name, span: s.span }, v, scope);
          }
          return Signal.Normal;
        case 'Pass':
        case 'Global':
          return Signal.Normal;
        case 'Break':
          return Signal.Break;
        case 'Continue':
          return Signal.Continue;
        case 'Assert':
          if (!truthy(this.evalExpr(s.test, scope))) {
            throw new PyError('AssertionError', s.msg ? strOf(this.evalExpr(s.msg, scope), false, this.fmt) : '');
          }
          return Signal.Normal;
        case 'Delete':
          for (const t of s.targets) this.del(t, scope);
          return Signal.Normal;
      }
    } catch (e) {
      throw located(e, s.span, this.limits);
    }
  }

  /** try / except / else / finally. Limit errors (and interpreter bugs) are never caught, and skip `finally`. */
  private execTry(s: A.TryStmt, scope: Scope): Signal {
    let sig: Signal = Signal.Normal;
    let pending: PyError | null = null;
    try {
      let failed = false;
      try {
        sig = this.execBlock(s.body, scope);
      } catch (e) {
        if (!catchable(e)) throw e;
        failed = true;
        const h = s.handlers.find((x) => x.types === null || this.handlerMatches(this.evalExpr(x.types, scope), e.type));
        if (!h) throw e;
        if (h.name) this.assignName(h.name, exceptionValue(e), scope);
        const saved = this.handling;
        this.handling = e;
        try {
          sig = this.execBlock(h.body, scope);
        } finally {
          this.handling = saved;
        }
      }
      if (!failed && sig === Signal.Normal) sig = this.execBlock(s.orelse, scope);
    } catch (e) {
      if (!catchable(e) || s.finalbody.length === 0) throw e;
      pending = e;
    }
    if (s.finalbody.length) {
      const ret = this.retVal;
      const fsig = this.execBlock(s.finalbody, scope);
      if (fsig !== Signal.Normal) return fsig;
      this.retVal = ret;
    }
    if (pending) throw pending;
    return sig;
  }

  private handlerMatches(t: PyValue, type: string): boolean {
    if (t.kind === 'exctype') return excMatches(type, t.name);
    if (t.kind === 'tuple') return t.items.some((x) => this.handlerMatches(x, type));
    throw new PyError('TypeError', msg.exceptNotException(typeName(t)));
  }

  private isBound(name: string, scope: Scope): boolean {
    try {
      this.lookup(name, scope);
      return true;
    } catch {
      return false;
    }
  }

  private del(t: A.Expr, scope: Scope): void {
    if (t.type === 'Name') {
      if (!scope.vars.delete(t.id)) throw new PyError('NameError', msg.nameNotDefined(t.id));
    } else if (t.type === 'Subscript') {
      delItem(this, this.evalExpr(t.value, scope), this.evalIndex(t, scope));
    } else if (t.type === 'Attribute') {
      const obj = this.evalExpr(t.value, scope);
      if (obj.kind !== 'instance' || isDunder(t.attr)) throw new PyError('AttributeError', msg.readOnlyAttribute(typeName(obj), t.attr));
      if (!obj.attrs.delete(t.attr)) throw new PyError('AttributeError', msg.classNoAttribute(obj.cls.name, t.attr));
    } else if (t.type === 'Tuple' || t.type === 'List') {
      for (const x of t.elts) this.del(x, scope);
    } else throw new PyError('SyntaxError', msg.badAssignTarget());
  }

  assign(t: A.Expr, v: PyValue, scope: Scope): void {
    switch (t.type) {
      case 'Name':
        this.assignName(t.id, v, scope);
        return;
      case 'Tuple':
      case 'List': {
        if (v.kind === 'array' && v.t.rank === 0) throw new PyError('TypeError', msg.unpack0d());
        const items = iterate(this, v);
        const starIdx = t.elts.findIndex((e) => e.type === 'Starred');
        if (starIdx < 0) {
          if (items.length !== t.elts.length) throw new PyError('ValueError', msg.unpackCount(t.elts.length, items.length));
          for (let i = 0; i < items.length; i++) this.assign(t.elts[i]!, items[i]!, scope);
          return;
        }
        const after = t.elts.length - starIdx - 1;
        if (items.length < t.elts.length - 1) throw new PyError('ValueError', msg.unpackCount(t.elts.length - 1, items.length));
        for (let i = 0; i < starIdx; i++) this.assign(t.elts[i]!, items[i]!, scope);
        this.assign((t.elts[starIdx] as A.StarredExpr).value, pyList(items.slice(starIdx, items.length - after)), scope);
        for (let i = 0; i < after; i++) this.assign(t.elts[starIdx + 1 + i]!, items[items.length - after + i]!, scope);
        return;
      }
      case 'Subscript': {
        const obj = this.evalExpr(t.value, scope);
        const idx = this.evalIndex(t, scope);
        try {
          setItem(this, obj, idx, v, (x) => iterate(this, x));
        } catch (e) {
          if (e instanceof PyError && !e.span) e.span = t.span;
          throw e;
        }
        return;
      }
      case 'Attribute': {
        const obj = this.evalExpr(t.value, scope);
        this.setAttr(obj, t.attr, v);
        return;
      }
      default:
        throw new PyError('SyntaxError', msg.badAssignTarget(), t.span);
    }
  }

  private augAssign(s: A.AugAssignStmt, scope: Scope): void {
    const t = s.target;
    if (t.type === 'Name') {
      const cur = this.lookup(t.id, scope);
      const rhs = this.evalExpr(s.value, scope);
      this.assignName(t.id, this.inplace(s.op, cur, rhs), scope);
      return;
    }
    if (t.type === 'Subscript') {
      const obj = this.evalExpr(t.value, scope);
      const idx = this.evalIndex(t, scope);
      const cur = getItem(this, obj, idx);
      const rhs = this.evalExpr(s.value, scope);
      const next = this.inplace(s.op, cur, rhs);
      if (!(cur.kind === 'array' && cur.base && next === cur)) setItem(this, obj, idx, next, (x) => iterate(this, x));
      return;
    }
    if (t.type === 'Attribute') {
      const obj = this.evalExpr(t.value, scope);
      const cur = this.getAttr(obj, t.attr);
      this.setAttr(obj, t.attr, this.inplace(s.op, cur, this.evalExpr(s.value, scope)));
      return;
    }
    throw new PyError('SyntaxError', msg.badAssignTarget());
  }

  /** `cur op= rhs`: arrays and lists are modified in place (aliases see the change), like numpy and Python. */
  private inplace(op: A.BinaryOp, cur: PyValue, rhs: PyValue): PyValue {
    if (cur.kind === 'array' && !cur.scalar && cur.t.rank > 0 && op !== '@') {
      const r = arrayBinary(this, op, cur, rhs);
      const rank = { bool: 0, int32: 1, float32: 2 } as const;
      if (rank[r.dtype] > rank[cur.dtype]) throw new PyError('TypeError', msg.castInPlace(op, r.dtype, cur.dtype));
      if (r.shape.length !== cur.shape.length || r.shape.some((d, i) => d !== cur.shape[i])) {
        throw new PyError('ValueError', msg.broadcastTo(r.shape, cur.shape));
      }
      replaceTensor(this, cur, r.dtype === cur.dtype ? r.t : tf.cast(r.t, cur.dtype));
      return cur;
    }
    if (cur.kind === 'list' && op === '+') {
      const extra = iterate(this, rhs);
      this.checkLength(cur.items.length + extra.length);
      pushAll(cur.items, extra);
      return cur;
    }
    return binaryOp(this, op, cur, rhs);
  }

  // ---------- attributes ----------

  getAttr(obj: PyValue, name: string): PyValue {
    let v: PyValue | undefined;
    switch (obj.kind) {
      case 'instance':
      case 'class':
      case 'super':
        return classAttr(obj, name);
      case 'exception':
        if (name === 'args') return pyTuple(obj.args);
        break;
      default:
        break;
    }
    if (!name.startsWith('__')) {
      switch (obj.kind) {
        case 'module':
          v = obj.attrs.get(name);
          if (v === undefined) throw new PyError('AttributeError', msg.moduleNoAttribute(obj.name, name));
          return v;
        case 'array':
          v = getArrayAttr(this, obj, name);
          break;
        case 'dict':
          // a set has only its own methods; Counter / defaultdict add to dict's
          v = flavorAttr(obj, name) ?? (obj.flavor?.kind === 'set' ? undefined : containerAttr(obj, name));
          break;
        case 'list':
        case 'str':
          v = containerAttr(obj, name);
          break;
        case 'generator':
          v = generatorAttr(obj, name);
          break;
        case 'dtype':
          if (name === 'name') v = pyStr(obj.dtype);
          break;
        case 'builtin':
          // np.add.at / np.subtract.at; no other attribute of a function exists
          v = ufuncAttr(obj.name, name);
          break;
        default:
          break;
      }
    }
    if (v === undefined) throw new PyError('AttributeError', msg.noAttribute(typeName(obj), name));
    return v;
  }

  private setAttr(obj: PyValue, name: string, v: PyValue): void {
    if (obj.kind === 'instance' || obj.kind === 'class') {
      if (isDunder(name)) throw new PyError('AttributeError', msg.specialAttribute(name));
      obj.attrs.set(name, v);
      return;
    }
    if (obj.kind === 'array' && name === 'shape') {
      const shape = iterate(this, v.kind === 'int' ? pyTuple([v]) : v).map((x) => {
        if (x.kind !== 'int') throw new PyError('TypeError', msg.badArgType('shape', 'shape', '整数のタプル', typeName(x)));
        return x.v;
      });
      let size = 1;
      for (const d of shape) size *= d;
      if (size !== obj.t.size || shape.some((d) => d < 0)) throw new PyError('ValueError', msg.reshape(obj.t.size, shape));
      obj.t = this.wrap(tf.reshape(obj.t, shape)).t;
      return;
    }
    if (obj.kind === 'module' || name.startsWith('__')) throw new PyError('AttributeError', msg.readOnlyAttribute(typeName(obj), name));
    this.getAttr(obj, name);
    throw new PyError('AttributeError', msg.readOnlyAttribute(typeName(obj), name));
  }

  // ---------- expressions ----------

  evalIndex(t: A.SubscriptExpr, scope: Scope): PyValue {
    if (!t.tuple && t.items.length === 1) return this.evalIndexItem(t.items[0]!, scope);
    return pyTuple(t.items.map((x) => this.evalIndexItem(x, scope)));
  }

  private evalIndexItem(e: A.Expr, scope: Scope): PyValue {
    if (e.type === 'Slice') {
      return {
        kind: 'slice',
        start: e.lower ? this.evalExpr(e.lower, scope) : NONE,
        stop: e.upper ? this.evalExpr(e.upper, scope) : NONE,
        step: e.step ? this.evalExpr(e.step, scope) : NONE,
      };
    }
    return this.evalExpr(e, scope);
  }

  private evalList(elts: A.Expr[], scope: Scope): PyValue[] {
    const out: PyValue[] = [];
    for (const e of elts) {
      if (e.type === 'Starred') {
        const items = iterate(this, this.evalExpr(e.value, scope));
        this.checkLength(out.length + items.length);
        pushAll(out, items);
      } else out.push(this.evalExpr(e, scope));
    }
    return out;
  }

  evalExpr(e: A.Expr, scope: Scope): PyValue {
    if (++this.stepCount > this.limits.maxSteps) throw limitError('TimeoutError', msg.limitSteps(this.limits.maxSteps), 'maxSteps');
    if ((this.stepCount & TIME_CHECK_MASK) === 0 && now() > this.deadline) {
      throw limitError('TimeoutError', msg.limitTime(this.limits.timeoutMs), 'timeoutMs');
    }
    try {
      switch (e.type) {
        case 'Name':
          return this.lookup(e.id, scope);
        case 'Const':
          return e.value;
        case 'List': {
          const items = this.evalList(e.elts, scope);
          this.checkLength(items.length);
          return pyList(items);
        }
        case 'Tuple':
          return pyTuple(this.evalList(e.elts, scope));
        case 'Dict': {
          const d = pyDict();
          for (let i = 0; i < e.keys.length; i++) {
            const k = this.evalExpr(e.keys[i]!, scope);
            dictSet(this, d, k, this.evalExpr(e.values[i]!, scope));
          }
          return d;
        }
        case 'Attribute':
          return this.getAttr(this.evalExpr(e.value, scope), e.attr);
        case 'Subscript': {
          const obj = this.evalExpr(e.value, scope);
          return getItem(this, obj, this.evalIndex(e, scope));
        }
        case 'Slice':
          throw new PyError('SyntaxError', msg.syntaxUnexpected("':'"));
        case 'Starred':
          throw new PyError('SyntaxError', msg.unsupported('ここでの * 展開'));
        case 'Call': {
          const fn = this.evalExpr(e.func, scope);
          const args = this.evalList(e.args, scope);
          let kw: Kwargs = null;
          if (e.keywords.length) {
            kw = new Map();
            for (const k of e.keywords) {
              const v = this.evalExpr(k.value, scope);
              if (k.name !== null) {
                if (kw.has(k.name)) throw new PyError('TypeError', msg.duplicateArg(callName(fn), k.name));
                kw.set(k.name, v);
                continue;
              }
              if (v.kind !== 'dict' || v.flavor?.kind === 'set') throw new PyError('TypeError', msg.kwargsNotMapping(typeName(v)));
              for (const [key, val] of v.map.values()) {
                this.tick();
                if (key.kind !== 'str') throw new PyError('TypeError', msg.kwargsKeyNotStr());
                if (kw.has(key.v)) throw new PyError('TypeError', msg.duplicateArg(callName(fn), key.v));
                kw.set(key.v, val);
              }
            }
          }
          return this.call(fn, args, kw);
        }
        case 'Unary': {
          const v = this.evalExpr(e.operand, scope);
          if (e.op === 'not') return pyBool(!truthy(v));
          return unaryOp(this, e.op, v);
        }
        case 'Binary': {
          const l = this.evalExpr(e.left, scope);
          const r = this.evalExpr(e.right, scope);
          return binaryOp(this, e.op, l, r);
        }
        case 'BoolOp': {
          const l = this.evalExpr(e.left, scope);
          if (e.op === 'and' ? !truthy(l) : truthy(l)) return l;
          return this.evalExpr(e.right, scope);
        }
        case 'Compare': {
          let left = this.evalExpr(e.left, scope);
          let result: PyValue = pyBool(true);
          for (let i = 0; i < e.ops.length; i++) {
            const right = this.evalExpr(e.comparators[i]!, scope);
            result = this.compare(e.ops[i]!, left, right);
            if (e.ops.length > 1 && !truthy(result)) return result;
            left = right;
          }
          return result;
        }
        case 'IfExp':
          return truthy(this.evalExpr(e.test, scope)) ? this.evalExpr(e.body, scope) : this.evalExpr(e.orelse, scope);
        case 'Lambda':
          return {
            kind: 'function',
            name: '<lambda>',
            params: e.params,
            defaults: e.params.map((p) => (p.default ? this.evalExpr(p.default, scope) : undefined)),
            body: null,
            expr: e.body,
            closure: scope.classBody ? scope.parent! : scope,
            locals: new Set(e.params.map((p) => p.name)),
            globals: new Set(),
          };
        case 'ListComp':
        case 'GeneratorExp': {
          const out: PyValue[] = [];
          this.comprehend(e.generators, 0, new Scope(scope, null), (s) => {
            out.push(this.evalExpr(e.elt, s));
            if ((out.length & 1023) === 0) this.checkLength(out.length);
          });
          this.checkLength(out.length);
          if (e.type === 'ListComp') return pyList(out);
          let i = 0;
          return iterator('generator', () => (i < out.length ? out[i++] : undefined));
        }
        case 'SetComp': {
          const out = setDict();
          this.comprehend(e.generators, 0, new Scope(scope, null), (s) => setAdd(this, out, this.evalExpr(e.elt, s)));
          return out;
        }
        case 'Set': {
          const out = setDict();
          for (const x of this.evalList(e.elts, scope)) setAdd(this, out, x);
          return out;
        }
        case 'DictComp': {
          const d = pyDict();
          this.comprehend(e.generators, 0, new Scope(scope, null), (s) => {
            const k = this.evalExpr(e.key, s);
            dictSet(this, d, k, this.evalExpr(e.value, s));
          });
          return d;
        }
        case 'FString': {
          let out = '';
          for (const p of e.parts) {
            if (typeof p === 'string') out += p;
            else {
              const v = this.evalExpr(p.expr, scope);
              out += p.spec ? formatSpec(this, v, p.spec, p.conversion === 'r') : p.conversion === 'r' ? repr(v, this.fmt) : strOf(v, false, this.fmt);
            }
            if (out.length > this.limits.maxArrayElements) throw this.fmt.tooLong();
          }
          return pyStr(out);
        }
      }
    } catch (err) {
      throw located(err, e.span, this.limits);
    }
  }

  private comprehend(gens: A.Comprehension[], i: number, scope: Scope, emit: (s: Scope) => void): void {
    const g = gens[i];
    if (!g) {
      emit(scope);
      return;
    }
    // the first iterable is evaluated in the enclosing scope, as in Python
    const next = iter(this, this.evalExpr(g.iter, i === 0 ? (scope.parent ?? scope) : scope));
    outer: for (let x = next(); x !== undefined; x = next()) {
      this.assign(g.target, x, scope);
      for (const cond of g.ifs) if (!truthy(this.evalExpr(cond, scope))) continue outer;
      this.comprehend(gens, i + 1, scope, emit);
    }
  }

  private compare(op: A.CompareOp, a: PyValue, b: PyValue): PyValue {
    switch (op) {
      case 'in':
        return pyBool(this.contains(b, a));
      case 'not in':
        return pyBool(!this.contains(b, a));
      case 'is':
        return pyBool(identical(a, b));
      case 'is not':
        return pyBool(!identical(a, b));
      default:
        return compareOp(this, op, a, b);
    }
  }

  private contains(container: PyValue, x: PyValue): boolean {
    switch (container.kind) {
      case 'dict':
        return container.map.has(hashKey(x, this.keyCaps));
      case 'range':
        return rangeContains(container, x);
      case 'str':
        if (x.kind !== 'str') throw new PyError('TypeError', msg.badOperand('in', typeName(x), 'str'));
        return container.v.includes(x.v);
      case 'array': {
        const eq = compareOp(this, '==', container, x);
        return eq.kind === 'array' ? Boolean(tf.any(eq.t).dataSync()[0]) : truthy(eq);
      }
      default: {
        // the iterator counts a step per item
        const next = iter(this, container);
        for (let y = next(); y !== undefined; y = next()) {
          if (y === x) return true;
          if (truthy(compareOp(this, '==', y, x))) return true;
        }
        return false;
      }
    }
  }
}

let instanceCount = 0;

/**
 * Attributes Python gives every object, class or function, which the interpreter does not model: reading one is an
 * AttributeError and assigning one is refused (any other name, `constructor` or `__proto__` too, is a plain key of
 * the attribute Map).
 */
const SPECIAL_ATTRS = new Set([
  '__class__', '__dict__', '__doc__', '__module__', '__name__', '__qualname__', '__mro__', '__bases__', '__base__',
  '__subclasses__', '__globals__', '__code__', '__closure__', '__defaults__', '__kwdefaults__', '__builtins__',
  '__self__', '__func__', '__init_subclass__', '__new__', '__getattribute__', '__getattr__', '__setattr__',
  '__delattr__', '__dir__', '__reduce__', '__reduce_ex__', '__sizeof__', '__subclasshook__', '__weakref__',
  '__slots__', '__annotations__', '__format__', '__hash__', '__import__', '__loader__', '__spec__', '__wrapped__',
  '__objclass__', '__set_name__', '__class_getitem__', '__type_params__',
]);
function isDunder(name: string): boolean {
  return SPECIAL_ATTRS.has(name);
}

/** An attribute defined on a class or one of its bases. */
function classLookup(cls: PyClass | null, name: string): PyValue | undefined {
  for (let c = cls; c; c = c.base) {
    const v = c.attrs.get(name);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A function found on a class, read through an instance, is bound to it. */
function bindTo(v: PyValue, self: PyValue): PyValue {
  return v.kind === 'function' ? { kind: 'method', self, fn: v } : v;
}

/** object.__init__, reached by super().__init__() in a class without a base. */
const OBJECT_INIT = builtin('object.__init__', (_ctx, args, kw) => {
  if (args.length || (kw && kw.size)) throw new PyError('TypeError', msg.tooManyArgs('object.__init__', 0, args.length));
  return NONE;
});

function classAttr(obj: PyValue & { kind: 'instance' | 'class' | 'super' }, name: string): PyValue {
  const owner = obj.kind === 'instance' ? obj.cls.name : obj.kind === 'class' ? obj.name : 'super';
  if (isDunder(name)) throw new PyError('AttributeError', msg.specialAttribute(name));
  if (obj.kind === 'instance') {
    const own = obj.attrs.get(name);
    if (own !== undefined) return own;
    const v = classLookup(obj.cls, name);
    if (v !== undefined) return bindTo(v, obj);
  } else if (obj.kind === 'class') {
    const v = classLookup(obj, name);
    if (v !== undefined) return v;
  } else {
    const v = classLookup(obj.cls.base, name);
    if (v !== undefined) return bindTo(v, obj.self);
    if (name === '__init__') return OBJECT_INIT;
  }
  throw new PyError('AttributeError', msg.classNoAttribute(owner, name));
}

/** Learner code may catch errors it could cause itself; never a limit, a syntax error or an interpreter bug. */
function catchable(e: unknown): e is PyError {
  return e instanceof PyError && e.limit === undefined && e.type !== 'InternalError' && e.type !== 'SyntaxError';
}

/** The exception values learner code raised, by the error that carries them (so `e.args` keeps its items). */
const raised = new WeakMap<PyError, PyException>();

function exceptionValue(e: PyError): PyException {
  const v = raised.get(e);
  if (v) return v;
  return { kind: 'exception', type: e.type, message: e.pyMessage, args: e.pyMessage ? [pyStr(e.pyMessage)] : [] };
}

function callName(fn: PyValue): string {
  if (fn.kind === 'function' || fn.kind === 'builtin' || fn.kind === 'class' || fn.kind === 'exctype') return fn.name;
  if (fn.kind === 'method') return fn.fn.name;
  return typeName(fn);
}

function identical(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  if (a.kind === 'none' || a.kind === 'ellipsis') return a.kind === b.kind;
  if (a.kind === 'bool' && b.kind === 'bool') return a.v === b.v;
  if (a.kind === 'int' && b.kind === 'int') return a.v === b.v && Math.abs(a.v) <= 256;
  if ((a.kind === 'type' || a.kind === 'dtype' || a.kind === 'exctype') && a.kind === b.kind) return a.name === b.name;
  return false;
}

/** Bounds of str()/repr() in one evaluation (a class, not closures: made once per evaluation or print). */
class Caps implements FormatCaps {
  readonly maxNesting: number;
  constructor(
    private readonly interp: Interpreter,
    readonly maxChars: number,
    private readonly printing: boolean,
  ) {
    this.maxNesting = interp.maxNesting;
  }
  tooLong(): PyError {
    const limits = this.interp.limits;
    if (this.printing) return limitError('MemoryError', msg.limitOutput(limits.maxOutputChars), 'maxOutputChars');
    return limitError('MemoryError', msg.limitString(limits.maxArrayElements), 'maxArrayElements');
  }
  work(n: number): void {
    this.interp.work(n);
  }
}

/** `x in range(...)` in O(1), as in Python (any number equal to a member is in it). */
function rangeContains(r: PyRange, x: PyValue): boolean {
  let n = numberOf(x);
  if (n === null && x.kind === 'array' && x.t.size === 1 && x.t.rank === 0) n = Number(x.t.dataSync()[0]);
  if (n === null || !Number.isInteger(n)) return false;
  if (r.step > 0 ? n < r.start || n >= r.stop : n > r.start || n <= r.stop) return false;
  return (n - r.start) % r.step === 0;
}

/** Append without spreading (a spread of 10^5+ items overflows the JS stack). */
function pushAll(out: PyValue[], items: readonly PyValue[]): void {
  for (let i = 0; i < items.length; i++) out.push(items[i]!);
}

/**
 * The error to rethrow from the evaluation of a node: PyErrors get the node's span; a JS stack overflow or a
 * string/array that JS refuses to build (backstops: the limits should refuse them first) become clean
 * RecursionError / MemoryError at the node instead of an InternalError.
 */
function located(err: unknown, span: Span, limits: Limits): unknown {
  if (err instanceof PyError) {
    if (!err.span) err.span = span;
    return err;
  }
  // no regular expressions here: compiling one near the stack limit overflows again
  if (isStackOverflow(err)) return new PyError('RecursionError', msg.stackOverflow(), span, 'maxRecursion');
  if (err instanceof RangeError && JS_SIZE_ERRORS.some((m) => err.message.includes(m))) {
    return new PyError('MemoryError', msg.limitCollection(limits.maxArrayElements), span, 'maxArrayElements');
  }
  return err;
}

const JS_SIZE_ERRORS = ['Invalid string length', 'Invalid array length', 'Invalid typed array length', 'Array buffer allocation failed'];

/** V8's stack overflow (a RangeError, or whatever was being built when the stack ran out). */
export function isStackOverflow(err: unknown): boolean {
  return err instanceof Error && err.message.includes('Maximum call stack size exceeded');
}

function limitError(type: 'MemoryError' | 'TimeoutError' | 'RecursionError', m: string, limit: keyof Limits): PyError {
  return new PyError(type, m, undefined, limit);
}

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function' ? () => performance.now() : () => Date.now();

export { ELLIPSIS, toArray };
