// Issue 15: no learner input can make the interpreter allocate or loop without bound. Every bomb found by the
// probe ends in a clean MemoryError / TimeoutError / RecursionError / OverflowError that names its limit and
// points at the expression (line and column), never an InternalError, a hang or a crash.

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { type EvalResult, evaluate, evaluateToText, evaluateWith } from '../../../graders/numpy/index';
import { toJson } from '../../../graders/numpy/json-values';

beforeAll(async () => {
  await initBackend('cpu');
});

interface Err {
  type: string;
  message: string;
  limit?: string;
  line: number;
  col: number;
}

function fail(r: EvalResult): Err {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

const TOO_LONG_STR = '文字列が長すぎます (上限 1000000 文字)';
const TOO_LONG_LIST = 'リストや文字列が長すぎます (上限 1000000 要素)';
const STEPS = '計算ステップ数の上限 (1000000) を超えました。無限ループになっていませんか';
const NESTING = 'リストやタプルの入れ子が深すぎます (上限 200 段)。自分自身を含むような入れ子になっていませんか';
const INT_OVERFLOW =
  '整数が大きすぎます: この採点器で扱える整数は ±9007199254740991 (2**53 - 1) までです (Python の整数には上限がありませんが、ここでは対応していません)';
const arrayTooBig = (n: string): string => `配列が大きすぎます: 要素数 ${n} (1 つの配列の上限 1000000)`;

/** [code, type, limit, line, col, message?] */
type Case = [string, string, string | undefined, number, number, string?];

function check([code, type, limit, line, col, message]: Case): void {
  const e = fail(evaluate(code));
  expect({ type: e.type, limit: e.limit, line: e.line, col: e.col }, code).toEqual({ type, limit, line, col });
  if (message !== undefined) expect(e.message, code).toBe(message);
}

const NEST = 'a = [0] * 1000\nb = [a] * 1000\nc = [b] * 1000\n';

describe('strings are refused before they are built', () => {
  it.each<Case>([
    ["len('{:>400000000}'.format(1))", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["len('%400000000d' % 1)", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["x = f'{1:>400000000}'", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["f'{1.0:.400000000f}'", 'MemoryError', 'maxArrayElements', 1, 1, TOO_LONG_STR],
    ["x = format(2.5, '^999999999')", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["s = ('a' * 10**6).replace('', 'x' * 1000)", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["s = ('a' * 999999).replace('a', 'x' * 1000)", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["s = ','.join(['x' * 100000] * 1000)", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["s = ('{:>999}' * 5000).format(*range(5000))", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_STR],
    ["s = 'ab' * 10**9", 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_LIST],
    [`${NEST}s = str(c)`, 'MemoryError', 'maxArrayElements', 4, 5, TOO_LONG_STR],
    [`${NEST}s = repr(c)`, 'MemoryError', 'maxArrayElements', 4, 5, TOO_LONG_STR],
    [`${NEST}f'{c}'`, 'MemoryError', 'maxArrayElements', 4, 1, TOO_LONG_STR],
    [`${NEST}x = '%s' % (c,)`, 'MemoryError', 'maxArrayElements', 4, 5, TOO_LONG_STR],
    [`${NEST}print(c)`, 'MemoryError', 'maxOutputChars', 4, 1, 'print の出力が上限 (20000 文字) を超えました'],
    [`${NEST}c`, 'MemoryError', 'maxArrayElements', 4, 1, '結果の値が大きすぎます: 要素数の合計が上限 (1000000) を超えました'],
  ])('%s', (...c) => check(c));

  it('str() of a big nest stops after the limit, not after building it', () => {
    // 10^9 leaves; the limit is a few characters
    const e = fail(evaluate(`${NEST}str(c)`, {}, { maxArrayElements: 1000 }));
    expect(e).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements', message: '文字列が長すぎます (上限 1000 文字)', line: 4, col: 1 });
  });

  it('a list holding one array many times renders the array once', () => {
    const r = evaluate('x = np.arange(6.0).reshape(2, 3)\nlen(str([x] * 500)), len(repr(x))');
    expect(r).toMatchObject({ ok: true, value: [500 * 42 + 2 * 499 + 2, 42] });
  });
});

describe('lists and tuples are refused before they are built', () => {
  it.each<Case>([
    ['x = [0] * 10**9', 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_LIST],
    ['x = [1] * 10**6\nx += x', 'MemoryError', 'maxArrayElements', 2, 1, TOO_LONG_LIST],
    ['x = [1] * 10**6\nx = x + x', 'MemoryError', 'maxArrayElements', 2, 5, TOO_LONG_LIST],
    ['x = [1] * 10**6\nx.extend(x)', 'MemoryError', 'maxArrayElements', 2, 1, TOO_LONG_LIST],
    ['x = [1] * 10**6\nx[:0] = x', 'MemoryError', 'maxArrayElements', 2, 1, TOO_LONG_LIST],
    ['x = (1,) * 10**6 + (2,)', 'MemoryError', 'maxArrayElements', 1, 5, TOO_LONG_LIST],
    ['list(range(10**12))', 'MemoryError', 'maxArrayElements', 1, 1, TOO_LONG_LIST],
    ['sorted(range(10**12))', 'MemoryError', 'maxArrayElements', 1, 1, TOO_LONG_LIST],
    ['a, *b = range(10**12)', 'MemoryError', 'maxArrayElements', 1, 1, TOO_LONG_LIST],
    ['d = {i: i for i in range(2 * 10**6)}', 'TimeoutError', 'maxSteps', 1, 5, STEPS],
  ])('%s', (...c) => check(c));

  it('big lists (10^5+ items) are appended without overflowing the JS stack', () => {
    const r = evaluate('x = [1] * 300000\nx += x\nx.extend(x[:10])\ny = [*x, *x[:5]]\nx[1:1] = [7] * 200000\nlen(x), len(y)');
    expect(r).toMatchObject({ ok: true, value: [800010, 600015] });
  });
});

describe('builtins that iterate count a step per item, or answer in O(1)', () => {
  it.each<Case>([
    ['all(range(1, 10**12))', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['any(x < 0 for x in range(10**12))', 'TimeoutError', 'maxSteps', 1, 5, STEPS],
    ['sum(range(10**12))', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['max(range(10**12))', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['min(range(10**12), key=lambda x: -x)', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['for i, x in enumerate(range(10**12)):\n    pass', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['for a, b in zip(range(10**12), range(10**12)):\n    pass', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['x = list(reversed(range(10**12)))', 'TimeoutError', 'maxSteps', 1, 5, STEPS],
    ['tuple(map(abs, range(10**12)))', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['list(filter(None, range(10**12)))', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['x = [0] * 10**6\nx.count(1) + x.count(2)', 'TimeoutError', 'maxSteps', 2, 1, STEPS],
    ['x = [0] * 10**6\n1 in x or 2 in x', 'TimeoutError', 'maxSteps', 2, 1, STEPS],
  ])('%s', (...c) => check(c));

  it('membership in a range is arithmetic', () => {
    const r = evaluate('-1 in range(10**12), 10**12 - 1 in range(10**12), 5 in range(0, 10**12, 5), 7 in range(0, 10**12, 5), 2.0 in range(3), np.int32(2) in range(3)', {}, { maxSteps: 100 });
    expect(r).toMatchObject({ ok: true, value: [false, true, true, false, true, true] });
  });
});

describe('comparisons and hashing are bounded', () => {
  const D = 'd = [[[0] * 1000] * 1000] * 1000\n';
  it.each<Case>([
    [`${NEST}${D}c == d`, 'TimeoutError', 'maxSteps', 5, 1, STEPS],
    [`${NEST}${D}c < d`, 'TimeoutError', 'maxSteps', 5, 1, STEPS],
    [`${NEST}${D}x = [c, 1]\nx.index(d)`, 'TimeoutError', 'maxSteps', 6, 1, STEPS],
    ['t = ()\nfor i in range(100000):\n    t = (t, t)\nd = {t: 1}', 'RecursionError', 'maxRecursion', 4, 5, NESTING],
    ['t = ()\nfor i in range(25):\n    t = (t, t)\nd = {t: 1}', 'MemoryError', 'maxArrayElements', 4, 5, '辞書のキー (タプル) が大きすぎます'],
    ['t = ()\nfor i in range(100000):\n    t = (t,)\nd = {}\nd[t] = 1', 'RecursionError', 'maxRecursion', 5, 1, NESTING],
    ['t = []\nfor i in range(100000):\n    t = [t]\nrepr(t)', 'RecursionError', 'maxRecursion', 4, 1, NESTING],
    ['t = []\nfor i in range(100000):\n    t = [t]\nt == [t]', 'RecursionError', 'maxRecursion', 4, 1, NESTING],
    ['t = []\nfor i in range(100000):\n    t = [t]\nt < [t]', 'RecursionError', 'maxRecursion', 4, 1, NESTING],
    ['t = []\nfor i in range(100000):\n    t = [t]\nt', 'RecursionError', 'maxRecursion', 4, 1, NESTING],
    ['t = []\nfor i in range(100000):\n    t = [t]\nnp.array(t)', 'ValueError', undefined, 4, 1, '配列の次元数が多すぎます (上限 64 次元)'],
    ['a = []\na.append(a)\nnp.array(a)', 'ValueError', undefined, 3, 1, '配列の次元数が多すぎます (上限 64 次元)'],
  ])('%s', (...c) => check(c));

  it('a nest of shared tuples is hashed once per tuple', () => {
    const r = evaluate('t = ()\nfor i in range(15):\n    t = (t, t)\nd = {t: 1}\nd[t], t in d', {}, { maxSteps: 1000 });
    expect(r).toMatchObject({ ok: true, value: [1, true] });
  });
});

describe('numpy sizes are checked before allocating', () => {
  it.each<Case>([
    ['np.repeat(np.ones(2), 10**11)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('200000000000')],
    ['np.ones(3).repeat(10**11)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('300000000000')],
    ['np.tile(np.ones(2), 10**11)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('200000000000')],
    ['np.zeros(10**11)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('100000000000')],
    ['np.ones((10**6, 10**6))', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000000')],
    ['np.arange(10**12)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000000')],
    ['np.linspace(0, 1, 10**12)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000000')],
    ['np.eye(10**6)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000000')],
    ['np.full((10**6, 10**6), 2.0)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000000')],
    ['np.random.choice(5, size=10**12)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000000')],
    ['np.random.choice(10**12, 3, replace=False)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000000')],
    ['x = np.zeros((0, 10**6, 10**6))\nnp.triu(x)', 'MemoryError', 'maxArrayElements', 2, 1, arrayTooBig('1000000000000')],
    ['np.zeros((10**9, 0)).sum(axis=1)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000')],
    ['np.zeros((10**9, 0)).mean(axis=1)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000')],
    ['np.linalg.norm(np.zeros((10**9, 0)), axis=1)', 'MemoryError', 'maxArrayElements', 1, 1, arrayTooBig('1000000000')],
    ['np.zeros((10**9, 0)).tolist()', 'MemoryError', 'maxArrayElements', 1, 1, TOO_LONG_LIST],
    ['np.split(np.zeros(0), 10**9)', 'MemoryError', 'maxArrayElements', 1, 1, TOO_LONG_LIST],
    ['np.concatenate([np.ones(1)] * 10**6)', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['np.array([np.float32(1)] * 10**6)', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['np.concatenate(np.zeros((10**12, 0)))', 'TimeoutError', 'maxSteps', 1, 1, STEPS],
    ['np.arange(0, np.nan)', 'ValueError', undefined, 1, 1, 'arange: NaN や無限大を含むため要素数を決められません'],
    ['np.zeros([1] * 65)', 'ValueError', undefined, 1, 1, '配列の次元数が多すぎます (上限 64 次元)'],
    ['np.zeros(1).reshape([1] * 100)', 'ValueError', undefined, 1, 1, '配列の次元数が多すぎます (上限 64 次元)'],
    ['np.expand_dims(np.zeros(3), tuple(range(10**5)))', 'ValueError', undefined, 1, 1, '配列の次元数が多すぎます (上限 64 次元)'],
  ])('%s', (...c) => check(c));

  it('empty arrays with huge axes cost nothing', () => {
    const code = [
      'x = np.zeros((10**12, 0))',
      'a = np.repeat(np.zeros((0, 10**9)), 2, axis=1).shape',
      'b = np.triu(x).shape',
      'np.random.shuffle(x)',
      'c = np.random.permutation(x).shape',
      'd = np.sort(x, axis=0).shape',
      'e = np.tri(10**12, 0).shape',
      'a, b, c, d, e, x[::2].shape',
    ].join('\n');
    expect(evaluate(code, {}, { maxSteps: 200 })).toMatchObject({
      ok: true,
      value: [[0, 2e9], [1e12, 0], [1e12, 0], [1e12, 0], [1e12, 0], [5e11, 0]],
    });
  });

  it('rows of a big array are made one at a time (the loop stops at the step limit)', () => {
    const e = fail(evaluate('x = np.zeros((10**6, 1))\nfor row in x:\n    pass', {}, { maxSteps: 20_000 }));
    expect(e).toMatchObject({ type: 'TimeoutError', limit: 'maxSteps', line: 2, col: 1 });
  });

  it('rows are still views that write back', () => {
    const r = evaluate('x = np.arange(6).reshape(3, 2)\nfor row in x:\n    row += 10\nx');
    expect(r).toMatchObject({ ok: true, value: { dtype: 'int32', shape: [3, 2], data: [10, 11, 12, 13, 14, 15] } });
  });
});

describe('bombs under a small timeoutMs end in a clean error', () => {
  const opts = { timeoutMs: 100, maxSteps: 1e12 };
  it.each([
    'all(range(1, 10**12))',
    'sum(range(10**12))',
    '-1 in [x for x in range(10**12)]',
    'x = np.zeros((10**6, 1))\nfor row in x:\n    pass',
    `${NEST}d = [[[0] * 1000] * 1000] * 1000\nc == d`,
    'x = [(i * 7919) % 1000003 for i in range(10**6)]\nsorted(x)',
    'while True:\n    s = ("ab" * 500000).replace("a", "c")',
  ])('%s', (code) => {
    const e = fail(evaluate(code, {}, opts));
    expect(['TimeoutError', 'MemoryError']).toContain(e.type);
    expect(e.limit).toBeDefined();
    expect(e.line).toBeGreaterThan(0);
  });
});

describe('ints stay exact or are an OverflowError', () => {
  it.each<Case>([
    ['2 ** 1000', 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ['10 ** 400', 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ['x = 2.0 ** 10000', 'OverflowError', undefined, 1, 5, '浮動小数点数の計算結果が大きすぎます (オーバーフロー)'],
    ['n = 1\nfor i in range(1, 30):\n    n = n * i', 'OverflowError', undefined, 3, 9, INT_OVERFLOW],
    ['x = 9007199254740993', 'OverflowError', undefined, 1, 5, INT_OVERFLOW],
    ['9007199254740991 + 1', 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ["int('1' * 30)", 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ['int(1e300)', 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ['round(1e20)', 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ['1 << 60', 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ['~9007199254740991', 'OverflowError', undefined, 1, 1, INT_OVERFLOW],
    ['1 << -1', 'ValueError', undefined, 1, 1, '負の数だけシフトすることはできません'],
  ])('%s', (...c) => check(c));

  it('exact results up to 2**53 - 1, floats overflow to inf where Python does', () => {
    const r = evaluate('9007199254740991, 3 ** 33, (2**40) & (2**41 - 1), -1 >> 1000, 10**15 // 7, 1e308 * 10');
    expect(r).toMatchObject({ ok: true, value: [9007199254740991, 5559060566555523, 1099511627776, -1, 142857142857142, { float: 'inf' }] });
  });
});

describe('-0.0 keeps its sign', () => {
  it('as a value, in JSON text and when printed', () => {
    const r = evaluate('-0.0');
    expect(r.ok && Object.is(r.value, -0)).toBe(true);
    expect(evaluateToText('-0.0, [0.0 * -1], np.array([-0.0, 2.0])')).toMatchObject({
      ok: true,
      valueText: '[-0.0,[-0.0],{"dtype":"float32","shape":[2],"data":[-0.0,2]}]',
    });
    expect(JSON.parse('[-0.0]')[0]).toBe(-0);
    expect(evaluate('print(-0.0, str(-0.0), repr(-0.0), f"{-0.0:.2f}")')).toMatchObject({ ok: true, stdout: '-0.0 -0.0 -0.0 -0.00\n' });
  });
});

describe('identifiers are NFKC-normalised', () => {
  it('ｘ is x', () => {
    expect(evaluate('ｘ = 5\nx')).toMatchObject({ ok: true, value: 5 });
    expect(evaluate('def ｆ(ａ):\n    return ａ + 1\nf(a=1), np.ｓｕｍ([1, 2])')).toMatchObject({ ok: true, value: [2, 3] });
  });
});

describe('values leaving an evaluation are bounded', () => {
  it('toJson without caps uses the default limits', () => {
    const r = evaluateWith(`${NEST}c`, {}, {}, ({ value }) => ({ json: toJson(value) }));
    expect(r).toMatchObject({ ok: false, error: { type: 'MemoryError', limit: 'maxArrayElements', line: 4, col: 1 } });
  });
  it('a JS stack overflow points at the call', () => {
    const e = fail(evaluate('def f(n):\n    return f(n + 1)\nf(0)', {}, { maxRecursion: 1e9 }));
    expect(e).toMatchObject({ type: 'RecursionError', limit: 'maxRecursion', line: 2 });
    expect(e.message).toBe('関数呼び出しかリストの入れ子が深すぎます。再帰が止まっていないのではありませんか');
  });
});
