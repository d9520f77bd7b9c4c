import { describe, expect, it } from 'vitest';
import { FLOAT32_TOLERANCE, compareValues } from '../../../graders/code/compare';
import type { JsonValue } from '../../../graders/numpy/json-values';

const nd = (shape: number[], data: number[]): JsonValue => ({ dtype: 'float32', shape, data });

describe('compareValues', () => {
  const expected: JsonValue = [nd([2], [1, 2]), nd([2, 2], [1, 2, 3, 4])];

  it('agrees within the float32 tolerance', () => {
    expect(compareValues(expected, [nd([2], [1, 2.00001]), nd([2, 2], [1, 2, 3, 4])], FLOAT32_TOLERANCE)).toBeUndefined();
  });

  it('names the tuple item that differs by position without names', () => {
    expect(compareValues(expected, [nd([2], [1, 2]), nd([2, 2], [1, 2, 3, 5])], FLOAT32_TOLERANCE)).toMatchObject({
      kind: 'value',
      path: '[1]',
      index: [1, 1],
      message: '[1] 値が違います: 位置 [1, 1] で期待 4、実際 5',
    });
  });

  it('names it by the grader’s result names: the shape, then the first differing element', () => {
    const names = ['h_next', 'dWh'];
    expect(compareValues(expected, [nd([2], [1, 2]), nd([2, 1], [1, 2])], FLOAT32_TOLERANCE, '', names)).toMatchObject({
      kind: 'shape',
      path: 'dWh',
      message: 'dWh の形が違います: 期待 (2, 2)、実際 (2, 1)',
    });
    expect(compareValues(expected, [nd([2], [1, 2.5]), nd([2, 2], [1, 2, 3, 4])], FLOAT32_TOLERANCE, '', names)?.message).toBe(
      'h_next の値が違います: 位置 [1] で期待 2、実際 2.5',
    );
  });
});
