// str() / repr() of Python values, with numpy's array printing (precision 8, aligned columns, summarised
// above 1000 elements). float32 data is printed with its shortest float32 representation.

import { msg, PyError } from './errors';
import { type FormatCaps, type PyArray, type PyValue, nestingError, widenFloat32 } from './values';

/** Python's repr of a float: 1.0, 0.1, 1e-05, 1e+16, inf, nan. */
export function formatPyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp >= -5 && exp < 16) {
    // Python switches to exponent notation below 1e-4
    if (exp < -4) return sci(mant, exp);
    let s = positional(mant, exp);
    if (!s.includes('.')) s += '.0';
    return s;
  }
  return sci(mant, exp);
}

function sci(mant: string, exp: number): string {
  const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  const sign = exp < 0 ? '-' : '+';
  const e = Math.abs(exp);
  return `${m}e${sign}${e < 10 ? '0' : ''}${e}`;
}

function positional(mant: string, exp: number): string {
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp >= 0) {
    s = digits.length <= exp + 1 ? digits + '0'.repeat(exp + 1 - digits.length) : `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return (neg ? '-' : '') + s;
}

function floatOf(x: number, dtype: string): number {
  return dtype === 'float32' ? widenFloat32(x) : x;
}

/** Defaults for callers without an interpreter (messages are truncated by reprShort instead). */
export const DEFAULT_FORMAT_CAPS: FormatCaps = Object.freeze({
  maxChars: 1_000_000,
  maxNesting: 1000,
  tooLong: () => new PyError('MemoryError', msg.limitString(1_000_000), undefined, 'maxArrayElements'),
});

/**
 * Text built under a cap: it throws as soon as the text passes `maxChars`, so converting a container that
 * shares references (a 1000×1000×1000 nest of one list) stops after at most maxChars characters of work.
 */
class Writer {
  s = '';
  /** Arrays already rendered in this conversion (a list holding one big array 1000 times renders it once). */
  private readonly reprs = new Map<PyArray, string>();
  private readonly strs = new Map<PyArray, string>();
  /** Containers being written: one met again inside itself is written `[...]`, as Python does. */
  readonly open = new Set<PyValue>();
  constructor(readonly caps: FormatCaps) {}
  put(x: string): void {
    this.s += x;
    if (this.s.length > this.caps.maxChars) throw this.caps.tooLong();
  }
  array(a: PyArray, asRepr: boolean): string {
    const memo = asRepr ? this.reprs : this.strs;
    let text = memo.get(a);
    if (text === undefined) {
      // every shown element takes at least two characters: refuse before formatting them
      if (2 * shownCount(a.shape) > this.caps.maxChars - this.s.length) throw this.caps.tooLong();
      this.caps.work?.(a.t.size);
      text = asRepr ? arrayRepr(a) : arrayStr(a);
      memo.set(a, text);
    }
    return text;
  }
}

/** Elements numpy shows for this shape (edges only past the summary threshold). */
function shownCount(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  if (size <= THRESHOLD) return size;
  let n = 1;
  for (const d of shape) n *= d > 2 * EDGE ? 2 * EDGE : d;
  return n;
}

export function repr(v: PyValue, caps: FormatCaps = DEFAULT_FORMAT_CAPS): string {
  if (v.kind === 'str') {
    if (v.v.length + 2 > caps.maxChars) throw caps.tooLong();
    return pyStrRepr(v.v);
  }
  const w = new Writer(caps);
  write(w, v, true, 0);
  return w.s;
}

export function str(v: PyValue, asRepr = false, caps: FormatCaps = DEFAULT_FORMAT_CAPS): string {
  switch (v.kind) {
    case 'str':
      if (asRepr) break;
      return v.v;
    case 'none':
    case 'bool':
    case 'int':
    case 'float':
      return atomStr(v, asRepr);
    default:
      break;
  }
  const w = new Writer(caps);
  write(w, v, asRepr, 0);
  return w.s;
}

class Truncated extends Error {}

/** repr for messages: at most `max` characters, cut with '...' (never an error). */
export function reprShort(v: PyValue, max = 200): string {
  const w = new Writer({ maxChars: max, maxNesting: 50, tooLong: () => new Truncated() as unknown as PyError });
  try {
    write(w, v, true, 0);
    return w.s;
  } catch (e) {
    if (e instanceof Truncated || (e instanceof PyError && e.type === 'RecursionError')) return `${w.s.slice(0, max)}...`;
    throw e;
  }
}

function write(w: Writer, v: PyValue, asRepr: boolean, depth: number): void {
  switch (v.kind) {
    case 'list':
    case 'tuple': {
      if (w.open.has(v)) {
        w.put(v.kind === 'list' ? '[...]' : '(...)');
        return;
      }
      if (depth >= w.caps.maxNesting) throw nestingError(w.caps.maxNesting);
      w.open.add(v);
      const items = v.items;
      w.put(v.kind === 'list' ? '[' : '(');
      for (let i = 0; i < items.length; i++) {
        if (i > 0) w.put(', ');
        write(w, items[i]!, true, depth + 1);
      }
      w.put(v.kind === 'list' ? ']' : items.length === 1 ? ',)' : ')');
      w.open.delete(v);
      return;
    }
    case 'dict': {
      if (w.open.has(v)) {
        w.put('{...}');
        return;
      }
      if (depth >= w.caps.maxNesting) throw nestingError(w.caps.maxNesting);
      w.open.add(v);
      // Counter({...}) lists keys by count, largest first (Python prints most_common()); an empty one is Counter()
      const fl = v.flavor;
      let entries = [...v.map.values()];
      if (fl?.kind === 'set') {
        w.put(entries.length === 0 ? 'set()' : '{');
        entries.forEach(([k], i) => {
          if (i > 0) w.put(', ');
          write(w, k, true, depth + 1);
        });
        if (entries.length > 0) w.put('}');
        w.open.delete(v);
        return;
      }
      if (fl?.kind === 'counter') {
        const num = (x: PyValue): number => (x.kind === 'int' || x.kind === 'float' ? x.v : x.kind === 'bool' ? Number(x.v) : 0);
        entries = entries.map((e, i) => [e, i] as const).sort((a, b) => num(b[0][1]) - num(a[0][1]) || a[1] - b[1]).map(([e]) => e);
        w.put('Counter(');
      } else if (fl?.kind === 'defaultdict') {
        w.put('defaultdict(');
        write(w, fl.factory, true, depth + 1);
        w.put(', ');
      }
      const braces = !(fl?.kind === 'counter' && entries.length === 0);
      if (braces) w.put('{');
      let first = true;
      for (const [k, x] of entries) {
        if (!first) w.put(', ');
        first = false;
        write(w, k, true, depth + 1);
        w.put(': ');
        write(w, x, true, depth + 1);
      }
      if (braces) w.put('}');
      if (fl) w.put(')');
      w.open.delete(v);
      return;
    }
    case 'slice':
      w.put('slice(');
      write(w, v.start, true, depth + 1);
      w.put(', ');
      write(w, v.stop, true, depth + 1);
      w.put(', ');
      write(w, v.step, true, depth + 1);
      w.put(')');
      return;
    case 'str':
      w.put(asRepr ? pyStrRepr(v.v) : v.v);
      return;
    case 'array':
      w.put(v.scalar || v.t.rank === 0 ? scalarStr(v) : w.array(v, asRepr));
      return;
    default:
      w.put(atomStr(v, asRepr));
  }
}

/** str/repr of a value that holds no other values. */
function atomStr(v: PyValue, asRepr: boolean): string {
  switch (v.kind) {
    case 'none':
      return 'None';
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'int':
      return String(v.v);
    case 'float':
      return formatPyFloat(v.v);
    case 'ellipsis':
      return 'Ellipsis';
    case 'range':
      return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
    case 'iterator':
      return `<${v.name} object>`;
    case 'type':
      return v.name === 'ndarray' ? "<class 'numpy.ndarray'>" : `<class '${v.name}'>`;
    case 'dtype':
      return asRepr ? `dtype('${v.dtype}')` : v.dtype;
    case 'builtin':
      return `<built-in function ${v.name}>`;
    case 'function':
      return `<function ${v.name}>`;
    case 'module':
      return `<module '${v.name}'>`;
    case 'generator':
      return 'Generator(PCG64)';
    case 'class':
      return `<class '__main__.${v.name}'>`;
    case 'exctype':
      return `<class '${v.name}'>`;
    case 'instance':
      return `<__main__.${v.cls.name} object>`;
    case 'method':
      return `<bound method ${v.fn.name} of ${atomStr(v.self, true)}>`;
    case 'super':
      return `<super: <class '${v.cls.name}'>, ${atomStr(v.self, true)}>`;
    case 'exception':
      return asRepr ? `${v.type}(${pyStrRepr(v.message)})` : v.message;
    default:
      return `<${v.kind}>`;
  }
}

function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === quote) out += `\\${ch}`;
    else out += ch;
  }
  return quote + out + quote;
}

function scalarStr(a: PyArray): string {
  const x = Number(a.t.dataSync()[0]);
  if (a.dtype === 'bool') return x ? 'True' : 'False';
  if (a.dtype === 'int32') return String(x);
  return formatPyFloat(floatOf(x, a.dtype));
}

// ---------- numpy array printing ----------

interface ElementFormatter {
  (x: number): string;
}

function makeFormatter(data: ArrayLike<number>, dtype: string): ElementFormatter {
  if (dtype === 'bool') return (x) => (x ? ' True' : 'False');
  if (dtype === 'int32') {
    let width = 1;
    for (let i = 0; i < data.length; i++) width = Math.max(width, String(data[i]).length);
    return (x) => String(x).padStart(width);
  }
  const finite: number[] = [];
  let hasNonFinite = false;
  for (let i = 0; i < data.length; i++) {
    const x = floatOf(Number(data[i]), dtype);
    if (Number.isFinite(x)) finite.push(x);
    else hasNonFinite = true;
  }
  const abs = finite.map(Math.abs).filter((x) => x !== 0);
  // loops, not Math.max(...abs): a spread of 10^5 values overflows the stack
  let maxAbs = 0;
  let minAbs = Infinity;
  for (const x of abs) {
    if (x > maxAbs) maxAbs = x;
    if (x < minAbs) minAbs = x;
  }
  if (!abs.length) minAbs = 0;
  const scientific = abs.length > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
  if (scientific) {
    const parts = finite.map((x) => {
      const [m, e] = x.toExponential(Math.min(8, Math.max(0, digitsNeeded(x) - 1))).split('e') as [string, string];
      return { m, e: Number(e) };
    });
    let frac = 0;
    for (const p of parts) frac = Math.max(frac, (p.m.split('.')[1] ?? '').replace(/0+$/, '').length);
    let expDigits = 2;
    for (const p of parts) expDigits = Math.max(expDigits, String(Math.abs(p.e)).length);
    const fmt = (x: number): string => {
      if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
      const [m, e] = x.toExponential(frac).split('e') as [string, string];
      const en = Number(e);
      const mm = frac === 0 ? `${m}.` : m;
      return `${mm}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(expDigits, '0')}`;
    };
    let width = 0;
    for (const x of finite) width = Math.max(width, fmt(x).length);
    if (hasNonFinite) width = Math.max(width, 4);
    return (x) => fmt(floatOf(x, dtype)).padStart(width);
  }
  // positional: at most 8 fraction digits, trimmed, padded on the right to align the points
  const strs = finite.map((x) => trimFixed(x));
  let intW = 0;
  let fracW = 0;
  for (const s of strs) {
    const [i, f] = s.split('.') as [string, string | undefined];
    intW = Math.max(intW, i.length);
    fracW = Math.max(fracW, (f ?? '').length);
  }
  const nonFiniteW = hasNonFinite ? 4 : 0;
  return (raw) => {
    const x = floatOf(raw, dtype);
    if (!Number.isFinite(x)) {
      const s = Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
      return s.padStart(Math.max(intW + 1 + fracW, nonFiniteW));
    }
    const [i, f] = trimFixed(x).split('.') as [string, string | undefined];
    return `${i.padStart(intW)}.${(f ?? '').padEnd(fracW)}`;
  };
}

function digitsNeeded(x: number): number {
  for (let p = 1; p <= 17; p++) if (Number(x.toPrecision(p)) === x) return p;
  return 17;
}

function trimFixed(x: number): string {
  let s = (Object.is(x, -0) ? '-' : '') + x.toFixed(8);
  s = s.replace(/0+$/, '');
  if (s === '-0.') s = '-0.';
  return s;
}

const THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 75;

function arrayBody(a: PyArray, prefixLen: number, comma: boolean): string {
  const shape = a.shape;
  const data = a.t.dataSync() as ArrayLike<number>;
  const summarize = data.length > THRESHOLD;
  const shown: number[] = [];
  const strides: number[] = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * shape[i + 1]!;
  const keep = (dim: number): number[] => {
    const n = shape[dim]!;
    if (summarize && n > 2 * EDGE) return [0, 1, 2, -1, n - 3, n - 2, n - 1];
    return Array.from({ length: n }, (_, i) => i);
  };
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) {
      shown.push(Number(data[offset]));
      return;
    }
    for (const i of keep(dim)) if (i >= 0) collect(dim + 1, offset + i * strides[dim]!);
  };
  collect(0, 0);
  const fmt = makeFormatter(shown, a.dtype);
  const render = (dim: number, offset: number, indent: string): string => {
    if (shape.length === 0) return fmt(Number(data[offset]));
    const items = keep(dim);
    if (dim === shape.length - 1) {
      const cells = items.map((i) => (i < 0 ? '...' : fmt(Number(data[offset + i * strides[dim]!]))));
      // wrap long rows like numpy (linewidth 75)
      const lines: string[] = [];
      let line = '[';
      for (let k = 0; k < cells.length; k++) {
        const cell = cells[k]!;
        const sep = k === 0 ? '' : comma ? ', ' : ' ';
        if (line.length + sep.length + cell.length + 1 > LINE_WIDTH - indent.length && k > 0) {
          lines.push(comma ? line + ',' : line);
          line = ' ' + cell;
        } else line += sep + cell;
      }
      lines.push(line + ']');
      return lines.join('\n' + indent);
    }
    const blankLines = '\n'.repeat(Math.max(1, shape.length - dim - 1));
    const parts = items.map((i) => (i < 0 ? '...' : render(dim + 1, offset + i * strides[dim]!, indent + ' ')));
    return `[${parts.join((comma ? ',' : '') + blankLines + indent + ' ')}]`;
  };
  return render(0, 0, ' '.repeat(prefixLen));
}

export function arrayStr(a: PyArray): string {
  if (a.t.size === 0) return '[]';
  return arrayBody(a, 0, false);
}

export function arrayRepr(a: PyArray): string {
  if (a.t.size === 0) return `array([], shape=(${a.shape.join(', ')}${a.shape.length === 1 ? ',' : ''}), dtype=${a.dtype})`;
  return `array(${arrayBody(a, 6, true)})`;
}
