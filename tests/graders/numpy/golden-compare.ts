// Tagged values of the golden format (tests/golden/numpy/make.py) and a tolerant comparison.

import { widenFloat32 } from '../../../graders/numpy/values';
import type { PyValue } from '../../../graders/numpy/values';

export type Tagged =
  | null
  | { int: number }
  | { float: number | string }
  | { bool: boolean }
  | { str: string }
  | { list: Tagged[] }
  | { tuple: Tagged[] }
  | { dict: [Tagged, Tagged][] }
  | { array: { kind: 'f' | 'i' | 'b'; shape: number[]; data: (number | boolean | string)[] } }
  | { repr: string };

const floatTag = (x: number): number | string => (Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x);

export function tag(v: PyValue): Tagged {
  switch (v.kind) {
    case 'none':
      return null;
    case 'bool':
      return { bool: v.v };
    case 'int':
      return { int: v.v };
    case 'float':
      return { float: floatTag(v.v) };
    case 'str':
      return { str: v.v };
    case 'list':
      return { list: v.items.map(tag) };
    case 'tuple':
      return { tuple: v.items.map(tag) };
    case 'dict':
      return { dict: [...v.map.values()].map(([k, x]) => [tag(k), tag(x)]) };
    case 'array': {
      const kind = v.dtype === 'bool' ? 'b' : v.dtype === 'int32' ? 'i' : 'f';
      const raw = Array.from(v.t.dataSync() as ArrayLike<number>);
      const data = raw.map((x) => (kind === 'b' ? x !== 0 : kind === 'i' ? x : floatTag(widenFloat32(x))));
      return { array: { kind, shape: v.shape.slice(), data } };
    }
    default:
      return { repr: v.kind };
  }
}

const RTOL = 1e-4;
const ATOL = 1e-5;

function close(e: number | string | boolean, a: number | string | boolean): boolean {
  if (typeof e === 'string' || typeof a === 'string') return e === a;
  if (typeof e === 'boolean' || typeof a === 'boolean') return e === a;
  return Math.abs(a - e) <= ATOL + RTOL * Math.abs(e);
}

/** null when equal within tolerance, else a description of the first difference. */
export function diff(expected: Tagged, actual: Tagged, path = '$'): string | null {
  if (expected === null || actual === null) return expected === actual ? null : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  const ek = Object.keys(expected)[0]!;
  const ak = Object.keys(actual)[0]!;
  if (ek !== ak) return `${path}: expected ${ek} ${JSON.stringify(expected).slice(0, 200)}, got ${ak} ${JSON.stringify(actual).slice(0, 200)}`;
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  switch (ek) {
    case 'int':
    case 'bool':
    case 'str':
      return e[ek] === a[ek] ? null : `${path}: expected ${JSON.stringify(e[ek])}, got ${JSON.stringify(a[ek])}`;
    case 'float':
      return close(e.float as number, a.float as number) ? null : `${path}: expected ${String(e.float)}, got ${String(a.float)}`;
    case 'list':
    case 'tuple': {
      const el = e[ek] as Tagged[];
      const al = a[ek] as Tagged[];
      if (el.length !== al.length) return `${path}: expected length ${el.length}, got ${al.length}`;
      for (let i = 0; i < el.length; i++) {
        const d = diff(el[i]!, al[i]!, `${path}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    case 'dict': {
      const el = e.dict as [Tagged, Tagged][];
      const al = a.dict as [Tagged, Tagged][];
      if (el.length !== al.length) return `${path}: expected ${el.length} keys, got ${al.length}`;
      for (let i = 0; i < el.length; i++) {
        const d = diff(el[i]![0], al[i]![0], `${path}.key${i}`) ?? diff(el[i]![1], al[i]![1], `${path}.value${i}`);
        if (d) return d;
      }
      return null;
    }
    case 'array': {
      const ea = e.array as { kind: string; shape: number[]; data: (number | boolean | string)[] };
      const aa = a.array as typeof ea;
      if (ea.kind !== aa.kind) return `${path}: expected dtype kind ${ea.kind}, got ${aa.kind}`;
      if (ea.shape.length !== aa.shape.length || ea.shape.some((d, i) => d !== aa.shape[i])) {
        return `${path}: expected shape (${ea.shape.join(', ')}), got (${aa.shape.join(', ')})`;
      }
      for (let i = 0; i < ea.data.length; i++) {
        if (!close(ea.data[i]!, aa.data[i]!)) return `${path}: element ${i}: expected ${String(ea.data[i])}, got ${String(aa.data[i])}`;
      }
      return null;
    }
    default:
      return `${path}: cannot compare ${ek}`;
  }
}
