import type { JsonArray } from '../numpy/json-values';

/** mulberry32: a small seeded PRNG; the same seed gives the same numbers in Node and in the browser. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a submission seed with a case index, so every case has its own stream. */
export function caseSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}

/** Random inputs for one grading case, as the interpreter's JSON values (float32 arrays, rounded to float32). */
export class CaseRng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = seededRandom(seed);
  }

  uniform(low = 0, high = 1): number {
    return Math.fround(low + (high - low) * this.next());
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  normal(mean = 0, std = 1): number {
    // Box–Muller; 1 - u keeps log away from 0.
    const u = 1 - this.next();
    const v = this.next();
    return Math.fround(mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  array(shape: number[], sample: () => number): JsonArray {
    const size = shape.reduce((a, b) => a * b, 1);
    return { dtype: 'float32', shape, data: Array.from({ length: size }, sample) };
  }

  normalArray(shape: number[], std = 1): JsonArray {
    return this.array(shape, () => this.normal(0, std));
  }

  uniformArray(shape: number[], low = -1, high = 1): JsonArray {
    return this.array(shape, () => this.uniform(low, high));
  }

  /** A one-hot float vector of length n. */
  oneHot(n: number, index = this.int(0, n - 1)): JsonArray {
    return { dtype: 'float32', shape: [n], data: Array.from({ length: n }, (_, i) => (i === index ? 1 : 0)) };
  }
}
