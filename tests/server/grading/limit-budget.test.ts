import { describe, expect, it } from 'vitest';
import { LimitBudget } from '../../../server/grading/limit-budget';

describe('budget of submissions that hit a limit', () => {
  it('allows `limit` limit hits per window, then refuses until the window has passed', () => {
    let t = 0;
    const budget = new LimitBudget(3, 60_000, () => t);
    for (let i = 0; i < 3; i++) {
      expect(budget.begin('a')).toBe(true);
      budget.end('a', true);
    }
    expect(budget.begin('a')).toBe(false);
    expect(budget.begin('b')).toBe(true); // another learner is not affected
    t += 60_001;
    expect(budget.begin('a')).toBe(true);
  });

  it('does not count submissions that ended normally', () => {
    const budget = new LimitBudget(2, 60_000, () => 0);
    for (let i = 0; i < 10; i++) {
      expect(budget.begin('a')).toBe(true);
      budget.end('a', false);
    }
    expect(budget.used('a')).toBe(0);
  });

  it('counts submissions still being graded, so a parallel burst cannot pass the check together', () => {
    const budget = new LimitBudget(2, 60_000, () => 0);
    expect([budget.begin('a'), budget.begin('a'), budget.begin('a')]).toEqual([true, true, false]);
    budget.end('a', false);
    expect(budget.used('a')).toBe(1);
    expect(budget.begin('a')).toBe(true);
  });
});
