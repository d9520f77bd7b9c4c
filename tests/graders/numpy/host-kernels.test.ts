// The cpu backend's JS kernels (graders/numpy/host.ts) against the tf ops they replace: each program runs on
// the cpu backend (JS kernels) and on the cpu backend's kernels registered under another name (the tf path,
// as on webgl), and the stored values must be identical bit for bit (NaN, -0, float32 rounding, int32 wrap).
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { evaluateWith } from '../../../graders/numpy/index';

const TF_PATH = 'cpu-as-gpu';
if (!tf.findBackendFactory(TF_PATH)) {
  tf.registerBackend(TF_PATH, () => new MathBackendCPU(), -1);
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: TF_PATH });
}

const PRELUDE = [
  'f = np.array([0.0, -0.0, 1.5, -2.25, 1e30, -1e-30, np.nan, np.inf, -np.inf, 3.7, 0.1, -7.0])',
  'a = np.sin(np.arange(24.0) * 1.7).reshape(2, 3, 4) * 1000',
  'b = np.cos(np.arange(12.0) * 0.3).reshape(3, 4)',
  'm = (np.arange(12) * 123457 - 700000).reshape(3, 4)',
  'big = np.array([2147483647, -2147483647, 46341, 65536])',
  'mask = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])',
  'W = np.sin(np.arange(100.0 * 7)).reshape(100, 7)',
  'X = np.cos(np.arange(5 * 100.0) * 0.37).reshape(5, 100)',
  '',
].join('\n');

const PROGRAMS: string[] = [
  'a + b', 'a - b[0]', 'a * b[:, :1]', 'a / b', 'b / a', 'a + 0.1', '0.1 - a', '1 / (1 + np.exp(-a))',
  'f + f[::-1]', 'f * f', 'f / f[::-1]', 'f - 0.1', '-f', 'f ** 2', 'f ** 0.5', '2.5 ** f', 'f ** f[::-1]', 'b ** 3',
  'np.exp(f)', 'np.tanh(f)', 'np.exp(a)', 'np.tanh(a / 100)',
  'm + 1', 'm - 2**31 + 5', 'm * 100000', 'm * 2**40', 'big * big', 'big + big', '-big', '-m', 'm / 7', 'm / 0', 'm + 0.1',
  'm * True', 'True + m', 'mask * 2.5', 'mask + m', 'm - mask', 'mask / 3', 'np.exp(m / 1e6)', 'np.tanh(m)', 'np.exp(mask)',
  'b + m', 'm * b', 'big / 3', 'a[1] + m', 'np.exp(a[0] / 1000) * mask',
  'X.dot(W)', 'X @ W', 'W.T.dot(X.T)', 'b.dot(b.T)', 'm.dot(b.T)', 'b.T.dot(m)', 'np.dot(f[:4], b.T)', 'b.dot(f[:4])',
  'np.sum(a)', 'a.sum(axis=0)', 'a.sum(axis=1)', 'a.sum(axis=(0, 2))', 'a.sum(axis=-1, keepdims=True)', 'f.sum()', 'np.sum(f[:6])',
  'm.sum(axis=0)', 'big.sum()', 'mask.sum(axis=1)', 'np.sum(mask)', 'np.zeros((2, 0)).sum(axis=1)', 'np.sum(W * 1e7, axis=0)',
  'np.hstack((b, m, mask))', 'np.concatenate([a, a[:, :1]], axis=1)', 'np.concatenate([m, b], axis=0)', 'np.vstack([f[:4], big])',
  'np.concatenate([a, a], axis=2)', 'np.concatenate([f, -f])', 'np.concatenate([mask, mask], axis=1)', 'np.concatenate([b, np.zeros((3, 0))], axis=1)',
  // a widening cast on cpu keeps the stored ints; a contiguous slice keeps them too, a strided one rounds
  'big.astype(float)[:3] - 2147483000', 'big.astype(float)[::2] - 2147483000', 'big.astype(float)[None, 1:] - 2147483000',
  'mask.astype(float)[1] * 3', 'mask.astype(int)[1:, 1:3] + 1',
  'a.T', 'np.transpose(a, (1, 0, 2))', 'm.T', 'mask.T', 'f[::-2]', 'a[:, ::-1, 1::2]', 'a[..., None, 2]', 'm[::-1, 3:0:-2]', 'mask[1:, ::2]',
  'z = np.zeros((2, 3, 4))\nfor t in range(3):\n    z[:, t, :] = a[:, t, :] * 2\nz',
  'z = m.copy()\nz[1:, ::2] = np.array([2.9, -2.9])\nz',
  'z = mask.copy()\nz[0] = np.array([0.0, 0.5, np.nan, 0.0])\nz',
  'z = b.copy()\nz[...] = m\nz',
];

type Raw = { ok: true; dtype: string; shape: number[]; data: number[] } | { ok: false; error: string };

function run(code: string): Raw {
  const r = evaluateWith(PRELUDE + code, {}, {}, ({ value }) => {
    if (value.kind !== 'array') throw new Error(`not an array: ${value.kind}`);
    return { dtype: value.dtype, shape: value.shape, data: Array.from(value.t.dataSync()) };
  });
  return r.ok ? { ok: true, dtype: r.dtype, shape: r.shape, data: r.data } : { ok: false, error: `${r.error.type}: ${r.error.message}` };
}

describe('cpu JS kernels give the tf ops\' values bit for bit', () => {
  it.each(PROGRAMS)('%s', async (code) => {
    expect(await initBackend('cpu')).toBe('cpu');
    const host = run(code);
    await tf.setBackend(TF_PATH);
    const viaTf = run(code);
    await tf.setBackend('cpu');
    expect(host.ok).toBe(true);
    expect(viaTf.ok).toBe(true);
    if (!host.ok || !viaTf.ok) return;
    expect([host.dtype, host.shape]).toEqual([viaTf.dtype, viaTf.shape]);
    const diff = host.data.findIndex((x, i) => !Object.is(x, viaTf.data[i]));
    expect(diff < 0 ? null : { at: diff, host: host.data[diff], tf: viaTf.data[diff] }).toBeNull();
    expect(host.data.length).toBe(viaTf.data.length);
  });
});

// Pure copies (slices, transposes, concatenations) are done in JS on wasm too, for small tensors: their values
// must equal the cpu backend's exactly, on both sides of the size bound. The inputs are data, not computed (the
// backends' sin differs in the last bit).
const nd = (shape: number[], f: (i: number) => number, dtype: 'float32' | 'int32' | 'bool' = 'float32') => ({
  dtype,
  shape,
  data: Array.from({ length: shape.reduce((x, y) => x * y, 1) }, (_, i) => (dtype === 'bool' ? f(i) > 0 : f(i))),
});
const COPY_INPUTS = {
  a: nd([2, 3, 4], (i) => Math.sin(i * 1.7) * 1000),
  b: nd([3, 4], (i) => Math.cos(i * 0.3)),
  m: nd([3, 4], (i) => i * 123457 - 700000, 'int32'),
  f: nd([6], (i) => [0, -0, 1.5, -2.25, 1e30, -1e-30][i]!),
  big: nd([4], (i) => [2147483647, -2147483647, 46341, 65536][i]!, 'int32'),
  mask: nd([3, 4], (i) => Math.sin(i * 2.1), 'bool'),
  W: nd([100, 7], (i) => Math.sin(i)),
  L: nd([60, 100], (i) => Math.sin(i)),
  Li: nd([60, 100], (i) => i, 'int32'),
};
const COPIES: string[] = [
  'a[:, ::-1, 1::2]', 'a[..., None, 2]', 'a[1, :, -1]', 'm[::-1, 3:0:-2]', 'mask[1:, ::2]', 'f[::-2]',
  'a.T', 'np.transpose(a, (1, 0, 2))', 'm.T', 'mask.T', 'W.T',
  'np.hstack((b, m, mask))', 'np.concatenate([a, a[:, :1]], axis=1)', 'np.vstack([f[:4], big])', 'np.concatenate([f, f[::-1]])',
  'np.concatenate([mask, mask], axis=1)',
  'z = np.zeros((2, 3, 4))\nfor t in range(3):\n    z[:, t, :] = a[:, t, :]\nz',
  'L[::-3, 5:90:7].T', 'np.concatenate([Li, L[:, :3]], axis=1)[:, 97:]', 'L.T[::7]',
];

function runWith(code: string): Raw {
  const r = evaluateWith(code, COPY_INPUTS, {}, ({ value }) => {
    if (value.kind !== 'array') throw new Error(`not an array: ${value.kind}`);
    return { dtype: value.dtype, shape: value.shape, data: Array.from(value.t.dataSync()) };
  });
  return r.ok ? { ok: true, dtype: r.dtype, shape: r.shape, data: r.data } : { ok: false, error: `${r.error.type}: ${r.error.message}` };
}

describe('copies in JS on wasm equal the cpu backend\'s values', () => {
  it.each(COPIES)('%s', async (code) => {
    expect(await initBackend('cpu')).toBe('cpu');
    const cpu = runWith(code);
    expect(await initBackend('wasm')).toBe('wasm');
    const wasm = runWith(code);
    await tf.setBackend('cpu');
    expect(cpu.ok && wasm.ok).toBe(true);
    if (!cpu.ok || !wasm.ok) return;
    expect([wasm.dtype, wasm.shape]).toEqual([cpu.dtype, cpu.shape]);
    const diff = wasm.data.findIndex((x, i) => !Object.is(x, cpu.data[i]));
    expect(diff < 0 ? null : { at: diff, wasm: wasm.data[diff], cpu: cpu.data[diff] }).toBeNull();
  });
});
