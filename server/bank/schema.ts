import { z } from 'zod';
import { CHAPTER_SLUGS } from './chapters';
import { normalizeText } from '../../graders/answers/normalize';
import { titleProblem } from './checks';

/** Front matter of a question file (questions/<chapter>/<id>.md). Strict: an unknown key is a content error. */

const idSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id は小文字英数字のケバブケースにしてください (例: birnn-concat)');

/** A short Japanese title shown wherever a question is listed (review, progress, exports). */
const titleSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'title がありません。一覧で見分けられる短い日本語の題を書いてください' : 'title は文字列で書いてください') })
  .trim()
  .superRefine((title, ctx) => {
    const problem = titleProblem(title);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const choiceIdSchema = z.string().regex(/^[a-i]$/, '選択肢の id は a〜i の1文字です');

const ChoiceSchema = z.strictObject({
  id: choiceIdSchema,
  text: z.string().min(1),
});

/** A phrase as it is matched: normalised (graders/answers/normalize.ts); one that normalises to nothing would match any answer. */
const phraseSchema = z
  .string()
  .min(1)
  .refine((phrase) => normalizeText(phrase) !== '', '空白や句読点だけの語句は、どの回答にも一致してしまいます');

/** One term of a relation: a phrase, or alternatives of which any one will do. */
const TermSchema = z.union([phraseSchema, z.array(phraseSchema).min(1)]);

/**
 * A phrasing a rubric point accepts (or, in `reject`, one that vetoes it):
 * - `"語句"`: the phrase anywhere in the answer;
 * - `[語, 語, …]`: the terms in this order within one sentence (so that `[LSTM, 3つ]` is not met by 「GRU は 3 つ…、LSTM は 2 つ」);
 *   a sentence that names none of the first term's alternatives continues the one before (「LSTM: …。パラメータも多い。」);
 * - `{ inOrder: [語, …], notBetween: [語, …] }`: the same, and none of `notBetween` between them (「LSTM と違い GRU は 3 つ」);
 *   a notBetween term also counts as a subject, so a sentence naming it starts afresh.
 */
const MatchSchema = z.union(
  [
    phraseSchema,
    z.array(TermSchema).min(2),
    z.strictObject({ inOrder: z.array(TermSchema).min(2), notBetween: z.array(phraseSchema).min(1) }),
  ],
  { error: 'accept・reject の要素は、語句・語の並び [語, 語]・{ inOrder: [語, 語], notBetween: [語] } のどれかです' },
);

const RubricPointSchema = z.strictObject({
  point: z.string().min(1),
  accept: z.array(MatchSchema).min(1),
  /** phrasings that veto the point even when an accepted one occurs (a swapped or negated statement) */
  reject: z.array(MatchSchema).optional(),
  weight: z.number().positive().default(1),
});

/**
 * The descriptive form: key points with accepted phrasings. The match only pre-ticks the points (a guide); the learner
 * confirms which ones their answer covers, and that sets the score.
 */
export const WrittenSchema = z.strictObject({
  modelAnswer: z.string().min(1),
  rubric: z.array(RubricPointSchema).min(1),
});

const base = {
  id: idSchema,
  title: titleSchema,
  chapter: z.enum(CHAPTER_SLUGS),
  source: z.enum(['kakunin', 'enshu', 'original']),
  tags: z.array(z.string().min(1)).default([]),
  /** Optional descriptive form offered beside the primary one (choice items with a written answer). */
  written: WrittenSchema.optional(),
};

const choices = z.array(ChoiceSchema).min(2).max(9);

const graderKey = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'grader は graders/references のキー（ケバブケース）です');

/** Code items: the learner types the blank `___` of `template`; graded by running it against a tfjs reference. */
const codeFields = {
  /** key into graders/references (by default the question id) */
  grader: graderKey.optional(),
  template: z.string().min(1),
  /** a model answer for the blank, checked by the tests to grade correct */
  solution: z.string().min(1),
  /** the exam's multiple-choice rendering (code strings) and its answer */
  choices: choices.optional(),
  answer: choiceIdSchema.optional(),
  /** other choices that compute the same value as the key on every input, so they are graded correct too (the 解説 says why) */
  equivalent: z.array(choiceIdSchema).min(1).optional(),
};

export const FrontMatterSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('choice'), choices, answer: choiceIdSchema }),
  z.strictObject({ ...base, kind: z.literal('multi'), choices, answer: z.array(choiceIdSchema).min(1) }),
  z.strictObject({
    ...base,
    kind: z.literal('numeric'),
    answer: z.number().finite(),
    /**
     * Absolute tolerance. Usually absent: it follows from the rounding the stem states (server/bank/rounding.ts), and
     * an exact answer gets a relative 1e-6.
     */
    tolerance: z.number().nonnegative().optional(),
    unit: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('text'),
    answer: z.string().min(1),
    accept: z.array(z.string().min(1)).default([]),
    /** endings an answer may add where the concept allows (「オフポリシー」 + 「学習」) */
    suffixes: z.array(z.string().min(1)).optional(),
  }),
  z.strictObject({ ...base, kind: z.literal('written'), written: WrittenSchema }),
  z.strictObject({ ...base, kind: z.literal('code'), ...codeFields }),
  /** Whole-function items: `template` is the starter code shown in the editor, `solution` a full implementation. */
  z.strictObject({ ...base, kind: z.literal('function'), grader: graderKey.optional(), template: z.string().min(1), solution: z.string().min(1) }),
]);

export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export type QuestionKind = FrontMatter['kind'];
export type Written = z.infer<typeof WrittenSchema>;
export type RubricPoint = z.infer<typeof RubricPointSchema>;
export type RubricMatch = z.infer<typeof MatchSchema>;
export type Choice = z.infer<typeof ChoiceSchema>;
