import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeAnswer } from '../../../graders/answers/grade-answer';
import { buildBank } from '../../../server/bank/bank';

// Every text item lists, in near-misses/<chapter>.ts, right spellings that must be accepted and near-misses that must not.
const modules = import.meta.glob<{ nearMisses: Record<string, { right: string[]; wrong: string[] }> }>('./near-misses/*.ts', { eager: true });
const cases = new Map<string, { right: string[]; wrong: string[] }>();
for (const [file, mod] of Object.entries(modules)) {
  for (const [id, entry] of Object.entries(mod.nearMisses)) {
    if (cases.has(id)) throw new Error(`${id} is listed twice (${file})`);
    cases.set(id, entry);
  }
}

const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
const textItems = bank.questions.filter((q) => q.kind === 'text');

describe('text answers: right spellings accepted, near-misses rejected', () => {
  it('has text items to check', () => {
    expect(textItems.length).toBeGreaterThanOrEqual(8);
  });

  it.each(textItems.map((q) => [q.id, q] as const))('%s', (id, q) => {
    const entry = cases.get(id);
    expect(entry, `${id} needs an entry in tests/server/bank/near-misses/${q.chapter}.ts`).toBeDefined();
    expect(entry!.right.length, `${id}: at least 3 right spellings`).toBeGreaterThanOrEqual(3);
    expect(entry!.wrong.length, `${id}: at least 2 near-misses`).toBeGreaterThanOrEqual(2);
    for (const value of entry!.right) {
      expect(gradeAnswer(q, { type: 'text', value }), `${id}: 「${value}」 should be right`).toMatchObject({ ok: true, graded: { verdict: 'correct' } });
    }
    for (const value of entry!.wrong) {
      expect(gradeAnswer(q, { type: 'text', value }), `${id}: 「${value}」 should be wrong`).toMatchObject({ ok: true, graded: { verdict: 'incorrect' } });
    }
  });

  it('lists no id that is not a text item', () => {
    const ids = new Set(textItems.map((q) => q.id));
    expect([...cases.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });
});
