/**
 * Normalisation of typed answers, so that equivalent spellings compare equal:
 * full-width → half-width (NFKC), case, white space, and the multiplication signs ×, ✕, *, ･ unified to `x`.
 */
export function normalizeText(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[×✕✖*∗·・]/g, 'x')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[。、，,．.!！?？]+$/u, '');
}

/**
 * The sentences of a written answer, each normalised as normalizeText does. A sentence ends at 。．.！？!?;；
 * or a line break; a point between digits (0.5) does not end one.
 */
export function sentencesOf(input: string): string[] {
  return input
    .normalize('NFKC')
    .split(/[。!?;\n\r]|(?<!\d)\.|\.(?!\d)/u)
    .map(normalizeText)
    .filter((s) => s !== '');
}

/**
 * Reads a number written the ways learners write them: `0.25`, `.25`, `-1e-3`, `1/4`, `25%`, `1,024`,
 * full-width digits. Returns undefined when the text is not a number (a format error, not a wrong answer).
 */
export function parseNumber(input: string): number | undefined {
  const text = input.normalize('NFKC').replace(/[\s]+/g, '').replace(/[−–]/g, '-');
  if (text === '') return undefined;
  const fraction = /^([+-]?\d+(?:\.\d+)?)\/([+-]?\d+(?:\.\d+)?)$/.exec(text);
  if (fraction) {
    const denominator = Number(fraction[2]);
    return denominator === 0 ? undefined : Number(fraction[1]) / denominator;
  }
  const percent = /^(.*)%$/.exec(text);
  if (percent) {
    const value = parseDecimal(percent[1] ?? '');
    return value === undefined ? undefined : value / 100;
  }
  return parseDecimal(text);
}

function parseDecimal(text: string): number | undefined {
  // Thousands separators only in their proper place (1,024 but not 1,02).
  const plain = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text) ? text.replace(/,/g, '') : text;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(plain)) return undefined;
  const value = Number(plain);
  return Number.isFinite(value) ? value : undefined;
}

/** numpy.isclose-like comparison; with an explicit tolerance, an absolute one. */
export function numbersMatch(expected: number, actual: number, tolerance?: number): boolean {
  if (tolerance !== undefined) return Math.abs(expected - actual) <= tolerance + 1e-12;
  return Math.abs(expected - actual) <= 1e-9 + 1e-6 * Math.abs(expected);
}
