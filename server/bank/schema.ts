import { z } from 'zod';
import { CHAPTER_SLUGS } from './chapters';
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

const RubricPointSchema = z.strictObject({
  point: z.string().min(1),
  accept: z.array(z.string().min(1)).min(1),
  weight: z.number().positive().default(1),
});

/** The descriptive form: key points with accepted phrasings, scored with partial credit. */
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
};

export const FrontMatterSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...base, kind: z.literal('choice'), choices, answer: choiceIdSchema }),
  z.strictObject({ ...base, kind: z.literal('multi'), choices, answer: z.array(choiceIdSchema).min(1) }),
  z.strictObject({
    ...base,
    kind: z.literal('numeric'),
    answer: z.number().finite(),
    /** Absolute tolerance; by default a relative 1e-6. */
    tolerance: z.number().nonnegative().optional(),
    unit: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('text'),
    answer: z.string().min(1),
    accept: z.array(z.string().min(1)).default([]),
  }),
  z.strictObject({ ...base, kind: z.literal('written'), written: WrittenSchema }),
  z.strictObject({ ...base, kind: z.literal('code'), ...codeFields }),
  /** Whole-function items: `template` is the starter code shown in the editor, `solution` a full implementation. */
  z.strictObject({ ...base, kind: z.literal('function'), grader: graderKey.optional(), template: z.string().min(1), solution: z.string().min(1) }),
]);

export type FrontMatter = z.infer<typeof FrontMatterSchema>;
export type QuestionKind = FrontMatter['kind'];
export type Written = z.infer<typeof WrittenSchema>;
export type Choice = z.infer<typeof ChoiceSchema>;
