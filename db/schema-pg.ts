import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * The PostgreSQL twin of schema.ts: same tables, columns, keys and indexes, and the same TypeScript row types, so
 * services can be written once for both stores. What each column means is documented in schema.ts only;
 * tests/db/schema-dialects.test.ts keeps the two files equal. Type choices:
 * - times stay integer milliseconds since the epoch (bigint), read and written as Date like SQLite's
 *   mode 'timestamp_ms', so raw SQL that does arithmetic on them (progress buckets) means the same on both;
 * - SQLite's `real` is an 8-byte float: double precision here (PostgreSQL's `real` is 4 bytes);
 * - seeds can reach 2^32 (imported histories): bigint read as a number; other integers fit int4;
 * - JSON columns are jsonb; booleans are boolean; autoincrement keys are identity columns that still accept an
 *   explicit id (copying an existing SQLite database keeps its ids).
 */

/** Epoch milliseconds in a bigint column, as a Date in TypeScript (pg returns int8 as a string). */
const epochMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => 'bigint',
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

// statement_timestamp(), not now(): like SQLite's 'now', each statement of a transaction reads its own clock.
const nowMs = (name: string) =>
  epochMs(name)
    .notNull()
    .default(sql`(floor(extract(epoch from statement_timestamp()) * 1000))::bigint`);

const seed = (name: string) => bigint(name, { mode: 'number' });

const autoId = () => integer('id').primaryKey().generatedByDefaultAsIdentity();

export const learners = pgTable('learners', {
  id: autoId(),
  name: text('name').notNull(),
  email: text('email').unique(),
  passwordHash: text('password_hash'),
  dailyNewCards: integer('daily_new_cards').notNull().default(10),
  passTarget: doublePrecision('pass_target').notNull().default(0.7),
  createdAt: nowMs('created_at'),
});

export const questions = pgTable(
  'questions',
  {
    id: text('id').primaryKey(),
    chapter: text('chapter').notNull(),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    contentHash: text('content_hash').notNull(),
    retired: boolean('retired').notNull().default(false),
    syncedAt: epochMs('synced_at').notNull(),
  },
  (t) => [index('questions_chapter_idx').on(t.chapter)],
);

export const practiceSessions = pgTable(
  'practice_sessions',
  {
    id: autoId(),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    mode: text('mode', { enum: ['practice', 'mock', 'review'] }).notNull(),
    chapters: jsonb('chapters').$type<string[]>().notNull(),
    questionIds: jsonb('question_ids').$type<string[]>().notNull(),
    order: text('order', { enum: ['course', 'random'] }).notNull(),
    seed: seed('seed').notNull(),
    timeLimitSec: integer('time_limit_sec'),
    flagged: jsonb('flagged').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    startedAt: nowMs('started_at'),
    finishedAt: epochMs('finished_at'),
    discardedAt: epochMs('discarded_at'),
  },
  (t) => [index('sessions_learner_idx').on(t.learnerId, t.startedAt)],
);

export const answers = pgTable(
  'answers',
  {
    id: autoId(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => practiceSessions.id),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    questionHash: text('question_hash').notNull(),
    position: integer('position').notNull(),
    response: jsonb('response').$type<unknown>().notNull(),
    verdict: text('verdict', { enum: ['correct', 'partial', 'incorrect'] }).notNull(),
    score: doublePrecision('score').notNull(),
    feedback: jsonb('feedback').$type<unknown>(),
    seed: seed('seed'),
    timeSpentMs: integer('time_spent_ms').notNull(),
    createdAt: nowMs('created_at'),
    revealedAt: epochMs('revealed_at'),
    /**
     * The client's id of the request that last wrote the row (a mock exam's save): a retry of that request carries the
     * same id and adds no time (server/services/sessions.ts recordAnswer). Null when the client sent none.
     */
    requestId: text('request_id'),
  },
  (t) => [
    uniqueIndex('answers_session_question_uq').on(t.sessionId, t.questionId),
    index('answers_learner_question_idx').on(t.learnerId, t.questionId, t.createdAt, t.score, t.verdict, t.timeSpentMs, t.sessionId),
    index('answers_learner_created_idx').on(t.learnerId, t.createdAt),
  ],
);

export const codeAttempts = pgTable(
  'code_attempts',
  {
    id: autoId(),
    sessionId: integer('session_id')
      .notNull()
      .references(() => practiceSessions.id, { onDelete: 'cascade' }),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    attempt: integer('attempt').notNull(),
    code: text('code').notNull(),
    verdict: text('verdict', { enum: ['correct', 'incorrect'] }).notNull(),
    score: doublePrecision('score').notNull(),
    seed: seed('seed').notNull(),
    feedback: jsonb('feedback').$type<unknown>().notNull(),
    createdAt: nowMs('created_at'),
  },
  (t) => [uniqueIndex('code_attempts_session_question_attempt_uq').on(t.sessionId, t.questionId, t.attempt)],
);

export const reviewCards = pgTable(
  'review_cards',
  {
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    due: epochMs('due').notNull(),
    stability: doublePrecision('stability').notNull(),
    difficulty: doublePrecision('difficulty').notNull(),
    elapsedDays: integer('elapsed_days').notNull(),
    scheduledDays: integer('scheduled_days').notNull(),
    learningSteps: integer('learning_steps').notNull(),
    reps: integer('reps').notNull(),
    lapses: integer('lapses').notNull(),
    state: integer('state').notNull(),
    lastReview: epochMs('last_review'),
    introducedAt: epochMs('introduced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.questionId] }), index('review_cards_due_idx').on(t.learnerId, t.due)],
);

export const reviewLogs = pgTable(
  'review_logs',
  {
    id: autoId(),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    answerId: integer('answer_id').references(() => answers.id),
    rating: integer('rating').notNull(),
    cardBefore: jsonb('card_before').$type<unknown>(),
    reviewedAt: epochMs('reviewed_at').notNull(),
  },
  (t) => [index('review_logs_card_idx').on(t.learnerId, t.questionId, t.reviewedAt), index('review_logs_answer_idx').on(t.answerId)],
);

export const authSessions = pgTable(
  'auth_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    createdAt: nowMs('created_at'),
    expiresAt: epochMs('expires_at').notNull(),
  },
  (t) => [index('auth_sessions_learner_idx').on(t.learnerId)],
);

/** Rate-limit state shared by every app process: see db/schema.ts. */
export const limitState = pgTable(
  'limit_state',
  {
    key: text('key').primaryKey(),
    state: jsonb('state').$type<unknown>().notNull(),
    expiresAt: epochMs('expires_at').notNull(),
  },
  (t) => [index('limit_state_expires_idx').on(t.expiresAt)],
);
