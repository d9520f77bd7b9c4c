import type { CaseRng } from '../../code/rng';
import type { CodeGrader } from '../../code/types';

const VOCAB = ['the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'is'];

/** n-gram counts in first-occurrence order, like a Python dict filled left to right. */
function ngramCounts(words: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const key = words.slice(i, i + n).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Every case has an n-gram the candidate repeats more often than the reference (clipping matters), one it uses
 * less often than the reference, and one the reference lacks, so each wrong choice fails on every case.
 */
function wellFormed(candidate: string[], reference: string[], n: number): boolean {
  const cand = ngramCounts(candidate, n);
  const ref = ngramCounts(reference, n);
  const pairs = [...cand].map(([g, c]) => [c, ref.get(g) ?? 0] as const);
  return pairs.some(([c, r]) => c > r && r > 0) && pairs.some(([c, r]) => c < r) && pairs.some(([, r]) => r === 0);
}

function words(rng: CaseRng, length: number): string[] {
  return Array.from({ length }, () => rng.pick(VOCAB));
}

export const transformerBleuClippedCountCode: CodeGrader = {
  key: 'transformer-bleu-clipped-count-code',
  prelude: `def _ngram_counts(words, n):
    counts = {}
    for i in range(len(words) - n + 1):
        ngram = tuple(words[i:i + n])
        counts[ngram] = counts.get(ngram, 0) + 1
    return counts
`,
  call: 'clipped_precision(candidate, reference, n)',
  knownWrong: ['min(count, ref_counts[ngram])', 'min(count, 1)', 'count - ref_counts.get(ngram, 0)'],
  cases: 6,
  makeCase(rng, index) {
    const n = index % 2 === 0 ? 1 : 2;
    for (;;) {
      const reference = words(rng, rng.int(6, 9));
      // The candidate copies pieces of the reference, repeats one of them and adds a few random words.
      const start = rng.int(0, reference.length - 3);
      const piece = reference.slice(start, start + rng.int(2, 3));
      const candidate = [...words(rng, rng.int(0, 2)), ...piece, ...piece, ...words(rng, rng.int(1, 3))];
      if (wellFormed(candidate, reference, n)) return { candidate, reference, n };
    }
  },
  reference(inputs) {
    const n = inputs.n as number;
    const cand = ngramCounts(inputs.candidate as string[], n);
    const ref = ngramCounts(inputs.reference as string[], n);
    const blanks = [...cand].map(([g, c]) => Math.min(c, ref.get(g) ?? 0));
    const total = [...cand.values()].reduce((a, b) => a + b, 0);
    return { result: blanks.reduce((a, b) => a + b, 0) / total, blanks };
  },
};
