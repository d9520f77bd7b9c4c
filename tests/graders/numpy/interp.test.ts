// Unit tests of the interpreter's public API: values, errors with positions, parsing, the JSON codec,
// program runs and function calls, printing, views, np.random.

import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { callFunction, checkSyntax, evaluate, evaluateToText, fromJson, runProgram, toJson } from '../../../graders/numpy/index';
import { evalLine } from '../../../graders/cli';

beforeAll(async () => {
  await initBackend('cpu');
});

const arr = (shape: number[], data: number[], dtype: 'float32' | 'int32' = 'float32') => ({ dtype, shape, data });

describe('evaluate', () => {
  it('returns the value of the last expression and the printed output', () => {
    expect(evaluate('print("hi")\nx = 2\nx * 3')).toEqual({ ok: true, value: 6, stdout: 'hi\n' });
    expect(evaluate('x = 2')).toEqual({ ok: true, value: null, stdout: '' });
  });
  it('concatenates the BiRNN states like numpy', () => {
    const h_f = arr([2, 2], [1, 2, 3, 4]);
    const h_b = arr([2, 2], [5, 6, 7, 8]);
    expect(evaluate('np.concatenate([h_f, h_b[::-1]], axis=1)', { h_f, h_b })).toEqual({
      ok: true,
      value: { dtype: 'float32', shape: [2, 4], data: [1, 2, 7, 8, 3, 4, 5, 6] },
      stdout: '',
    });
  });
  it('reports the concatenate shape error at the call, in Japanese with the numpy class', () => {
    const r = evaluate('a = np.ones((3, 4))\nc = np.ones((3, 2))\ny = np.concatenate([a, c], axis=0)', {});
    expect(r).toEqual({
      ok: false,
      stdout: '',
      error: { type: 'ValueError', message: '連結する配列の形が axis=0 以外で一致しません: (3, 4) と (3, 2)', line: 3, col: 5, endLine: 3, endCol: 35 },
    });
  });
  it('points at the failing expression inside a function', () => {
    const r = evaluate('def f(x):\n    y = x + 1\n    return y[5]\nf(np.zeros(3))');
    expect(r).toMatchObject({ ok: false, error: { type: 'IndexError', line: 3, col: 12, message: '添字 5 は軸 0 (大きさ 3) の範囲外です' } });
  });
  it('gives numpy scalars and Python numbers as JSON numbers; floats keep a fraction as text', () => {
    expect(evaluate('np.sum(np.ones(4))')).toMatchObject({ value: 4 });
    expect(evaluateToText('np.sum(np.ones(4))')).toMatchObject({ valueText: '4.0' });
    expect(evaluateToText('np.sum(np.arange(4))')).toMatchObject({ valueText: '6' });
    expect(evaluateToText('1 / 2, 3, 2.0, True, None, "s"')).toMatchObject({ valueText: '[0.5,3,2.0,true,null,"s"]' });
    expect(evaluateToText('np.log(0.0), float("nan")')).toMatchObject({ valueText: '[{"float":"-inf"},{"float":"nan"}]' });
  });
  it('prints float32 values with their shortest representation', () => {
    expect(evaluate('x = np.array([0.1, 0.2]) * 3\nx')).toMatchObject({ value: { data: [0.3, 0.6] } });
    expect(evaluate('print(np.array([0.1, 0.25, 3]))')).toMatchObject({ stdout: '[0.1  0.25 3.  ]\n' });
    expect(evaluate('print(np.arange(6).reshape(2, 3))')).toMatchObject({ stdout: '[[0 1 2]\n [3 4 5]]\n' });
    expect(evaluate('print(np.zeros((2, 1, 2)))')).toMatchObject({ stdout: '[[[0. 0.]]\n\n [[0. 0.]]]\n' });
    expect(evaluate('print([np.array([1, 2])], np.float32(0.1), 1e-5, 1.0)')).toMatchObject({ stdout: '[array([1, 2])] 0.1 1e-05 1.0\n' });
    expect(evaluate('print(np.array([1e-5, 1.0]))')).toMatchObject({ stdout: '[1.e-05 1.e+00]\n' });
  });
  it('is deterministic for np.random with a seed, and the seed option changes the global stream', () => {
    const code = 'np.random.seed(3)\nnp.random.randn(5)';
    const r1 = evaluate(code);
    const r2 = evaluate(code);
    expect(r1).toEqual(r2);
    const g1 = evaluate('np.random.rand(3)', {}, { seed: 1 });
    const g2 = evaluate('np.random.rand(3)', {}, { seed: 2 });
    expect(g1).not.toEqual(g2);
    expect(evaluate('np.random.rand(3)', {}, { seed: 1 })).toEqual(g1);
  });
  it('np.random has the right statistics', () => {
    const r = evaluate(`
np.random.seed(0)
x = np.random.randn(20000)
u = np.random.rand(20000)
k = np.random.randint(0, 4, size=20000)
rng = np.random.default_rng(7)
g = rng.normal(2.0, 0.5, size=(100, 100))
[float(x.mean()), float(x.std()), float(u.mean()), float(u.min()), float(u.max()), int(k.min()), int(k.max()), float((k == 3).mean()), float(g.mean()), float(g.std())]`);
    if (!r.ok) throw new Error(r.error.message);
    const [xm, xs, um, umin, umax, kmin, kmax, k3, gm, gs] = r.value as number[];
    expect(Math.abs(xm!)).toBeLessThan(0.03);
    expect(Math.abs(xs! - 1)).toBeLessThan(0.03);
    expect(Math.abs(um! - 0.5)).toBeLessThan(0.01);
    expect(umin).toBeGreaterThanOrEqual(0);
    expect(umax).toBeLessThan(1);
    expect([kmin, kmax]).toEqual([0, 3]);
    expect(Math.abs(k3! - 0.25)).toBeLessThan(0.02);
    expect(Math.abs(gm! - 2)).toBeLessThan(0.03);
    expect(Math.abs(gs! - 0.5)).toBeLessThan(0.02);
  });
  it('default_rng(seed) streams are reproducible and independent of the global state', () => {
    const code = 'np.random.seed(5)\nr = np.random.default_rng(11)\nr.random(4)';
    expect(evaluate(code)).toEqual(evaluate('r = np.random.default_rng(11)\nr.random(4)'));
  });
});

describe('views are copy-on-write with write-back', () => {
  it('writes through a row view and chained indexing', () => {
    expect(evaluate('z = np.zeros((2, 2))\nr = z[1]\nr[0] = 5\nz[0][1] = 7\nz')).toMatchObject({ value: { data: [0, 7, 5, 0] } });
  });
  it('in-place updates of loop rows reach the array', () => {
    expect(evaluate('z = np.zeros((2, 2))\nfor row in z:\n    row += 1\nz')).toMatchObject({ value: { data: [1, 1, 1, 1] } });
  });
  it('fancy indexing returns a copy', () => {
    expect(evaluate('z = np.zeros(3)\nc = z[[0, 1]]\nc[0] = 9\nz')).toMatchObject({ value: { data: [0, 0, 0] } });
  });
});

describe('parsing', () => {
  it('syntax errors carry line and column', () => {
    expect(checkSyntax('x = 1\ny = (2,\n')).toMatchObject({ type: 'SyntaxError', line: 3 });
    expect(checkSyntax('x = = 1')).toMatchObject({ type: 'SyntaxError', line: 1, col: 5 });
    expect(checkSyntax('if x:\ny = 1')).toMatchObject({ type: 'SyntaxError' });
    expect(checkSyntax('x = 1\n  y = 2')).toMatchObject({ type: 'SyntaxError', line: 2 });
    expect(checkSyntax('return 1')).toMatchObject({ type: 'SyntaxError', message: "関数の外で 'return' は使えません" });
    expect(checkSyntax('break')).toMatchObject({ type: 'SyntaxError' });
    expect(checkSyntax('x = 1 + 2j')).toMatchObject({ type: 'SyntaxError', message: 'この構文はサポートしていません: 複素数' });
    expect(checkSyntax('np.concatenate([h_f, h_b[::-1]], axis=1)')).toBeNull();
  });
  it('supports the statement forms of the course', () => {
    const code = `
a, i, f, o = np.hsplit(np.arange(8).reshape(1, 8), 4)
z = np.zeros((2, 3))
for t in range(2):
    z[:, t + 1] = t + 1
c = np.array([-1.0, 2.0])
c[c < 0] = 0
total = 0
for idx, (p, q) in enumerate(zip([1, 2], [3, 4])):
    total += idx * p * q
s = "ok" if 1 < total <= 10 else "ng"
[a.tolist(), o.tolist(), z.tolist(), c.tolist(), total, s]`;
    expect(evaluate(code)).toMatchObject({ ok: true, value: [[[0, 1]], [[6, 7]], [[0, 1, 2], [0, 1, 2]], [0, 2], 8, 'ok'] });
  });
  it('f-strings and str.format', () => {
    expect(evaluate('x = 3.14159\nf"{x:.2f}|{x!r}|{{}}|{[1, 2]}|{7:>3}"')).toMatchObject({ value: '3.14|3.14159|{}|[1, 2]|  7' });
  });
});

describe('programs and functions', () => {
  const template = `
def bidirectional(h_f, h_b):
    return np.concatenate([h_f, h_b[::-1]], axis=1)
scale = 2
`;
  it('runProgram reads back globals', () => {
    const r = runProgram('x = np.arange(3)\ny = x * 2\nname = "n"\ndef f():\n    pass', {});
    expect(r).toMatchObject({ ok: true, globals: { x: { data: [0, 1, 2] }, y: { data: [0, 2, 4] }, name: 'n' } });
    if (r.ok) expect(Object.keys(r.globals).sort()).toEqual(['name', 'x', 'y']);
    expect(runProgram('x = 1\ny = 2', {}, { read: ['y'] })).toMatchObject({ ok: true, globals: { y: 2 } });
  });
  it('callFunction calls a defined function with JSON arguments', () => {
    const r = callFunction(template, 'bidirectional', [arr([2, 1], [1, 2]), arr([2, 1], [3, 4])]);
    expect(r).toMatchObject({ ok: true, value: { dtype: 'float32', shape: [2, 2], data: [1, 4, 2, 3] }, globals: { scale: 2 } });
  });
  it('callFunction reports errors inside the function at their position', () => {
    const r = callFunction(template, 'bidirectional', [arr([2, 1], [1, 2]), arr([3, 1], [3, 4, 5])]);
    expect(r).toMatchObject({ ok: false, error: { type: 'ValueError', line: 3, message: '連結する配列の形が axis=1 以外で一致しません: (2, 1) と (3, 1)' } });
    expect(callFunction(template, 'missing', [])).toMatchObject({ ok: false, error: { type: 'NameError' } });
  });
});

describe('JSON value codec', () => {
  it('round-trips values', () => {
    const values = [1, 2.5, true, null, 'x', [1, [2.5, false]], { dtype: 'int32', shape: [2, 2], data: [1, 2, 3, 4] }, { dtype: 'bool', shape: [2], data: [true, false] }, { dtype: 'float32', shape: [0, 3], data: [] }, { float: 'nan' }, { dict: [['a', 1]] }];
    for (const v of values) expect(toJson(fromJson(v))).toEqual(v);
  });
  it('non-finite array elements are strings', () => {
    expect(evaluate('np.array([1.0, np.inf, -np.inf, np.nan])')).toMatchObject({ value: { data: [1, 'inf', '-inf', 'nan'] } });
  });
  it('rejects malformed inputs as InputError', () => {
    expect(evaluate('a', { a: { dtype: 'float64', shape: [1], data: [1] } as never })).toMatchObject({ ok: false, error: { type: 'InputError' } });
    expect(evaluate('a', { a: { dtype: 'float32', shape: [2], data: [1] } as never })).toMatchObject({ ok: false, error: { type: 'InputError' } });
    expect(evaluate('a', { a: { foo: 1 } as never })).toMatchObject({ ok: false, error: { type: 'InputError' } });
  });
});

describe('the CLI line handler', () => {
  it('answers one JSON line per case and never throws', () => {
    expect(JSON.parse(evalLine('{"code": "1 + 1"}'))).toEqual({ ok: true, value: 2, stdout: '' });
    expect(evalLine('{"code": "np.ones(2).sum()"}')).toBe('{"ok":true,"value":2.0,"stdout":""}');
    expect(JSON.parse(evalLine('not json'))).toMatchObject({ ok: false, error: { type: 'InputError' } });
    expect(JSON.parse(evalLine('{"inputs": {}}'))).toMatchObject({ ok: false, error: { type: 'InputError' } });
    expect(JSON.parse(evalLine('{"code": "a[5]", "inputs": {"a": {"dtype": "int32", "shape": [2], "data": [1, 2]}}}'))).toMatchObject({
      ok: false,
      error: { type: 'IndexError', line: 1, col: 1 },
    });
    expect(JSON.parse(evalLine('{"code": "while True: pass", "limits": {"maxSteps": 100}}'))).toMatchObject({ ok: false, error: { type: 'TimeoutError', limit: 'maxSteps' } });
  });
});
