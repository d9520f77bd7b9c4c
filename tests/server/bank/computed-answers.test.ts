import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { numbersMatch } from '../../../graders/answers/normalize';
import { buildBank } from '../../../server/bank/bank';

// Numeric answers are computed values: each one is recomputed here by the code in computed/<chapter>.ts.
const modules = import.meta.glob<{ computed: Record<string, number> }>('./computed/*.ts', { eager: true });
const computed = new Map<string, number>();
for (const [file, mod] of Object.entries(modules)) {
  for (const [id, value] of Object.entries(mod.computed)) {
    if (computed.has(id)) throw new Error(`${id} is computed twice (${file})`);
    computed.set(id, value);
  }
}

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
const numeric = bank.questions.filter((q) => q.kind === 'numeric');

describe('numeric answers recomputed by code', () => {
  it.each(numeric.map((q) => [q.id, q] as const))('%s', (id, q) => {
    if (q.kind !== 'numeric') return;
    const value = computed.get(id);
    expect(value, `${id} needs an entry in tests/server/bank/computed/${q.chapter}.ts`).toBeDefined();
    expect(numbersMatch(value!, q.answer, q.tolerance), `${id}: file says ${q.answer}, code computes ${value}`).toBe(true);
  });

  it('has no computed entry without its question', () => {
    const ids = new Set(numeric.map((q) => q.id));
    expect([...computed.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });
});
