/**
 * Bank-wide rules that `bank lint` enforces beyond each file's own checks (load.ts): the glossary's preferred terms,
 * a stated rounding for every non-integer numeric answer, a 解説 that explains every wrong choice, no answer cues a test-wise learner could exploit, and each
 * chapter's size and balance. They are policy, not validity: the app still serves a bank that breaks them, the lint and
 * the tests do not let it land.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CHAPTER_SLUGS } from './chapters';
import { choiceReferences } from './checks';
import type { BankProblem } from './load';
import { roundingProblem } from './rounding';
import type { Question } from './types';

// ---- limits (issue 12) -------------------------------------------------------------------------------------------

export const LIMITS = {
  questionsPerChapter: 30,
  runGradedPerChapter: 6,
  /** share of a chapter's questions tagged パラメータ数 */
  parameterCountShare: 0.08,
  /** share of single-choice keys on each of a, b, c, d */
  keyPositionShare: { min: 0.15, max: 0.35 },
  /** share of multi items with the same number of right answers */
  multiCountShare: 0.4,
  /** share of single-choice items whose key is strictly the longest option */
  longestKeyShare: 0.3,
} as const;

export const PARAMETER_COUNT_TAG = 'パラメータ数';

// ---- glossary ----------------------------------------------------------------------------------------------------

const GlossaryEntrySchema = z.strictObject({
  term: z.string().min(1),
  en: z.string().min(1),
  avoid: z.array(z.string().min(1)).optional(),
  /** JavaScript regular expressions (flag u) for spellings a literal cannot pin down */
  avoidPattern: z.array(z.string().min(1)).optional(),
  /** question ids where an avoided spelling is right (a quotation, a term of another meaning) */
  allowIn: z.array(z.string()).optional(),
});
export const GlossarySchema = z.array(GlossaryEntrySchema);
export type GlossaryEntry = z.infer<typeof GlossaryEntrySchema>;

export function glossaryFile(questionsDir: string): string {
  return path.join(questionsDir, 'glossary.yaml');
}

/** The glossary beside the questions; a folder without one (a test fixture) has no preferred terms. */
export function loadGlossary(questionsDir: string): GlossaryEntry[] {
  const file = glossaryFile(questionsDir);
  if (!existsSync(file)) return [];
  return GlossarySchema.parse(parseYaml(readFileSync(file, 'utf8')));
}

/**
 * Text in the bank's own words: code (fenced blocks, inline) and quoted titles ("SegNet: A Deep Convolutional
 * Encoder-Decoder …") blanked, math kept (「$\tanh$ を掛ける」).
 */
function ownWords(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/"[^"\n]*"|“[^”\n]*”/g, ' ');
}

interface Place {
  field: string;
  text: string;
}

function placesOf(q: Question): Place[] {
  const places: Place[] = [
    { field: 'body', text: q.prompt },
    { field: 'body (解説)', text: q.explanation },
  ];
  if ((q.kind === 'choice' || q.kind === 'multi' || q.kind === 'code') && q.choices) {
    q.choices.forEach((c) => places.push({ field: `choices.${c.id}`, text: c.text }));
  }
  return places;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function glossaryProblems(questions: readonly Question[], glossary: readonly GlossaryEntry[]): BankProblem[] {
  const rules = glossary.flatMap((entry) => [
    ...(entry.avoid ?? []).map((spelling) => ({ entry, pattern: new RegExp(escapeRegExp(spelling), 'gu') })),
    ...(entry.avoidPattern ?? []).map((source) => ({ entry, pattern: new RegExp(source, 'gu') })),
  ]);
  const problems: BankProblem[] = [];
  for (const q of questions) {
    for (const place of placesOf(q)) {
      const text = ownWords(place.text);
      for (const { entry, pattern } of rules) {
        if (entry.allowIn?.includes(q.id)) continue;
        for (const m of text.matchAll(pattern)) {
          const excerpt = text.slice(Math.max(0, m.index - 10), m.index + m[0].length + 10).replace(/\s+/g, ' ').trim();
          problems.push({ file: q.file, field: place.field, message: `用語:「${m[0]}」ではなく「${entry.term}」（${entry.en}）と書いてください（「${excerpt}」）` });
        }
      }
    }
  }
  return problems;
}

// ---- rounding ----------------------------------------------------------------------------------------------------

export function roundingProblems(questions: readonly Question[]): BankProblem[] {
  return questions.flatMap((q) => {
    if (q.kind !== 'numeric') return [];
    const problem = roundingProblem(q.prompt, q.answer, q.tolerance);
    return problem ? [{ file: q.file, field: 'answer', message: problem }] : [];
  });
}

// ---- answer cues -------------------------------------------------------------------------------------------------

/** A single-answer item in the exam's choice form: a choice item, or a code item's choice rendering. */
function singleChoice(q: Question): { choices: { id: string; text: string }[]; answer: string } | undefined {
  if (q.kind === 'choice') return q;
  if (q.kind === 'code' && q.choices && q.answer) return { choices: q.choices, answer: q.answer };
  return undefined;
}

/** The length a reader sees: markup (backticks, $, braces) not counted and a LaTeX command as one character. */
export function visibleLength(text: string): number {
  return [...text.replace(/[`${}]/g, '').replace(/\\[a-zA-Z]+/g, 'x').replace(/\s+/g, ' ').trim()].length;
}

export function keyIsStrictlyLongest(item: { choices: { id: string; text: string }[]; answer: string }): boolean {
  const key = item.choices.find((c) => c.id === item.answer);
  if (!key) return false;
  const others = item.choices.filter((c) => c.id !== item.answer).map((c) => visibleLength(c.text));
  return visibleLength(key.text) > Math.max(...others);
}

export interface CueStatistics {
  single: number;
  /** key letter → items */
  keyPositions: Record<string, number>;
  longestKey: number;
  multi: number;
  /** number of right answers → items */
  multiCounts: Record<string, number>;
  /** multi items whose key includes a */
  multiWithA: number;
}

export function cueStatistics(questions: readonly Question[]): CueStatistics {
  const stats: CueStatistics = { single: 0, keyPositions: { a: 0, b: 0, c: 0, d: 0 }, longestKey: 0, multi: 0, multiCounts: {}, multiWithA: 0 };
  for (const q of questions) {
    const single = singleChoice(q);
    if (single) {
      stats.single++;
      stats.keyPositions[single.answer] = (stats.keyPositions[single.answer] ?? 0) + 1;
      if (keyIsStrictlyLongest(single)) stats.longestKey++;
    }
    if (q.kind === 'multi') {
      stats.multi++;
      const k = String(q.answer.length);
      stats.multiCounts[k] = (stats.multiCounts[k] ?? 0) + 1;
      if (q.answer.includes('a')) stats.multiWithA++;
    }
  }
  return stats;
}

const percent = (part: number, whole: number) => `${whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10}%`;

export function formatCueStatistics(s: CueStatistics): string {
  const positions = Object.entries(s.keyPositions)
    .map(([letter, n]) => `${letter} ${n} (${percent(n, s.single)})`)
    .join(', ');
  const counts = Object.entries(s.multiCounts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([k, n]) => `${k} 個 ${n} (${percent(n, s.multi)})`)
    .join(', ');
  return [
    `単一選択 ${s.single} 問の正解の位置: ${positions}`,
    `正解が最も長い選択肢: ${s.longestKey} 問 (${percent(s.longestKey, s.single)})`,
    `複数選択 ${s.multi} 問の正解の数: ${counts}（a を含む ${s.multiWithA} 問）`,
  ].join('\n');
}

export function cueProblems(questions: readonly Question[]): BankProblem[] {
  const s = cueStatistics(questions);
  const problems: BankProblem[] = [];
  const bank = (message: string) => problems.push({ file: '(バンク全体)', field: '手がかり', message });
  for (const letter of ['a', 'b', 'c', 'd']) {
    const share = (s.keyPositions[letter] ?? 0) / Math.max(1, s.single);
    if (share < LIMITS.keyPositionShare.min || share > LIMITS.keyPositionShare.max) {
      bank(`単一選択の正解が ${letter} の問題が ${percent(s.keyPositions[letter] ?? 0, s.single)} です（${LIMITS.keyPositionShare.min * 100}〜${LIMITS.keyPositionShare.max * 100}% にしてください）`);
    }
  }
  if (s.longestKey / Math.max(1, s.single) > LIMITS.longestKeyShare) {
    bank(`正解が最も長い選択肢の問題が ${percent(s.longestKey, s.single)} です（${LIMITS.longestKeyShare * 100}% 以下にしてください）`);
  }
  for (const [k, n] of Object.entries(s.multiCounts)) {
    if (n / Math.max(1, s.multi) > LIMITS.multiCountShare) bank(`複数選択で正解が ${k} 個の問題が ${percent(n, s.multi)} です（${LIMITS.multiCountShare * 100}% 以下にしてください）`);
  }
  for (const q of questions) {
    if (q.kind !== 'multi') continue;
    if (q.answer.length >= q.choices.length) problems.push({ file: q.file, field: 'answer', message: '「すべて選べ」の正解は選択肢の数より少なくしてください（全部が正解だと手がかりになります）' });
  }
  return problems;
}

// ---- every wrong choice explained -------------------------------------------------------------------------------

/**
 * The 解説 says why each wrong choice is wrong: it names the choice by its letter (「- **b**: …」), or, for a code
 * item, quotes the choice's code.
 */
export function unexplainedChoiceProblems(questions: readonly Question[]): BankProblem[] {
  const problems: BankProblem[] = [];
  for (const q of questions) {
    if (!((q.kind === 'choice' || q.kind === 'multi' || q.kind === 'code') && q.choices)) continue;
    const named = new Set(choiceReferences(q.explanation).map((r) => r.letter));
    const keys: readonly string[] = Array.isArray(q.answer) ? q.answer : q.answer ? [q.answer, ...(q.kind === 'code' ? (q.equivalent ?? []) : [])] : [];
    const quoted = (text: string) => q.kind === 'code' && q.explanation.includes(text.replace(/^`|`$/g, ''));
    const missing = q.choices.filter((c) => !keys.includes(c.id) && !named.has(c.id) && !quoted(c.text)).map((c) => c.id);
    if (missing.length > 0) problems.push({ file: q.file, field: 'body (解説)', message: `解説が誤りの選択肢 ${missing.join(', ')} に触れていません（「- **${missing[0]}**: …」の形で、なぜ誤りかを書いてください）` });
  }
  return problems;
}

// ---- chapter size and balance ------------------------------------------------------------------------------------

export interface ChapterCounts {
  chapter: string;
  total: number;
  byKind: Record<string, number>;
  runGraded: number;
  parameterCounts: number;
}

export function chapterCounts(questions: readonly Question[]): ChapterCounts[] {
  return CHAPTER_SLUGS.map((chapter) => {
    const qs = questions.filter((q) => q.chapter === chapter);
    const byKind: Record<string, number> = {};
    for (const q of qs) byKind[q.kind] = (byKind[q.kind] ?? 0) + 1;
    return {
      chapter,
      total: qs.length,
      byKind,
      runGraded: qs.filter((q) => q.kind === 'code' || q.kind === 'function').length,
      parameterCounts: qs.filter((q) => q.tags.includes(PARAMETER_COUNT_TAG)).length,
    };
  });
}

export function chapterProblems(questions: readonly Question[]): BankProblem[] {
  const problems: BankProblem[] = [];
  for (const c of chapterCounts(questions)) {
    const report = (message: string) => problems.push({ file: `${c.chapter}/`, field: '章', message });
    if (c.total < LIMITS.questionsPerChapter) report(`問題が ${c.total} 問です（${LIMITS.questionsPerChapter} 問以上にしてください）`);
    if (c.runGraded < LIMITS.runGradedPerChapter) report(`実行して採点する問題（code・function）が ${c.runGraded} 問です（${LIMITS.runGradedPerChapter} 問以上にしてください）`);
    if (c.parameterCounts > c.total * LIMITS.parameterCountShare) {
      report(`パラメータ数の問題が ${c.parameterCounts} 問（${percent(c.parameterCounts, c.total)}）です（章の ${LIMITS.parameterCountShare * 100}% 以下にしてください）`);
    }
  }
  return problems;
}

/** Every bank-wide problem, in the order the lint prints them. */
export function policyProblems(questions: readonly Question[], glossary: readonly GlossaryEntry[]): BankProblem[] {
  return [
    ...glossaryProblems(questions, glossary),
    ...roundingProblems(questions),
    ...unexplainedChoiceProblems(questions),
    ...cueProblems(questions),
    ...chapterProblems(questions),
  ];
}
