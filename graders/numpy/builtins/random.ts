// np.random: a seeded, deterministic generator of our own (xoshiro128** seeded with splitmix32; normals by
// Box-Muller). The values differ from numpy's Mersenne Twister / PCG64, but the same seed always gives the
// same numbers. Each evaluation starts with the global state seeded from options.seed (default 0).

import * as tf from '@tensorflow/tfjs-core';
import { shapeArg, sizeOf, toArray, toInt, toNumber, dtypeArg } from '../arrays';
import { msg, PyError } from '../errors';
import { type Ctx, type Kwargs, type PyGenerator, type PyValue, type Rng, NONE, builtin, pyFloat, pyInt, typeName, type PyBuiltin, FALSE } from '../values';
import { bindArgs } from './signature';
import { getArrayItem } from './index';

export class Xoshiro128 implements Rng {
  private s = new Uint32Array(4);
  private spare: number | null = null;
  constructor(seed = 0) {
    this.seed(seed);
  }
  seed(seed: number): void {
    let x = (Math.floor(Math.abs(seed)) >>> 0) ^ 0x9e3779b9;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    this.spare = null;
  }
  private nextU32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }
  next(): number {
    // 53-bit uniform in [0, 1)
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function sizeShape(v: PyValue | undefined, fn: string): number[] | null {
  if (!v || v.kind === 'none') return null;
  return shapeArg(v, fn);
}

function fill(ctx: Ctx, shape: number[] | null, gen: () => number, dtype: 'float32' | 'int32'): PyValue {
  if (shape === null) {
    const x = gen();
    return dtype === 'int32' ? pyInt(x) : pyFloat(x);
  }
  ctx.checkShape(shape);
  const n = sizeOf(shape);
  const data = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    data[i] = gen();
    if ((i & 1023) === 1023) ctx.tick();
  }
  return ctx.wrap(tf.tensor(data, shape, dtype));
}

function uniformInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng.next() * (hi - lo));
}

function permutationOf(ctx: Ctx, rng: Rng, v: PyValue): PyValue {
  if (v.kind === 'int') {
    const n = v.v;
    ctx.checkShape([n]);
    const idx = Array.from({ length: n }, (_, i) => i);
    shuffleInPlace(rng, idx);
    return ctx.wrap(tf.tensor1d(idx, 'int32'));
  }
  const A = toArray(ctx, v, 'permutation', 'x');
  if (A.t.rank === 0) throw new PyError('TypeError', 'permutation には 1 次元以上の配列か整数を渡してください');
  // an empty array may still have a huge first axis
  if (A.t.size === 0) return ctx.wrap(tf.clone(A.t));
  const idx = Array.from({ length: A.shape[0]! }, (_, i) => i);
  shuffleInPlace(rng, idx);
  return ctx.wrap(tf.gather(A.t, tf.tensor1d(idx, 'int32'), 0));
}

function shuffleInPlace(rng: Rng, idx: number[]): void {
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
}

function choice(ctx: Ctx, rng: Rng, a: PyValue, size: PyValue | undefined, replace: boolean, p: PyValue | undefined): PyValue {
  const pool = a.kind === 'int' ? null : toArray(ctx, a, 'choice', 'a');
  const n = pool ? (pool.shape[0] ?? 0) : toInt(a, 'choice', 'a');
  if (n <= 0) throw new PyError('ValueError', msg.choiceEmpty());
  let cdf: number[] | null = null;
  let probs: number[] | null = null;
  if (p && p.kind !== 'none') {
    probs = Array.from(toArray(ctx, p, 'choice', 'p').t.dataSync() as ArrayLike<number>);
    if (probs.length !== n) throw new PyError('ValueError', 'choice: a と p の長さが一致しません');
    if (probs.some((x) => !(x >= 0))) throw new PyError('ValueError', 'choice: p に負の値や nan があります');
    const total = probs.reduce((s, x) => s + x, 0);
    if (Math.abs(total - 1) > 1e-6) throw new PyError('ValueError', msg.probabilitiesSum());
    let acc = 0;
    cdf = probs.map((x) => (acc += x));
  }
  const pick = (): number => {
    if (!cdf) return uniformInt(rng, 0, n);
    const u = rng.next() * cdf[cdf.length - 1]!;
    // first c with u < c (binary search: size × len(p) could be 10^12 with a linear scan)
    let lo = 0;
    let hi = cdf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (u < cdf[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo >= n ? n - 1 : lo;
  };
  const shape = sizeShape(size, 'choice');
  // sizes are checked before anything is drawn
  if (shape) ctx.checkShape(shape);
  const count = shape ? sizeOf(shape) : 1;
  let indices: number[];
  if (!replace) {
    if (count > n) throw new PyError('ValueError', 'choice: replace=False のとき size は a の大きさ以下でなければなりません');
    ctx.checkShape([n]);
    if (probs) {
      // weighted, without replacement (as numpy): each draw from the mass not drawn yet
      const w = probs.slice();
      if (w.filter((x) => x > 0).length < count) throw new PyError('ValueError', 'choice: replace=False のとき p が 0 でない要素の数は size 以上でなければなりません');
      indices = [];
      for (let k = 0; k < count; k++) {
        ctx.work(n);
        let rest = 0;
        for (const x of w) rest += x;
        const u = rng.next() * rest;
        let acc = 0;
        let pickIdx = -1;
        for (let i = 0; i < n; i++) {
          if (w[i]! <= 0) continue;
          pickIdx = i; // the last candidate absorbs rounding at the top end
          acc += w[i]!;
          if (u < acc) break;
        }
        indices.push(pickIdx);
        w[pickIdx] = 0;
      }
    } else {
      const all = Array.from({ length: n }, (_, i) => i);
      shuffleInPlace(rng, all);
      indices = all.slice(0, count);
    }
  } else indices = Array.from({ length: count }, pick);
  if (!pool) {
    if (!shape) return pyInt(indices[0]!);
    ctx.checkShape(shape);
    return ctx.wrap(tf.tensor(indices, shape, 'int32'));
  }
  const idx = ctx.wrap(tf.tensor(indices, shape ?? [], 'int32'));
  return getArrayItem(ctx, pool, shape ? idx : pyInt(indices[0]!));
}

type Fn = (ctx: Ctx, args: PyValue[], kw: Kwargs) => PyValue;

/** Functions shared by the np.random module and Generator objects. */
function samplers(getRng: (ctx: Ctx) => Rng, legacy: boolean): Map<string, Fn> {
  const m = new Map<string, Fn>();
  const def = (name: string, params: string[], f: (ctx: Ctx, a: (PyValue | undefined)[], rng: Rng) => PyValue): void => {
    m.set(name, (ctx, args, kw) => f(ctx, bindArgs(name, params, args, kw), getRng(ctx)));
  };
  def('random', ['size=None'], (ctx, [size], rng) => fill(ctx, sizeShape(size, 'random'), () => rng.next(), 'float32'));
  def('uniform', ['low=0.0', 'high=1.0', 'size=None'], (ctx, [lo, hi, size], rng) => {
    const l = toNumber(lo!, 'uniform', 'low');
    const h = toNumber(hi!, 'uniform', 'high');
    return fill(ctx, sizeShape(size, 'uniform'), () => l + (h - l) * rng.next(), 'float32');
  });
  def('normal', ['loc=0.0', 'scale=1.0', 'size=None'], (ctx, [loc, scale, size], rng) => {
    const mu = toNumber(loc!, 'normal', 'loc');
    const sd = toNumber(scale!, 'normal', 'scale');
    if (sd < 0) throw new PyError('ValueError', 'normal: scale は 0 以上でなければなりません');
    return fill(ctx, sizeShape(size, 'normal'), () => mu + sd * rng.normal(), 'float32');
  });
  def('standard_normal', ['size=None'], (ctx, [size], rng) => fill(ctx, sizeShape(size, 'standard_normal'), () => rng.normal(), 'float32'));
  def('permutation', ['x'], (ctx, [x], rng) => permutationOf(ctx, rng, x!));
  def('choice', ['a', 'size=None', 'replace=True', 'p=None'], (ctx, [a, size, replace, p], rng) =>
    choice(ctx, rng, a!, size, replace?.kind === 'bool' ? replace.v : true, p),
  );
  def('shuffle', ['x'], (ctx, [x], rng) => {
    if (x!.kind === 'list') {
      const idx = x!.items.map((_, i) => i);
      shuffleInPlace(rng, idx);
      const items = x!.items.slice();
      x!.items = idx.map((i) => items[i]!);
      return NONE;
    }
    if (x!.kind !== 'array' || x!.t.rank === 0) throw new PyError('TypeError', msg.badArgType('shuffle', 'x', '配列かリスト', typeName(x!)));
    const arr = x!;
    if (arr.t.size === 0) return NONE;
    const idx = Array.from({ length: arr.shape[0]! }, (_, i) => i);
    shuffleInPlace(rng, idx);
    arr.t = ctx.wrap(tf.gather(arr.t, tf.tensor1d(idx, 'int32'), 0)).t;
    return NONE;
  });
  const integers = (ctx: Ctx, lowV: PyValue, highV: PyValue | undefined, size: PyValue | undefined, rng: Rng, fn: string): PyValue => {
    let lo = toInt(lowV, fn, 'low');
    let hi: number;
    if (!highV || highV.kind === 'none') {
      hi = lo;
      lo = 0;
    } else hi = toInt(highV, fn, 'high');
    if (hi <= lo) throw new PyError('ValueError', msg.randintRange());
    return fill(ctx, sizeShape(size, fn), () => uniformInt(rng, lo, hi), 'int32');
  };
  if (legacy) {
    def('seed', ['seed=None'], (_ctx, [s], rng) => {
      rng.seed(s && s.kind !== 'none' ? toInt(s, 'seed', 'seed') : 0);
      return NONE;
    });
    m.set('rand', (ctx, args) => {
      const rng = getRng(ctx);
      const shape = args.map((a) => toInt(a, 'rand', 'd'));
      return fill(ctx, args.length ? shape : null, () => rng.next(), 'float32');
    });
    m.set('randn', (ctx, args) => {
      const rng = getRng(ctx);
      const shape = args.map((a) => toInt(a, 'randn', 'd'));
      return fill(ctx, args.length ? shape : null, () => rng.normal(), 'float32');
    });
    def('randint', ['low', 'high=None', 'size=None', 'dtype=None'], (ctx, [lo, hi, size, dt], rng) => {
      dtypeArg(dt, 'randint');
      return integers(ctx, lo!, hi, size, rng, 'randint');
    });
    def('random_sample', ['size=None'], (ctx, [size], rng) => fill(ctx, sizeShape(size, 'random_sample'), () => rng.next(), 'float32'));
  } else {
    def('integers', ['low', 'high=None', 'size=None', 'dtype=None', 'endpoint=False'], (ctx, [lo, hi, size, , endpoint], rng) => {
      const h = endpoint?.kind === 'bool' && endpoint.v && hi && hi.kind !== 'none' ? pyInt(toInt(hi, 'integers', 'high') + 1) : hi;
      return integers(ctx, lo!, h, size, rng, 'integers');
    });
  }
  return m;
}

const legacySamplers = samplers((ctx) => ctx.rng, true);

/** The np.random module's attributes. */
export function randomModuleAttrs(): Map<string, PyValue> {
  const attrs = new Map<string, PyValue>();
  for (const [name, f] of legacySamplers) attrs.set(name, builtin(`numpy.random.${name}`, f));
  attrs.set(
    'default_rng',
    builtin('numpy.random.default_rng', (_ctx, args, kw) => {
      const [seed] = bindArgs('default_rng', ['seed=None'], args, kw);
      const rng = new Xoshiro128(seed && seed.kind !== 'none' ? toInt(seed, 'default_rng', 'seed') : 0);
      const g: PyGenerator = { kind: 'generator', rng };
      return g;
    }),
  );
  return attrs;
}

const generatorMethods = new Map<string, (g: PyGenerator) => PyBuiltin>();
for (const name of ['random', 'uniform', 'normal', 'standard_normal', 'permutation', 'choice', 'shuffle', 'integers']) {
  generatorMethods.set(name, (g) => {
    const f = samplers(() => g.rng, false).get(name)!;
    return builtin(`Generator.${name}`, f);
  });
}

export function generatorAttr(g: PyGenerator, name: string): PyValue | undefined {
  return generatorMethods.get(name)?.(g);
}

export { FALSE };
