import { TRPCError } from '@trpc/server';
import { asc, count as countRows, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Store } from '../../db/store';
import { ResponseSchema, type CodeFeedback, type Graded, type RubricFeedback, type SelfAssessment } from '../../graders/answers/response';
import type { Mismatch } from '../../graders/code/compare';
import type { CaseReport, CodeError } from '../../graders/code/types';
import { chapterOrder } from '../bank/chapters';
import type { Context } from '../context';
import { applyReview, ratingFor } from './review';

/*
 * The learner's history as a file: one row per answer, as CSV (for a spreadsheet) and JSON (for a backup that
 * `importHistory` reads back into a fresh install, sessions, answers and review cards included).
 */

export const HISTORY_FORMAT = 'kakunin-history';
export const MAX_IMPORT_ROWS = 100_000;
/** A history file nests about 10 deep (file → answers → row → feedback → code → cases → case → mismatch → index). */
export const MAX_IMPORT_DEPTH = 32;
/** Values (objects, arrays, scalars) in a whole file: far above 100,000 rows of real answers. */
export const MAX_IMPORT_VALUES = 50_000_000;

/*
 * The grading details the app stores with an answer (graders/answers/response.ts `Graded['feedback']`), as strict as
 * the API's own inputs: an imported file cannot put a shape into the database that the learner's pages do not expect.
 * Numbers that can be NaN or ±Infinity are stored through JSON, which writes them as null.
 */
const count = z.number().int().min(0).max(2 ** 31);
const storedNumber = z.number().nullable();
const CodeVerdictKindSchema = z.enum(['correct', 'incorrect', 'error']);

const RubricFeedbackSchema = z.strictObject({ point: z.string().max(1_000), matched: z.boolean(), weight: z.number().positive().max(1_000).optional() });
const SelfAssessmentSchema = z.strictObject({ met: z.array(z.boolean()).max(100), autoScore: z.number().min(0).max(1), at: z.number().int().min(0) });

const MismatchSchema = z.strictObject({
  kind: z.enum(['type', 'length', 'shape', 'value']),
  path: z.string().max(1_000),
  expectedShape: z.array(count).max(64).optional(),
  gotShape: z.array(count).max(64).optional(),
  index: z.array(count).max(64).optional(),
  expected: storedNumber.optional(),
  got: storedNumber.optional(),
  message: z.string().max(10_000),
  source: z.enum(['blank', 'result']),
  blankIndex: count.optional(),
});

const CodeErrorSchema = z.strictObject({
  type: z.string().max(100),
  message: z.string().max(10_000),
  line: count,
  col: count,
  endLine: count.optional(),
  endCol: count.optional(),
  where: z.enum(['answer', 'template']),
  limit: z.string().max(100).optional(),
});

const CaseReportSchema = z.strictObject({
  index: count,
  visible: z.boolean(),
  passed: z.boolean(),
  mismatch: MismatchSchema.optional(),
  error: CodeErrorSchema.optional(),
});

const CodeFeedbackSchema = z.strictObject({
  verdict: CodeVerdictKindSchema,
  message: z.string().max(10_000),
  passed: count,
  total: count,
  cases: z.array(CaseReportSchema).max(1_000),
  backend: z.string().max(100),
  elapsedMs: storedNumber,
  browser: z.strictObject({ verdict: CodeVerdictKindSchema, backend: z.string().max(100), passed: count, total: count }).nullable(),
});

export const StoredFeedbackSchema = z
  .strictObject({
    rubric: z.array(RubricFeedbackSchema).max(100).optional(),
    selfAssessment: SelfAssessmentSchema.optional(),
    parsed: storedNumber.optional(),
    code: CodeFeedbackSchema.optional(),
  })
  .nullable();

// Compile-time: the schemas name exactly the fields of the types the app stores (a field added there fails here).
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
const schemaFieldsMatchStoredTypes: [
  SameKeys<RubricFeedback, z.infer<typeof RubricFeedbackSchema>>,
  SameKeys<SelfAssessment, z.infer<typeof SelfAssessmentSchema>>,
  SameKeys<Mismatch & { source: unknown; blankIndex?: unknown }, z.infer<typeof MismatchSchema>>,
  SameKeys<CodeError, z.infer<typeof CodeErrorSchema>>,
  SameKeys<CaseReport, z.infer<typeof CaseReportSchema>>,
  SameKeys<CodeFeedback, z.infer<typeof CodeFeedbackSchema>>,
  SameKeys<NonNullable<Graded['feedback']>, NonNullable<z.infer<typeof StoredFeedbackSchema>>>,
] = [true, true, true, true, true, true, true];
void schemaFieldsMatchStoredTypes;
/** and every value of those types passes them */
export const storedFeedbackFits = (feedback: Graded['feedback']): z.input<typeof StoredFeedbackSchema> => feedback;

const HistoryAnswerSchema = z.strictObject({
  answerId: z.number().int().positive(),
  sessionId: z.number().int().positive(),
  sessionMode: z.enum(['practice', 'mock', 'review']),
  questionId: z.string().min(1).max(100),
  chapter: z.string().max(50),
  questionHash: z.string().min(1).max(128),
  response: ResponseSchema,
  verdict: z.enum(['correct', 'partial', 'incorrect']),
  score: z.number().min(0).max(1),
  timeSpentMs: z.number().int().min(0).max(86_400_000),
  seed: z.number().int().min(0).max(2 ** 32).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  sessionSeed: z.number().int().min(0).max(2 ** 31),
  position: z.number().int().min(0).max(10_000),
  /** grading details shown on review (rubric points, code cases); null where there are none */
  feedback: StoredFeedbackSchema,
});

export const HistoryFileSchema = z.strictObject({
  format: z.literal(HISTORY_FORMAT),
  version: z.literal(1),
  exportedAt: z.iso.datetime({ offset: true }),
  answers: z.array(HistoryAnswerSchema).max(MAX_IMPORT_ROWS),
});

export type HistoryRow = z.infer<typeof HistoryAnswerSchema>;
export type HistoryFile = z.infer<typeof HistoryFileSchema>;

/** Every answer of the learner, oldest first. */
export async function exportHistory(store: Store, learnerId: number): Promise<HistoryRow[]> {
  const { answers, practiceSessions, questions } = store.tables;
  const rows = await store.db
    .select({
      answerId: answers.id,
      sessionId: answers.sessionId,
      sessionMode: practiceSessions.mode,
      questionId: answers.questionId,
      chapter: questions.chapter,
      questionHash: answers.questionHash,
      response: answers.response,
      verdict: answers.verdict,
      score: answers.score,
      timeSpentMs: answers.timeSpentMs,
      seed: answers.seed,
      createdAt: answers.createdAt,
      sessionSeed: practiceSessions.seed,
      position: answers.position,
      feedback: answers.feedback,
    })
    .from(answers)
    .innerJoin(practiceSessions, eq(practiceSessions.id, answers.sessionId))
    .leftJoin(questions, eq(questions.id, answers.questionId))
    .where(eq(answers.learnerId, learnerId))
    .orderBy(asc(answers.createdAt), asc(answers.id));
  return rows.map((r) => ({
    ...r,
    chapter: r.chapter ?? '',
    response: r.response as HistoryRow['response'],
    feedback: (r.feedback ?? null) as HistoryRow['feedback'],
    createdAt: new Date(Math.round(r.createdAt.getTime())).toISOString(),
  }));
}

export function historyToJson(rows: readonly HistoryRow[], now = new Date()): string {
  const file: HistoryFile = { format: HISTORY_FORMAT, version: 1, exportedAt: now.toISOString(), answers: [...rows] };
  return JSON.stringify(file);
}

// ---------------------------------------------------------------------------------------------------------------
// Import

export interface ImportResult {
  imported: number;
  sessions: number;
  /** review cards rebuilt by replaying the answers */
  cards: number;
  /** answers left out because their question is not in this install's bank */
  skipped: number;
  skippedQuestionIds: string[];
}

const MAX_LISTED = 5;

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
}

const refuse = (problems: string[]): TRPCError =>
  new TRPCError({
    code: 'BAD_REQUEST',
    message: `履歴ファイルを読み込めません（問題 ${problems.length}${problems.length >= MAX_LISTED ? ' 件以上' : ' 件'}）。何も読み込んでいません。\n${problems
      .slice(0, MAX_LISTED)
      .map((p) => `・${p}`)
      .join('\n')}`,
  });

/** A path for a message, its middle elided when it is long (a path as deep as the nesting limit). */
function shortPathOf(path: readonly PropertyKey[]): string {
  return pathOf(path.length <= 8 ? path : [...path.slice(0, 6), '…', ...path.slice(-1)]);
}

/**
 * The nesting depth and the number of values of a parsed file, walked with a stack of its own (no recursion, so no
 * depth can overflow it): a value nested deeper than MAX_IMPORT_DEPTH is refused here, before zod or JSON.stringify
 * (whose recursion a 30,000-deep value overflows) see it. Returns the problem, if any.
 */
export function nestingProblem(input: unknown, maxDepth = MAX_IMPORT_DEPTH, maxValues = MAX_IMPORT_VALUES): string | undefined {
  interface Frame {
    value: unknown;
    depth: number;
    key: PropertyKey | undefined;
    parent: Frame | undefined;
  }
  const pathTo = (frame: Frame): PropertyKey[] => {
    const keys: PropertyKey[] = [];
    for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) keys.push(f.key);
    return keys.reverse();
  };
  const stack: Frame[] = [{ value: input, depth: 0, key: undefined, parent: undefined }];
  let values = 0;
  while (stack.length > 0) {
    const frame = stack.pop()!;
    values += 1;
    if (values > maxValues) return `（ファイル全体）: 値が多すぎます（${maxValues} 個まで）。`;
    const { value } = frame;
    if (typeof value !== 'object' || value === null) continue;
    if (frame.depth >= maxDepth) return `${shortPathOf(pathTo(frame)) || '（ファイル全体）'}: 入れ子が深すぎます（${maxDepth} 段まで）。`;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: frame.depth + 1, key: i, parent: frame });
    } else {
      for (const [key, child] of Object.entries(value)) stack.push({ value: child, depth: frame.depth + 1, key, parent: frame });
    }
  }
  return undefined;
}

/** Validates the whole file before anything is written; lists the first problems in Japanese. */
export function parseHistoryFile(input: unknown): HistoryFile {
  // Cheap checks first, so a huge or foreign file is refused without validating every row.
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw refuse(['Kakunin の履歴ファイル（JSON のオブジェクト）ではありません。']);
  const record = input as Record<string, unknown>;
  if (record.format !== HISTORY_FORMAT) throw refuse([`format が "${HISTORY_FORMAT}" ではありません。Kakunin が書き出した JSON ファイルを選んでください。`]);
  if (Array.isArray(record.answers) && record.answers.length > MAX_IMPORT_ROWS) {
    throw refuse([`回答が ${record.answers.length} 件あります。一度に読み込めるのは ${MAX_IMPORT_ROWS} 件までです。`]);
  }
  const tooDeep = nestingProblem(input);
  if (tooDeep) throw refuse([tooDeep]);
  const parsed = HistoryFileSchema.safeParse(input, { error: z.locales.ja().localeError });
  if (!parsed.success) throw refuse(parsed.error.issues.slice(0, MAX_LISTED).map((i) => `${pathOf(i.path) || '（ファイル全体）'}: ${i.message}`));

  const problems: string[] = [];
  const answerIds = new Set<number>();
  const sessionQuestion = new Set<string>();
  const sessions = new Map<number, { mode: string; seed: number }>();
  parsed.data.answers.forEach((a, i) => {
    if (problems.length >= MAX_LISTED) return;
    const at = `answers[${i}]`;
    if (answerIds.has(a.answerId)) problems.push(`${at}.answerId: 回答 id ${a.answerId} が重複しています。`);
    answerIds.add(a.answerId);
    const key = `${a.sessionId}\u0000${a.questionId}`;
    if (sessionQuestion.has(key)) problems.push(`${at}: セッション ${a.sessionId} に問題 ${a.questionId} の回答が 2 件あります。`);
    sessionQuestion.add(key);
    const session = sessions.get(a.sessionId);
    if (session && (session.mode !== a.sessionMode || session.seed !== a.sessionSeed)) {
      problems.push(`${at}: セッション ${a.sessionId} の sessionMode か sessionSeed が他の行と食い違っています。`);
    }
    if (!session) sessions.set(a.sessionId, { mode: a.sessionMode, seed: a.sessionSeed });
  });
  if (problems.length > 0) throw refuse(problems);
  return parsed.data;
}

/**
 * Reads an exported history into this install for the current learner: one finished session per session of the
 * file (mode kept), its answers, and the FSRS cards rebuilt by replaying the answers in time order. All in one
 * transaction: a problem anywhere writes nothing. Only into an empty history, so a file is never counted twice.
 */
export async function importHistory(ctx: Context, input: unknown): Promise<ImportResult> {
  const file = parseHistoryFile(input);
  const { answers, practiceSessions, questions, reviewCards } = ctx.store.tables;
  const known = new Map((await ctx.store.db.select({ id: questions.id, chapter: questions.chapter, kind: questions.kind }).from(questions)).map((q) => [q.id, q]));
  const kept = file.answers.filter((a) => known.has(a.questionId));
  const skippedQuestionIds = [...new Set(file.answers.filter((a) => !known.has(a.questionId)).map((a) => a.questionId))];

  const bySession = new Map<number, HistoryRow[]>();
  for (const a of kept) {
    const list = bySession.get(a.sessionId) ?? [];
    list.push(a);
    bySession.set(a.sessionId, list);
  }
  const timeOf = (a: HistoryRow) => Date.parse(a.createdAt);

  const cards = await ctx.store.transaction(async (tx) => {
    // Checked in the transaction that writes, so two imports at once cannot both find the history empty.
    const [existing] = await tx.db.select({ n: countRows() }).from(answers).where(eq(answers.learnerId, ctx.learnerId));
    if ((existing?.n ?? 0) > 0) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `すでに ${existing!.n} 件の回答の記録があるため読み込めません。履歴の読み込みは、回答の記録がない新しい環境でだけできます。`,
      });
    }
    if (kept.length === 0 && file.answers.length > 0) {
      throw refuse([`どの回答の問題もこの問題バンクにありません（例: ${skippedQuestionIds.slice(0, MAX_LISTED).join(', ')}）。`]);
    }
    const newAnswerId = new Map<HistoryRow, number>();
    for (const rows of bySession.values()) {
      rows.sort((a, b) => a.position - b.position || timeOf(a) - timeOf(b) || a.answerId - b.answerId);
      const times = rows.map(timeOf);
      const chapters = [...new Set(rows.map((a) => known.get(a.questionId)!.chapter))].sort((a, b) => chapterOrder(a) - chapterOrder(b));
      const first = rows[0]!;
      const [session] = await tx.db
        .insert(practiceSessions)
        .values({
          learnerId: ctx.learnerId,
          mode: first.sessionMode,
          chapters,
          questionIds: rows.map((a) => a.questionId),
          order: 'course',
          seed: first.sessionSeed,
          startedAt: new Date(Math.min(...times)),
          finishedAt: new Date(Math.max(...times)),
        })
        .returning({ id: practiceSessions.id });
      // In slices: one statement per slice, under SQLite's limit of bound values.
      for (let start = 0; start < rows.length; start += IMPORT_SLICE) {
        const slice = rows.slice(start, start + IMPORT_SLICE);
        const inserted = await tx.db
          .insert(answers)
          .values(
            slice.map((a, i) => ({
              sessionId: session!.id,
              learnerId: ctx.learnerId,
              questionId: a.questionId,
              questionHash: a.questionHash,
              position: start + i,
              response: a.response,
              verdict: a.verdict,
              score: a.score,
              feedback: a.feedback,
              seed: a.seed,
              timeSpentMs: a.timeSpentMs,
              createdAt: new Date(timeOf(a)),
            })),
          )
          .returning({ id: answers.id, position: answers.position });
        // matched by position (unique in a session), not by the order RETURNING happens to use
        for (const r of inserted) newAnswerId.set(rows[r.position]!, r.id);
      }
    }
    // The schedule as if the answers had been given here: each answer reviews its card at the time it was given.
    const replay = [...kept].sort((a, b) => timeOf(a) - timeOf(b) || a.answerId - b.answerId);
    for (const a of replay) {
      const kind = known.get(a.questionId)!.kind;
      await applyReview(tx, ctx.learnerId, a.questionId, ratingFor(a.verdict, a.timeSpentMs, kind === 'code' || kind === 'function'), new Date(timeOf(a)), newAnswerId.get(a)!);
    }
    const [counted] = await tx.db.select({ n: countRows() }).from(reviewCards).where(eq(reviewCards.learnerId, ctx.learnerId));
    return counted?.n ?? 0;
  });
  return { imported: kept.length, sessions: bySession.size, cards, skipped: file.answers.length - kept.length, skippedQuestionIds: skippedQuestionIds.slice(0, 20) };
}

/** Answers per INSERT statement of an import (12 values each). */
const IMPORT_SLICE = 500;
