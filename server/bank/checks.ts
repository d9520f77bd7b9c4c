/**
 * Content rules the bank lint applies beyond the front matter's types: a question's title, the choice
 * letters its 解説 names, and the blank marks its stem names. Pure functions on strings, shared by the
 * loader and the tests.
 */

export const TITLE_MAX_CHARS = 40;

const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const SLUG_LIKE = /^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$/;

/** Why a title cannot be shown as is in a list of questions, or undefined when it can. */
export function titleProblem(title: string): string | undefined {
  const t = title.trim();
  if (t === '') return 'title が空です。一覧で見分けられる短い日本語の題を書いてください';
  if (/[\r\n]/.test(t)) return 'title は 1 行で書いてください';
  if (/[$\\]/.test(t)) return 'title に LaTeX（$ や \\）は使えません。一覧にそのまま表示できる文字で書いてください';
  if (t.includes('`')) return 'title に Markdown の ` は使えません。一覧にそのまま表示できる文字で書いてください';
  if (SLUG_LIKE.test(t)) return `title「${t}」は id のような英数字の並びです。日本語の題にしてください`;
  if (!JAPANESE.test(t)) return `title「${t}」に日本語がありません。日本語の題にしてください`;
  const length = [...t].length;
  if (length > TITLE_MAX_CHARS) return `title は ${TITLE_MAX_CHARS} 文字以内にしてください（${length} 文字あります）`;
  return undefined;
}

/** The same text with a match blanked out (spaces, line breaks kept), so positions in the result are positions in the source. */
const blank = (match: string): string => match.replace(/[^\n]/g, ' ');

/** Prose only: code blocks, display and inline math, and inline code blanked out (positions kept). */
export function proseOf(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, blank)
    .replace(/\$\$[\s\S]*?\$\$/g, blank)
    .replace(/\$[^$\n]*\$/g, blank)
    .replace(/`[^`\n]*`/g, blank);
}

/**
 * The ways a 解説 names a choice: 「- **c**: …」「**c（正解）**」「（a）」「選択肢 c」「c が誤り」「c の問題」.
 * Only lowercase a–i not touching ASCII letters, digits, `_` or `.`, and only in prose (math and code
 * are stripped first, so `a` as a variable never counts). Upper-case A, B name models or boxes in the bank.
 */
const CHOICE_REFERENCE =
  /\*\*([a-i])(?=\*\*|[（(])|[（(]([a-i])[）)]|選択肢\s*([a-i])(?![A-Za-z0-9_.])|(?<![A-Za-z0-9_.\-])([a-i])\s*(?=が|は|と|の|を|も|で|に|や|、)/gu;

export interface ChoiceReference {
  letter: string;
  /** where the letter itself stands in the 解説 */
  index: number;
  /** a few characters around the match, for messages */
  excerpt: string;
}

export function choiceReferences(explanation: string): ChoiceReference[] {
  const prose = proseOf(explanation);
  const out: ChoiceReference[] = [];
  for (const m of prose.matchAll(CHOICE_REFERENCE)) {
    const letter = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (!letter) continue;
    const at = m.index;
    out.push({ letter, index: at + m[0].indexOf(letter), excerpt: prose.slice(Math.max(0, at - 8), at + m[0].length + 8).replace(/\s+/g, ' ').trim() });
  }
  return out;
}

/** 「空欄 (か)」「空欄（か）」 in a stem: the marks it names. */
const BLANK_NAME = /空欄\s*[（(]\s*([^()（）\s]{1,3})\s*[)）]/gu;

/**
 * Marks a stem names as 「空欄 (X)」 that appear neither in the template nor elsewhere in the stem,
 * so the learner cannot find the blank they refer to.
 */
export function missingBlankMarks(prompt: string, template: string | undefined): string[] {
  const named = [...new Set([...prompt.matchAll(BLANK_NAME)].map((m) => m[1]!))];
  if (named.length === 0) return [];
  const rest = `${prompt.replace(BLANK_NAME, ' ')}\n${template ?? ''}`;
  return named.filter((mark) => {
    const escaped = mark.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return !new RegExp(`[（(]\\s*${escaped}\\s*[)）]`, 'u').test(rest);
  });
}
