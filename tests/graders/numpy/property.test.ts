import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { evaluate } from '../../../graders/numpy/index';

// Hostile or random code must always come back as a value: ok, or a clean Python-class error. Never a throw, a hang,
// a crash, or a leaked tensor.
const ERROR_TYPES = new Set([
  'SyntaxError', 'NameError', 'AttributeError', 'TypeError', 'ValueError', 'IndexError', 'KeyError', 'ZeroDivisionError',
  'RecursionError', 'TimeoutError', 'MemoryError', 'OverflowError', 'ImportError', 'NotImplementedError', 'UnboundLocalError',
  'StopIteration', 'AssertionError', 'LinAlgError', 'RuntimeError', 'AxisError',
]);
const LIMITS = { timeoutMs: 300, maxSteps: 20_000, maxTotalElements: 200_000 };
const INPUTS = {
  a: { dtype: 'float32' as const, shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
  v: { dtype: 'float32' as const, shape: [3], data: [0.5, -1, 2] },
};

beforeAll(async () => {
  await initBackend('cpu');
});

function expectClean(code: string): boolean {
  const before = tf.memory().numTensors;
  const r = evaluate(code, INPUTS, LIMITS);
  expect(tf.memory().numTensors, code).toBe(before);
  if (!r.ok) {
    expect(ERROR_TYPES.has(r.error.type), `${code} → ${r.error.type}: ${r.error.message}`).toBe(true);
    expect(r.error.message.length).toBeGreaterThan(0);
  }
  return r.ok;
}

const TOKENS = [
  'a', 'v', 'x', 'np', 'np.dot', 'np.concatenate', 'np.zeros', 'np.exp', 'np.sum', '.T', '.shape', '.reshape', 'sum', 'len', 'range',
  'print', 'lambda', 'def', 'return', 'for', 'in', 'if', 'else', 'while', 'True', 'None', 'import', 'os', '__class__', '__proto__',
  'constructor', 'eval', 'getattr', 'globals', 'process', 'require', '(', ')', '[', ']', '{', '}', ':', ',', '.', '=', '+', '-', '*',
  '/', '//', '%', '**', '@', '<', '==', 'and', 'not', '::-1', '0', '1', '2', '-1', '1e9', '1.5', "'k'", '\n', '\n    ', ' ',
];

describe('the interpreter under random input (fast-check)', () => {
  it('answers token soup with a value or a clean error', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }), (tokens) => {
        expectClean(tokens.join(' '));
      }),
      { numRuns: 400, seed: 20261128 },
    );
  });

  it('answers arbitrary unicode text with a value or a clean error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'binary' }), (text) => {
        expectClean(text);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  // Well-formed numpy expressions over a (2, 3) and v (3,): results or numpy errors (shape mismatches), nothing else.
  const leaf = fc.constantFrom('a', 'v', 'a.T', '2', '0.5', 'np.ones((3, 3))', 'np.arange(6).reshape(2, 3)', 'a[::-1]', 'a[:, 1:]', 'v[v > 0]');
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '@', '**', '//', '%', '>'), tie('e')).map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc.tuple(fc.constantFrom('np.exp', 'np.tanh', 'np.sum', 'np.mean', 'np.max', 'np.abs', 'np.sqrt', 'np.transpose'), tie('e')).map(([f, x]) => `${f}(${x})`),
      fc.tuple(tie('e'), tie('e'), fc.constantFrom(0, 1, -1)).map(([l, r, ax]) => `np.concatenate([${l}, ${r}], axis=${ax})`),
      fc.tuple(tie('e'), fc.constantFrom('.sum(axis=0)', '.mean(axis=-1, keepdims=True)', '.reshape(-1)', '.T', '[0]', '[..., None]')).map(([x, m]) => `${x}${m}`),
    ),
  })).e;

  it('evaluates random valid numpy expressions to a value or a numpy error', () => {
    let ok = 0;
    fc.assert(
      fc.property(expr, (code) => {
        if (expectClean(code)) ok += 1;
      }),
      { numRuns: 400, seed: 42 },
    );
    expect(ok).toBeGreaterThan(80); // most generated programs are valid numpy, so this exercises real evaluation
  });
});
