import { describe, expect, it } from 'vitest';
import { numbersMatch } from '../../../graders/answers/normalize';
import { roundingProblem, statedRounding, toleranceOf } from '../../../server/bank/rounding';

describe('statedRounding', () => {
  it.each([
    ['値を小数第 3 位まで（第 4 位を四捨五入して）求めよ。', { decimals: 3 }],
    ['小数第２位まで答えよ', { decimals: 2 }],
    ['小数第 3 位を四捨五入して答えよ。', { decimals: 2 }],
    ['有効数字 2 桁で答えよ。', { significant: 2 }],
    ['整数で答えよ。', { decimals: 0 }],
    ['厳密な値（小数でも分数でもよい）で答えよ。', { exact: true }],
    ['分数で答えよ。', { exact: true }],
  ])('%s', (prompt, rounding) => {
    expect(statedRounding(prompt)).toEqual(rounding);
  });

  it('finds nothing in a stem that says nothing', () => {
    expect(statedRounding('IoU を求めよ。小数または分数で答えよ。')).toBeUndefined();
  });
});

describe('toleranceOf', () => {
  it('is 0.6 units of the last stated place', () => {
    expect(toleranceOf({ decimals: 2 }, 0.5625)).toBeCloseTo(0.006, 12);
    expect(toleranceOf({ decimals: 3 }, 0.974)).toBeCloseTo(0.0006, 12);
    expect(toleranceOf({ significant: 3 }, 1234)).toBeCloseTo(6, 9);
    expect(toleranceOf({ significant: 2 }, 0.0281)).toBeCloseTo(0.0006, 12);
    expect(toleranceOf({ exact: true }, 0.75)).toBeUndefined();
  });

  it('accepts the rounded and the exact value, not one unit off', () => {
    const t = toleranceOf({ decimals: 2 }, 0.5625);
    expect(numbersMatch(0.5625, 0.56, t)).toBe(true);
    expect(numbersMatch(0.5625, 0.5625, t)).toBe(true);
    expect(numbersMatch(0.5625, 0.57, t)).toBe(false);
    expect(numbersMatch(0.5625, 0.55, t)).toBe(false);
  });
});

describe('roundingProblem', () => {
  it('asks a non-integer answer for a stated rounding', () => {
    expect(roundingProblem('IoU を求めよ。', 0.5625, undefined)).toMatch(/^答えが整数でない数値問題は、問題文に丸め方を書いてください/);
    expect(roundingProblem('個数を求めよ。', 784, undefined)).toBeUndefined();
  });

  it('refuses an explicit tolerance that is not the stated rounding’s', () => {
    expect(roundingProblem('小数第 3 位まで答えよ。', 0.974, 0.001)).toBe('tolerance は問題文の丸め方から決まるので書かないでください');
    expect(roundingProblem('小数第 3 位まで答えよ。', 0.974, toleranceOf({ decimals: 3 }, 0.974))).toBeUndefined();
    expect(roundingProblem('分数で答えよ。', 0.75, undefined)).toBeUndefined();
  });
});
