import { describe, expect, it } from 'vitest';
import { MemoryLimitState } from '../../../server/auth/limit-state';
import { LimitBudget } from '../../../server/grading/limit-budget';

/** Begins and ends one submission; whether it was let in. */
async function submit(budget: LimitBudget, key: string, hitLimit: boolean): Promise<boolean> {
  const reservation = await budget.begin(key);
  if (reservation === null) return false;
  await budget.end(key, reservation, hitLimit);
  return true;
}

describe('budget of submissions that hit a limit', () => {
  it('allows `limit` limit hits per window, then refuses until the window has passed', async () => {
    let t = 0;
    const budget = new LimitBudget(3, 60_000, { name: 'hits', now: () => t });
    for (let i = 0; i < 3; i++) expect(await submit(budget, 'a', true)).toBe(true);
    expect(await budget.begin('a')).toBeNull();
    expect(await submit(budget, 'b', false)).toBe(true); // another learner is not affected
    t += 60_001;
    expect(await budget.begin('a')).toBe(t);
  });

  it('does not count submissions that ended normally', async () => {
    const budget = new LimitBudget(2, 60_000, { name: 'hits', now: () => 0 });
    for (let i = 0; i < 10; i++) expect(await submit(budget, 'a', false)).toBe(true);
    expect(await budget.used('a')).toBe(0);
  });

  it('counts submissions still being graded, so a parallel burst cannot pass the check together', async () => {
    const budget = new LimitBudget(2, 60_000, { name: 'hits', now: () => 0 });
    const reservations = await Promise.all([budget.begin('a'), budget.begin('a'), budget.begin('a')]);
    expect(reservations).toEqual([0, 0, null]);
    await budget.end('a', 0, false);
    expect(await budget.used('a')).toBe(1);
    expect(await budget.begin('a')).toBe(0);
  });

  it('stops counting a submission whose process never ended it after one window, and forgets the key then', async () => {
    let t = 0;
    const state = new MemoryLimitState();
    const budget = new LimitBudget(1, 60_000, { name: 'hits', state, now: () => t });
    expect(await budget.begin('a')).toBe(0); // never ended: the grading process died
    t = 59_999;
    expect(await budget.begin('a')).toBeNull();
    t = 60_000;
    expect(await budget.used('a')).toBe(0);
    expect(state.size).toBe(0);
  });
});
