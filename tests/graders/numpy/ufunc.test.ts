// np.add.at / np.subtract.at, np.rint, np.einsum: semantics beyond the golden cases, limits and security.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { type EvalResult, evaluate } from '../../../graders/numpy/index';

beforeAll(async () => {
  await initBackend('cpu');
});

function fail(r: EvalResult): { type: string; message: string; limit?: string; line: number; col: number } {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

describe('ufunc.at', () => {
  it('mutates the one array every holder sees', () => {
    const r = evaluate('W = np.zeros((3, 2))\nparams = [W]\nclass_like = {"W": W}\ndW = params[0]\nnp.add.at(dW, [0, 0, 2], 1.0)\nW, params[0], class_like["W"], params[0] is W');
    const w = { dtype: 'float32', shape: [3, 2], data: [2, 2, 0, 0, 1, 1] };
    expect(r).toMatchObject({ ok: true, value: [w, w, w, true] });
  });
  it('writes through a view into its base', () => {
    expect(evaluate('z = np.zeros((2, 3))\nrow = z[1]\nnp.add.at(row, [2, 2], 1)\nz')).toMatchObject({
      ok: true,
      value: { shape: [2, 3], data: [0, 0, 0, 0, 0, 2] },
    });
  });
  it('keyword arguments', () => {
    expect(evaluate('z = np.zeros(3)\nnp.add.at(z, indices=[1, 1], b=2)\nz')).toMatchObject({ ok: true, value: { data: [0, 4, 0] } });
  });
  it('does not modify host inputs', () => {
    const arr = { dtype: 'float32' as const, shape: [3], data: [1, 2, 3] };
    const t = tf.tensor1d([1, 2, 3]);
    const r = evaluate('np.add.at(a, [0, 0], 5)\nnp.subtract.at(t, [2], 1)\na, t', { a: arr, t });
    expect(r).toMatchObject({ ok: true, value: [{ data: [11, 2, 3] }, { data: [1, 2, 2] }] });
    expect(arr.data).toEqual([1, 2, 3]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    t.dispose();
  });
  it('only add and subtract have .at; every other attribute of a function is refused', () => {
    for (const code of ['np.multiply.at', 'np.add.reduce', 'np.add.outer', 'np.add.__call__', 'np.add.at.at', 'np.add.at.__self__', 'np.sum.at', 'len.at', 'np.add.constructor', 'np.add.at.constructor', 'np.add.at.__proto__', 'np.subtract.at.toString']) {
      const e = fail(evaluate(code));
      expect(e.type, code).toBe('AttributeError');
    }
    expect(fail(evaluate('np.add.at = 1')).type).toBe('AttributeError');
  });
  it('errors', () => {
    expect(fail(evaluate('np.add.at(np.zeros(3), [3], 1)')).type).toBe('IndexError');
    expect(fail(evaluate('np.add.at(np.zeros(3), [0, 1], [1, 2, 3])')).type).toBe('ValueError');
    expect(fail(evaluate('np.add.at(np.zeros(3), [0.5], 1)')).type).toBe('IndexError');
    expect(fail(evaluate('np.add.at(5, [0], 1)')).type).toBe('TypeError');
    expect(fail(evaluate('np.subtract.at(np.zeros(3, dtype=bool), [0], True)')).type).toBe('TypeError');
    expect(evaluate('z = np.zeros(3, dtype=bool)\nnp.add.at(z, [1, 1], True)\nz')).toMatchObject({ ok: true, value: { dtype: 'bool', data: [false, true, false] } });
  });
  it('limits: a huge index list is refused before it is built, and time is bounded', () => {
    const e = fail(evaluate('z = np.zeros(3)\nnp.add.at(z, np.zeros(10**7, dtype=int), 1)'));
    expect(e).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    const e2 = fail(evaluate('z = np.zeros(3)\nnp.add.at(z, np.zeros((1000, 10**4), dtype=int), 1)'));
    expect(e2).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    const e3 = fail(evaluate('z = np.zeros(3)\ni = np.zeros(10**6, dtype=int)\nfor k in range(100):\n    np.add.at(z, i, 1)'));
    expect(e3.limit === 'maxTotalElements' || e3.limit === 'timeoutMs').toBe(true);
  });
});

describe('rint', () => {
  it('rounds half to even and returns floats', () => {
    expect(evaluate('np.rint(np.array([0.5, 1.5, 2.5, 3.5, -2.5])), np.rint(np.arange(3)).dtype == np.float32, np.rint(2.5)')).toMatchObject({
      ok: true,
      value: [{ dtype: 'float32', data: [0, 2, 2, 4, -2] }, true, 2],
    });
  });
});

describe('einsum', () => {
  it('matches matmul for the course forms', () => {
    const r = evaluate(
      "x = np.random.randn(2, 3, 4)\ny = np.random.randn(2, 4)\nq = np.random.randn(2, 2, 3, 5)\nk = np.random.randn(2, 2, 4, 5)\n" +
        "[np.allclose(np.einsum('bth,bh->bt', x, y), (x @ y[:, :, None])[:, :, 0], atol=1e-5),\n" +
        " np.allclose(np.einsum('bhqd,bhkd->bhqk', q, k), q @ k.transpose(0, 1, 3, 2), atol=1e-5),\n" +
        " np.allclose(np.einsum('ij,jk', x[0], y.T), x[0] @ y.T, atol=1e-5),\n" +
        " np.einsum('ij,jk->ik', x[0], y.T).shape]",
    );
    expect(r).toMatchObject({ ok: true, value: [true, true, true, [3, 2]] });
  });
  it('refuses ellipsis with a Japanese message', () => {
    const e = fail(evaluate("np.einsum('...ij,...jk->...ik', np.ones((2, 2, 2)), np.ones((2, 2, 2)))"));
    expect(e.type).toBe('ValueError');
    expect(e.message).toContain('省略記号');
  });
  it('refuses bad subscripts and arguments', () => {
    expect(fail(evaluate("np.einsum('i1,1', np.ones(2), np.ones(2))")).type).toBe('ValueError');
    expect(fail(evaluate("np.einsum('i->i->i', np.ones(2))")).type).toBe('ValueError');
    expect(fail(evaluate('np.einsum(1, np.ones(2))')).type).toBe('TypeError');
    expect(fail(evaluate("np.einsum('i')")).type).toBe('ValueError');
    expect(fail(evaluate("np.einsum('i', np.ones(2), out=np.ones(2))")).type).toBe('TypeError');
    expect(evaluate("np.einsum('i,i', np.ones(2), np.ones(2), optimize=True)")).toMatchObject({ ok: true, value: 2 });
  });
  it('limits: output and work are refused before allocating', () => {
    const out = fail(evaluate("a = np.ones(10**4)\nnp.einsum('i,j->ij', a, a)"));
    expect(out).toMatchObject({ type: 'MemoryError', limit: 'maxArrayElements' });
    const work = fail(evaluate("a = np.ones((1000, 1000))\nnp.einsum('ij,jk->ik', a, a)"));
    expect(work).toMatchObject({ type: 'MemoryError', limit: 'maxTotalElements' });
    const three = fail(evaluate("a = np.ones((300, 300))\nnp.einsum('ij,jk,kl->il', a, a, a)"));
    expect(three).toMatchObject({ type: 'MemoryError', limit: 'maxTotalElements' });
    const t0 = performance.now();
    const slow = fail(evaluate("a = np.ones((100, 100))\nfor i in range(10**4):\n    np.einsum('ij,jk->ik', a, a)"));
    expect(slow.limit === 'maxTotalElements' || slow.limit === 'timeoutMs').toBe(true);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});
