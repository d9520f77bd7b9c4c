import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../graders/answers/normalize';
import { buildBank } from '../../../server/bank/bank';

/** A stem reduced to its words: math, punctuation and white space dropped, width and case folded. */
function normalisedStem(prompt: string): string {
  return normalizeText(prompt).replace(/[\p{P}\p{S}]/gu, '');
}

describe('the bank', () => {
  it('has no two questions with the same normalised stem and choices', () => {
    const bank = buildBank(path.resolve(__dirname, '..', '..', '..', 'questions'));
    const seen = new Map<string, string>();
    const duplicates: string[] = [];
    for (const q of bank.questions) {
      const choices = q.kind === 'choice' || q.kind === 'multi' ? q.choices.map((c) => c.text).join('|') : '';
      const key = normalisedStem(q.prompt) + '#' + normalisedStem(choices);
      const other = seen.get(key);
      if (other) duplicates.push(`${other} = ${q.id}`);
      seen.set(key, q.id);
    }
    expect(duplicates).toEqual([]);
  });
});
