// Argument binding for builtins: a signature is a list like ['a', 'axis=None', 'keepdims=False'];
// '*args' collects the remaining positional arguments into a tuple.

import { msg, PyError } from '../errors';
import { FALSE, NONE, TRUE, type Kwargs, type PyValue, pyFloat, pyInt, pyStr, pyTuple } from '../values';

interface ParsedParam {
  name: string;
  def: PyValue | undefined;
  star: boolean;
}

const cache = new WeakMap<string[], ParsedParam[]>();

function parseDefault(s: string): PyValue {
  if (s === 'None') return NONE;
  if (s === 'True') return TRUE;
  if (s === 'False') return FALSE;
  if (/^'.*'$/.test(s)) return pyStr(s.slice(1, -1));
  if (/^-?\d+$/.test(s)) return pyInt(Number(s));
  return pyFloat(Number(s));
}

/** Signatures written inline at the call (a new array per call) are found by their text. */
const byText = new Map<string, ParsedParam[]>();

function parse(params: string[]): ParsedParam[] {
  let p = cache.get(params);
  if (p) return p;
  const key = params.join('\n');
  p = byText.get(key);
  if (p) return p;
  p = params.map((s) => {
    if (s.startsWith('*')) return { name: s.slice(1), def: undefined, star: true };
    const i = s.indexOf('=');
    return i < 0 ? { name: s, def: undefined, star: false } : { name: s.slice(0, i), def: parseDefault(s.slice(i + 1)), star: false };
  });
  cache.set(params, p);
  byText.set(key, p);
  return p;
}

/** Bind positional and keyword arguments to a builtin's parameters (missing optional ones get their default). */
export function bindArgs(fn: string, params: string[], args: PyValue[], kwargs: Kwargs): (PyValue | undefined)[] {
  const ps = parse(params);
  const out: (PyValue | undefined)[] = new Array<PyValue | undefined>(ps.length);
  let ai = 0;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    if (p.star) {
      out[i] = pyTuple(args.slice(ai));
      ai = args.length;
      continue;
    }
    if (ai < args.length) out[i] = args[ai++];
  }
  if (ai < args.length) throw new PyError('TypeError', msg.tooManyArgs(fn, ps.filter((p) => !p.star).length, args.length));
  if (kwargs) {
    for (const [k, v] of kwargs) {
      const i = ps.findIndex((p) => p.name === k && !p.star);
      if (i < 0) throw new PyError('TypeError', msg.unexpectedKwarg(fn, k));
      if (out[i] !== undefined) throw new PyError('TypeError', msg.duplicateArg(fn, k));
      out[i] = v;
    }
  }
  for (let i = 0; i < ps.length; i++) {
    if (out[i] !== undefined) continue;
    const p = ps[i]!;
    if (p.def === undefined && !p.star) throw new PyError('TypeError', msg.missingArg(fn, p.name));
    out[i] = p.def;
  }
  return out;
}
