import { describe, expect, it } from 'vitest';
import { choiceIdForKey, choiceKeysHint } from '../../../app/sessions/[id]/choice-keys';

const five = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));

describe('choiceIdForKey', () => {
  it('picks the n-th choice by digit and a choice by its letter, either case', () => {
    expect(choiceIdForKey('1', five)).toBe('a');
    expect(choiceIdForKey('4', five)).toBe('d');
    expect(choiceIdForKey('d', five)).toBe('d');
    expect(choiceIdForKey('E', five)).toBe('e');
  });

  it('ignores keys beyond the choices and keys that are not picks', () => {
    expect(choiceIdForKey('6', five)).toBeUndefined();
    expect(choiceIdForKey('f', five)).toBeUndefined();
    expect(choiceIdForKey('0', five)).toBeUndefined();
    expect(choiceIdForKey('Enter', five)).toBeUndefined();
    expect(choiceIdForKey('m', five)).toBeUndefined();
  });
});

describe('choiceKeysHint', () => {
  it('names the letters and digits of this question', () => {
    expect(choiceKeysHint(five)).toBe('a〜e（または 1〜5）');
    expect(choiceKeysHint(undefined)).toBe('a〜i（または 1〜9）');
  });
});
