import type { JsonValue } from '../numpy/json-values';

/** Tolerances of one backend: float32 on cpu/wasm; wider where WebGL computes in half precision. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export const FLOAT32_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };
export const HALF_PRECISION_TOLERANCE: Tolerance = { rtol: 2e-2, atol: 2e-3 };

/** Where and how a value differs from the reference. */
export interface Mismatch {
  kind: 'type' | 'length' | 'shape' | 'value';
  /** e.g. "[1]" inside a returned tuple; "" for the value itself */
  path: string;
  expectedShape?: number[];
  gotShape?: number[];
  /** multi-index of the first differing element */
  index?: number[];
  expected?: number;
  got?: number;
  /** in Japanese, for the learner */
  message: string;
}

interface Nd {
  shape: number[];
  data: number[];
}

function scalarOf(x: unknown): number | undefined {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (x === 'nan') return NaN;
  if (x === 'inf') return Infinity;
  if (x === '-inf') return -Infinity;
  return undefined;
}

/** Numbers, bools, ndarrays and (nested) lists of equal-shaped ones, as one n-d array; undefined otherwise. */
function asNd(v: JsonValue): Nd | undefined {
  const s = scalarOf(v);
  if (s !== undefined) return { shape: [], data: [s] };
  if (v === null || typeof v !== 'object') return undefined;
  if (Array.isArray(v)) {
    const parts = v.map(asNd);
    if (parts.some((p) => p === undefined)) return undefined;
    const first = parts[0];
    if (!first) return { shape: [0], data: [] };
    if (parts.some((p) => p!.shape.join() !== first.shape.join())) return undefined;
    return { shape: [parts.length, ...first.shape], data: parts.flatMap((p) => p!.data) };
  }
  if ('float' in v) return { shape: [], data: [scalarOf(v.float) ?? NaN] };
  if ('shape' in v && 'data' in v) return { shape: v.shape, data: v.data.map((x) => scalarOf(x) ?? NaN) };
  return undefined;
}

export function formatShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

function unravel(flat: number, shape: number[]): number[] {
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] ?? 1;
    index.unshift(flat % n);
    flat = Math.floor(flat / n);
  }
  return index;
}

function close(expected: number, got: number, tol: Tolerance): boolean {
  if (Number.isNaN(expected) || Number.isNaN(got)) return Number.isNaN(expected) && Number.isNaN(got);
  if (!Number.isFinite(expected) || !Number.isFinite(got)) return expected === got;
  return Math.abs(expected - got) <= tol.atol + tol.rtol * Math.abs(expected);
}

function kindName(v: JsonValue): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list/tuple';
  if (typeof v === 'object' && 'dict' in v) return 'dict';
  if (typeof v === 'object' && 'repr' in v) return v.repr;
  return '数値/配列';
}

/**
 * Compares a learner's value with the reference; undefined when they agree within the tolerance. `names` label the
 * items of a returned tuple (a layer's forward output and its gradients: `dWh の形が違います`).
 */
export function compareValues(expected: JsonValue, got: JsonValue, tol: Tolerance, path = '', names?: readonly string[]): Mismatch | undefined {
  const at = !path ? '' : path.startsWith('[') ? `${path} ` : `${path} の`;
  const exp = asNd(expected);
  if (!exp) {
    // Tuples of differently shaped arrays (e.g. the gradients dW, dU, dV): compare item by item.
    if (Array.isArray(expected)) {
      if (!Array.isArray(got)) return { kind: 'type', path, message: `${at}型が違います: ${expected.length} 個の要素をもつタプルを期待しましたが、${kindName(got)} でした` };
      if (got.length !== expected.length) {
        return { kind: 'length', path, message: `${at}要素の数が違います: 期待 ${expected.length} 個、実際 ${got.length} 個` };
      }
      for (let i = 0; i < expected.length; i++) {
        const m = compareValues(expected[i]!, got[i]!, tol, names?.[i] ?? `${path}[${i}]`);
        if (m) return m;
      }
      return undefined;
    }
    return JSON.stringify(expected) === JSON.stringify(got) ? undefined : { kind: 'type', path, message: `${at}値が違います` };
  }
  const act = asNd(got);
  if (!act) return { kind: 'type', path, message: `${at}型が違います: 数値または配列を期待しましたが、${kindName(got)} でした` };
  if (exp.shape.join() !== act.shape.join()) {
    return {
      kind: 'shape',
      path,
      expectedShape: exp.shape,
      gotShape: act.shape,
      message: `${at}形が違います: 期待 ${formatShape(exp.shape)}、実際 ${formatShape(act.shape)}`,
    };
  }
  for (let i = 0; i < exp.data.length; i++) {
    const e = exp.data[i]!;
    const g = act.data[i]!;
    if (!close(e, g, tol)) {
      const index = unravel(i, exp.shape);
      const where = index.length > 0 ? `位置 [${index.join(', ')}] で` : '';
      return {
        kind: 'value',
        path,
        expectedShape: exp.shape,
        gotShape: act.shape,
        index,
        expected: e,
        got: g,
        message: `${at}値が違います: ${where}期待 ${formatNumber(e)}、実際 ${formatNumber(g)}`,
      };
    }
  }
  return undefined;
}
