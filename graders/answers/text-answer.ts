import { normalizeText } from './normalize';

/**
 * Matching of short text answers (`kind: text`). Beyond normalizeText, spellings that name the same term compare equal:
 * long vowel marks (エンコーダー / エンコーダ), middle dots and hyphens as separators (エンコーダ・デコーダ,
 * Source-Target), the tilde family (z∼N, z〜N), a leading English article, and a gloss in Latin letters in parentheses
 * (分布仮説（distributional hypothesis）, Gated Recurrent Unit（GRU）): the answer is read with and without it. A gloss
 * in Japanese is part of the answer, so 「オンポリシー（オフポリシー）」 cannot hedge between two terms.
 */

/** ・ ･ · between two digits is a multiplication sign (3・3), which normalizeText keeps as `x`; elsewhere a separator. */
const SEPARATOR_DOT = /(?<!\d)[・･·]|[・･·](?!\d)/gu;
const HYPHENS = /[-‐‑‒–—―−]/gu;
const LONG_VOWEL = /[ーｰ]/gu;
const TILDES = /[~∼〜～]/gu;
const PARENTHESISED = /[（(]([^（）()]*)[）)]/gu;
const LATIN_GLOSS = /^[\p{Script=Latin}\d\s.,:;'’\-+*\/=<>~∼^_|]*$/u;

/** One spelling reduced to the characters that tell terms apart. */
export function textKey(input: string): string {
  const plain = input
    .normalize('NFKC')
    .replace(/^\s*(?:the|an?)\s+(?=[a-z])/iu, '')
    .replace(SEPARATOR_DOT, '')
    .replace(LONG_VOWEL, '')
    .replace(TILDES, '~');
  return normalizeText(plain).replace(HYPHENS, '');
}

/** The readings of an answer: as written, and without its parenthesised glosses when all of them are in Latin letters. */
export function textReadings(input: string): string[] {
  const nfkc = input.normalize('NFKC');
  const glosses = [...nfkc.matchAll(PARENTHESISED)].map((m) => m[1] ?? '');
  const readings = [nfkc];
  if (glosses.length > 0 && glosses.every((g) => LATIN_GLOSS.test(g))) readings.push(nfkc.replace(PARENTHESISED, ' '));
  return [...new Set(readings.map(textKey).filter((k) => k !== ''))];
}

/**
 * Whether a typed answer names the keyed term: some reading of it equals some accepted spelling, or an accepted
 * spelling followed by one of the item's allowed endings (「オフポリシー」 + 「学習」).
 */
export function textMatches(answer: string, accepted: readonly string[], suffixes: readonly string[] = []): boolean {
  const keys = new Set(accepted.flatMap(textReadings));
  const endings = suffixes.map(textKey).filter((s) => s !== '');
  return textReadings(answer).some((reading) => {
    if (keys.has(reading)) return true;
    return endings.some((ending) => reading.endsWith(ending) && keys.has(reading.slice(0, -ending.length)));
  });
}
