/**
 * The rounding a numeric stem asks for, and the tolerance that follows from it. A learner who rounds as told, or types
 * the exact value, is right; one who is off by a unit in the stated place is not. The stem says it in one of these ways:
 * - 「小数第 N 位まで」 (N decimals; 「小数第 N+1 位を四捨五入」 alone says the same);
 * - 「有効数字 N 桁」 (N significant digits);
 * - 「整数で」「整数に丸め」 (0 decimals);
 * - 「厳密な値」「分数でもよい」 (the exact value: a relative 1e-6, as for an integer count).
 */

export type Rounding = { decimals: number } | { significant: number } | { exact: true };

/** A rounded value may sit this far from the exact one, in units of the last stated place (½ a unit, and room for a stored answer rounded once more). */
const UNITS = 0.6;

export function statedRounding(prompt: string): Rounding | undefined {
  const text = prompt.normalize('NFKC');
  const upTo = /小数第\s*(\d+)\s*位まで/u.exec(text);
  if (upTo) return { decimals: Number(upTo[1]) };
  const roundAt = /小数第\s*(\d+)\s*位を四捨五入/u.exec(text);
  if (roundAt) return { decimals: Math.max(0, Number(roundAt[1]) - 1) };
  const significant = /有効数字\s*(\d+)\s*桁/u.exec(text);
  if (significant) return { significant: Number(significant[1]) };
  if (/整数で(?:答|求)|整数に丸め|四捨五入して整数/u.test(text)) return { decimals: 0 };
  if (/厳密な値|正確な値|分数でもよい|(?<!または|か)分数で(?:答|求)/u.test(text)) return { exact: true };
  return undefined;
}

/** The absolute tolerance for `answer` under a rounding; undefined for an exact answer (numbersMatch's relative default). */
export function toleranceOf(rounding: Rounding, answer: number): number | undefined {
  if ('exact' in rounding) return undefined;
  if ('decimals' in rounding) return UNITS * 10 ** -rounding.decimals;
  const magnitude = answer === 0 ? 0 : Math.floor(Math.log10(Math.abs(answer)));
  return UNITS * 10 ** (magnitude - rounding.significant + 1);
}

/** What is wrong with a numeric item's rounding and tolerance (as loaded: a derived one is fine), or undefined. */
export function roundingProblem(prompt: string, answer: number, tolerance: number | undefined): string | undefined {
  const rounding = statedRounding(prompt);
  if (!rounding) {
    if (Number.isInteger(answer)) return undefined;
    return '答えが整数でない数値問題は、問題文に丸め方を書いてください（「小数第 N 位まで（第 N+1 位を四捨五入）」「有効数字 N 桁」「厳密な値（小数でも分数でもよい）」）';
  }
  if (tolerance !== toleranceOf(rounding, answer)) return 'tolerance は問題文の丸め方から決まるので書かないでください';
  return undefined;
}
