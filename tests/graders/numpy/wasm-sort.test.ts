// np.sort on the wasm backend: tfjs-wasm 4.22's gather with batchDims gave every later row the first row's values,
// so the interpreter sorts through flat indices. Expected values are numpy's (checked with python3).
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../graders/numpy/backend-node';
import { evaluate } from '../../../graders/numpy/index';

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

describe('np.sort along an axis on wasm', () => {
  it('sorts every row of a 2-D array, not only the first', () => {
    const r = evaluate('x = np.array([[10, 11, 12], [20, 21, 22], [5, 3, 4]])\nnp.sort(x[:, ::-1], axis=1).tolist()');
    expect(r).toMatchObject({ ok: true, value: [[10, 11, 12], [20, 21, 22], [3, 4, 5]] });
  });

  it('sorts a 3-D array along its last and its middle axis', () => {
    const src = 'y = np.array([[[3., 1., 2.], [9., 7., 8.]], [[0., 5., -1.], [2., 2., 1.]]])\n';
    expect(evaluate(`${src}np.sort(y, axis=2).tolist()`)).toMatchObject({
      ok: true,
      value: [[[1, 2, 3], [7, 8, 9]], [[-1, 0, 5], [1, 2, 2]]],
    });
    expect(evaluate(`${src}np.sort(y, axis=1).tolist()`)).toMatchObject({
      ok: true,
      value: [[[3, 1, 2], [9, 7, 8]], [[0, 2, -1], [2, 5, 1]]],
    });
  });
});
