// Correctly rounded decimal formatting of doubles, as Python's format() does it ('f', 'e', 'g', '%' and the
// no-type form with a precision): the exact binary value is expanded with BigInt and rounded half to even.
// JS toFixed/toExponential stop at 100 digits and round exact ties away from zero, so they are only a fast path
// where they agree with Python.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** |x| (finite) as D × 10^-k with D a non-negative BigInt and k ≥ 0 (k = number of exact fraction digits). */
function exact(x: number): { d: bigint; k: number } {
  f64[0] = Math.abs(x);
  const hi = u32[LITTLE_ENDIAN ? 1 : 0]!;
  const lo = u32[LITTLE_ENDIAN ? 0 : 1]!;
  const bexp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = bexp - 1075;
  }
  if (m === 0n) return { d: 0n, k: 0 };
  while ((m & 1n) === 0n && e < 0) {
    m >>= 1n;
    e++;
  }
  if (e >= 0) return { d: m << BigInt(e), k: 0 };
  // m·2^-k = m·5^k / 10^k
  return { d: m * 5n ** BigInt(-e), k: -e };
}

/** Number of exact fraction digits of a finite double (0 for integers). */
function fractionDigits(x: number): number {
  if (Number.isInteger(x)) return 0;
  let k = 0;
  let y = Math.abs(x);
  while (!Number.isInteger(y)) {
    y *= 2;
    k++;
  }
  return k;
}

/** d / 10^drop rounded half to even (drop ≥ 0). */
function roundDrop(d: bigint, drop: number): bigint {
  if (drop <= 0) return d;
  const p = 10n ** BigInt(drop);
  const q = d / p;
  const r2 = (d % p) * 2n;
  if (r2 > p || (r2 === p && (q & 1n) === 1n)) return q + 1n;
  return q;
}

const signOf = (x: number): string => (x < 0 || Object.is(x, -0) ? '-' : '');

/** Digits of |x| with exactly `p` fraction digits (no sign), correctly rounded. */
export function fixedDigits(x: number, p: number): string {
  const ax = Math.abs(x);
  if (p <= 100) {
    // JS toFixed is exact except that it rounds exact ties up; a tie needs exactly p + 1 fraction digits
    if (ax < 1e21 && fractionDigits(ax) !== p + 1) return ax.toFixed(p);
  }
  const { d, k } = exact(ax);
  let s: string;
  if (p >= k) s = d.toString() + '0'.repeat(p - k);
  else s = roundDrop(d, k - p).toString();
  if (p === 0) return s;
  if (s.length <= p) s = '0'.repeat(p - s.length + 1) + s;
  return `${s.slice(0, s.length - p)}.${s.slice(s.length - p)}`;
}

/** |x| rounded to `n` significant digits: the digit string (length n) and the decimal exponent of its first digit. */
function significant(x: number, n: number): { digits: string; exp: number } {
  const { d, k } = exact(Math.abs(x));
  if (d === 0n) return { digits: '0'.repeat(n), exp: 0 };
  const all = d.toString();
  let exp = all.length - 1 - k;
  const drop = all.length - n;
  let digits: string;
  if (drop <= 0) digits = all + '0'.repeat(-drop);
  else {
    digits = roundDrop(d, drop).toString();
    if (digits.length > n) {
      // rounded up to a power of ten
      digits = digits.slice(0, n);
      exp++;
    }
  }
  return { digits, exp };
}

function expSuffix(exp: number): string {
  const a = Math.abs(exp);
  return `e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
}

function nonFinite(x: number): string | null {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return null;
}

/** Python format(x, '.{p}f') for a float (with its sign). */
export function formatFixed(x: number, p: number): string {
  return nonFinite(x) ?? signOf(x) + fixedDigits(x, p);
}

/** Python format(x, '.{p}e'). */
export function formatExp(x: number, p: number, alt = false): string {
  const nf = nonFinite(x);
  if (nf) return nf;
  const { digits, exp } = significant(x, p + 1);
  const mant = p > 0 ? `${digits[0]}.${digits.slice(1)}` : alt ? `${digits}.` : digits;
  return signOf(x) + mant + expSuffix(exp);
}

/**
 * Python format(x, '.{p}g') (`addDot0` false) and the no-type form format(x, '.{p}') (`addDot0` true: at least one
 * fraction digit in fixed notation, exponent notation from exp ≥ p − 1). Trailing zeros are removed unless `alt`.
 */
export function formatGeneral(x: number, p: number, alt = false, addDot0 = false): string {
  const nf = nonFinite(x);
  if (nf) return nf;
  const prec = p === 0 ? 1 : p;
  const { digits, exp } = significant(x, prec);
  const useExp = exp < -4 || exp >= (addDot0 ? prec - 1 : prec);
  let body: string;
  if (useExp) {
    let rest = digits.slice(1);
    if (!alt) rest = rest.replace(/0+$/, '');
    body = `${digits[0]}${rest || alt ? '.' : ''}${rest}${expSuffix(exp)}`;
  } else {
    let intPart: string;
    let frac: string;
    if (exp >= 0) {
      intPart = digits.slice(0, exp + 1);
      frac = digits.slice(exp + 1);
    } else {
      intPart = '0';
      frac = '0'.repeat(-exp - 1) + digits;
    }
    if (!alt) frac = frac.replace(/0+$/, '');
    if (addDot0 && frac === '') frac = '0';
    body = frac || alt ? `${intPart}.${frac}` : intPart;
  }
  return signOf(x) + body;
}

/** Python format(x, '.{p}%'). */
export function formatPercent(x: number, p: number): string {
  const nf = nonFinite(x);
  if (nf) return `${nf}%`;
  return `${formatFixed(x * 100, p)}%`;
}
