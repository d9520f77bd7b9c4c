import type { VerdictCounts } from '@/server/services/review';

export const VERDICT_LABEL = { correct: '正解', partial: '部分正解', incorrect: '不正解' } as const;

/** {answers: 3, correct: 1, partial: 1, incorrect: 1} → "回答 3 回（正解 1・部分正解 1・不正解 1）"; zero counts are left out. */
export function verdictCountsText(c: VerdictCounts): string {
  const parts = (['correct', 'partial', 'incorrect'] as const).filter((v) => c[v] > 0).map((v) => `${VERDICT_LABEL[v]} ${c[v]}`);
  return parts.length === 0 ? `回答 ${c.answers} 回` : `回答 ${c.answers} 回（${parts.join('・')}）`;
}
