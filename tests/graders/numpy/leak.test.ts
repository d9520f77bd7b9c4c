// No tfjs tensor may outlive an evaluation: 1000 evaluations (values, errors, limits) leave
// tf.memory().numTensors unchanged.

import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { callFunction, evaluate, runProgram } from '../../../graders/numpy/index';

beforeAll(async () => {
  await initBackend('cpu');
});

const h = { dtype: 'float32' as const, shape: [5, 4], data: Array.from({ length: 20 }, (_, i) => i / 10) };

const snippets: [string, Record<string, unknown>][] = [
  ['np.concatenate([h_f, h_b[::-1]], axis=1)', { h_f: h, h_b: h }],
  ['x = h_f.copy()\nx[x > 1] = 0\nx[:, 1] += 2\nx.sum(axis=0)', { h_f: h }],
  ['np.concatenate([h_f, np.ones((5, 3))], axis=0)', { h_f: h }],
  ['h_f @ h_f', { h_f: h }],
  ['h_f[10]', { h_f: h }],
  ['while True:\n    x = h_f * 2', { h_f: h }],
  ['np.zeros((10**5, 10**5))', {}],
  ['def f(n):\n    return f(n + 1) + np.ones(2)\nf(0)', {}],
  ['x = [', {}],
  ['undefined_name', {}],
  ['rng = np.random.default_rng(1)\nrng.normal(size=(3, 3)).mean()', {}],
  ['for row in h_f:\n    row += 1\nh_f', { h_f: h }],
  ['print(h_f)\nnp.linalg.norm(h_f, axis=1)', { h_f: h }],
];

describe('tensor leaks', () => {
  it('1000 evaluations, including errors and limits, leave numTensors unchanged', () => {
    // warm up caches (parse cache, kernels)
    for (const [code, inputs] of snippets) evaluate(code, inputs as never, { maxSteps: 2000 });
    const before = tf.memory().numTensors;
    let errors = 0;
    for (let i = 0; i < 1000; i++) {
      const [code, inputs] = snippets[i % snippets.length]!;
      const r = evaluate(code, inputs as never, { maxSteps: 2000 });
      if (!r.ok) errors++;
    }
    expect(errors).toBeGreaterThan(300);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('runProgram and callFunction do not leak either', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 200; i++) {
      runProgram('x = np.ones((2, 2))\ny = x * 3', {});
      callFunction('def f(a):\n    return a @ a.T\n', 'f', [h]);
      callFunction('def f(a):\n    return a[99]\n', 'f', [h]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('tensors passed as inputs are neither disposed nor changed', () => {
    const t = tf.tensor2d([[1, 2], [3, 4]]);
    const before = tf.memory().numTensors;
    const r = evaluate('a[0, 0] = 9\na.sum()', { a: t });
    expect(r).toMatchObject({ ok: true, value: 18 });
    expect(t.isDisposed).toBe(false);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3, 4]);
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
  });
});
