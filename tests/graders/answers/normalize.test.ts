import { describe, expect, it } from 'vitest';
import { normalizeText, numbersMatch, parseNumber, sentencesOf } from '../../../graders/answers/normalize';

describe('normalizeText', () => {
  it('unifies width, case, spaces and multiplication signs', () => {
    expect(normalizeText('３×３')).toBe('3x3');
    expect(normalizeText(' 3 x 3 ')).toBe('3x3');
    expect(normalizeText('3X3')).toBe('3x3');
    expect(normalizeText('3*3')).toBe('3x3');
    expect(normalizeText('Ｆｏｒｇｅｔ　Gate')).toBe('forgetgate');
    expect(normalizeText('確率分布。')).toBe('確率分布');
  });
});

describe('parseNumber', () => {
  it.each([
    ['0.25', 0.25],
    ['.25', 0.25],
    ['1/4', 0.25],
    [' 1 / 4 ', 0.25],
    ['25%', 0.25],
    ['０．２５', 0.25],
    ['-3', -3],
    ['−3', -3],
    ['1e-3', 0.001],
    ['1,024', 1024],
    ['2.', 2],
  ])('reads %s as %d', (text, value) => {
    expect(parseNumber(text)).toBeCloseTo(value, 12);
  });

  it.each(['', 'abc', '1/0', '1,02', '0.2.5', '1//4', 'NaN', 'Infinity'])('refuses %j', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });
});

describe('numbersMatch', () => {
  it('uses a relative tolerance by default and an absolute one when given', () => {
    expect(numbersMatch(0.25, 0.2500001)).toBe(true);
    expect(numbersMatch(0.25, 0.26)).toBe(false);
    expect(numbersMatch(1e6, 1e6 + 0.5)).toBe(true);
    expect(numbersMatch(0.25, 0.2505, 0.001)).toBe(true);
    expect(numbersMatch(0.25, 0.252, 0.001)).toBe(false);
  });
});

describe('sentencesOf', () => {
  it('splits at full stops, line breaks, ！？ and semicolons, not at a decimal point', () => {
    expect(sentencesOf('LSTM は 3 つ。GRU は 2 つ．CEC は？ない！\n- 0.5 倍; 終わり.')).toEqual(['lstmは3つ', 'gruは2つ', 'cecは', 'ない', '-0.5倍', '終わり']);
    expect(sentencesOf('。\n\n')).toEqual([]);
  });
});
