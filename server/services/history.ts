import { TRPCError } from '@trpc/server';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { answers, practiceSessions, questions } from '../../db/schema';
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
export function exportHistory(db: Db, learnerId: number): HistoryRow[] {
  const rows = db
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
    .orderBy(asc(answers.createdAt), asc(answers.id))
    .all();
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
export function importHistory(ctx: Context, input: unknown): ImportResult {
  const file = parseHistoryFile(input);
  const db = ctx.db;
  const sqlite = db.$client;

  const existing = (sqlite.prepare('SELECT count(*) AS n FROM answers WHERE learner_id = ?').get(ctx.learnerId) as { n: number }).n;
  if (existing > 0) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `すでに ${existing} 件の回答の記録があるため読み込めません。履歴の読み込みは、回答の記録がない新しい環境でだけできます。`,
    });
  }

  const known = new Map(
    (sqlite.prepare('SELECT id, chapter, kind FROM questions').all() as { id: string; chapter: string; kind: string }[]).map((q) => [q.id, q]),
  );
  const kept = file.answers.filter((a) => known.has(a.questionId));
  const skippedQuestionIds = [...new Set(file.answers.filter((a) => !known.has(a.questionId)).map((a) => a.questionId))];
  if (kept.length === 0 && file.answers.length > 0) {
    throw refuse([`どの回答の問題もこの問題バンクにありません（例: ${skippedQuestionIds.slice(0, MAX_LISTED).join(', ')}）。`]);
  }

  const bySession = new Map<number, HistoryRow[]>();
  for (const a of kept) {
    const list = bySession.get(a.sessionId) ?? [];
    list.push(a);
    bySession.set(a.sessionId, list);
  }
  const timeOf = (a: HistoryRow) => Date.parse(a.createdAt);

  const insertSession = sqlite.prepare(
    `INSERT INTO practice_sessions (learner_id, mode, chapters, question_ids, "order", seed, started_at, finished_at)
     VALUES (@learnerId, @mode, @chapters, @questionIds, 'course', @seed, @startedAt, @finishedAt)`,
  );
  const insertAnswer = sqlite.prepare(
    `INSERT INTO answers (session_id, learner_id, question_id, question_hash, position, response, verdict, score, feedback, seed, time_spent_ms, created_at)
     VALUES (@sessionId, @learnerId, @questionId, @questionHash, @position, @response, @verdict, @score, @feedback, @seed, @timeSpentMs, @createdAt)`,
  );

  const run = sqlite.transaction(() => {
    const newAnswerId = new Map<HistoryRow, number>();
    for (const rows of bySession.values()) {
      rows.sort((a, b) => a.position - b.position || timeOf(a) - timeOf(b) || a.answerId - b.answerId);
      const times = rows.map(timeOf);
      const chapters = [...new Set(rows.map((a) => known.get(a.questionId)!.chapter))].sort((a, b) => chapterOrder(a) - chapterOrder(b));
      const first = rows[0]!;
      const sessionId = Number(
        insertSession.run({
          learnerId: ctx.learnerId,
          mode: first.sessionMode,
          chapters: JSON.stringify(chapters),
          questionIds: JSON.stringify(rows.map((a) => a.questionId)),
          seed: first.sessionSeed,
          startedAt: Math.min(...times),
          finishedAt: Math.max(...times),
        }).lastInsertRowid,
      );
      rows.forEach((a, position) => {
        const id = insertAnswer.run({
          sessionId,
          learnerId: ctx.learnerId,
          questionId: a.questionId,
          questionHash: a.questionHash,
          position,
          response: JSON.stringify(a.response),
          verdict: a.verdict,
          score: a.score,
          feedback: a.feedback === null ? null : JSON.stringify(a.feedback),
          seed: a.seed,
          timeSpentMs: a.timeSpentMs,
          createdAt: timeOf(a),
        }).lastInsertRowid;
        newAnswerId.set(a, Number(id));
      });
    }
    // The schedule as if the answers had been given here: each answer reviews its card at the time it was given.
    const replay = [...kept].sort((a, b) => timeOf(a) - timeOf(b) || a.answerId - b.answerId);
    for (const a of replay) {
      const kind = known.get(a.questionId)!.kind;
      applyReview(db, ctx.learnerId, a.questionId, ratingFor(a.verdict, a.timeSpentMs, kind === 'code' || kind === 'function'), new Date(timeOf(a)), newAnswerId.get(a)!);
    }
  });
  run();

  const cards = (sqlite.prepare('SELECT count(*) AS n FROM review_cards WHERE learner_id = ?').get(ctx.learnerId) as { n: number }).n;
  return { imported: kept.length, sessions: bySession.size, cards, skipped: file.answers.length - kept.length, skippedQuestionIds: skippedQuestionIds.slice(0, 20) };
}
