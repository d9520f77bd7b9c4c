import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { choiceReferences } from '../../../server/bank/checks';
import { loadBank } from '../../../server/bank/load';

// The page labels choices a, b, c… by their ids, so a 解説 that says 「したがって d が誤り」 must have a d.
const { questions } = loadBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
const withChoices = questions.flatMap((q) =>
  (q.kind === 'choice' || q.kind === 'multi' || q.kind === 'code') && q.choices ? [{ id: q.id, kind: q.kind, ids: q.choices.map((c) => c.id), explanation: q.explanation }] : [],
);

describe('choice letters named in the 解説 of the real bank', () => {
  it('finds the letters where the 解説 walks through the choices (so a broken pattern cannot pass silently)', () => {
    const named = withChoices.filter((q) => choiceReferences(q.explanation).length > 0);
    if (process.env.KAKUNIN_PRINT_REFS) {
      for (const q of withChoices) console.log(q.id, choiceReferences(q.explanation).map((r) => `${r.letter}「${r.excerpt}」`).join(' '));
    }
    // 128 of the 134 choice/multi items and 8 code items walk through their choices by letter today.
    expect(named.filter((q) => q.kind !== 'code').length).toBeGreaterThanOrEqual(120);
    const letters = named.flatMap((q) => choiceReferences(q.explanation).map((r) => r.letter));
    expect([...new Set(letters)].sort().slice(0, 5)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it.each(withChoices.map((q) => [q.id, q] as const))('%s names only its own choices', (_id, q) => {
    const unknown = choiceReferences(q.explanation).filter((r) => !q.ids.includes(r.letter));
    expect(unknown).toEqual([]);
  });
});
