import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Times are stored as integer milliseconds since the epoch (mode 'timestamp_ms').
const nowMs = (name: string) =>
  integer(name, { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/**
 * A learner. Until the first account is created the app runs for one local learner (no email); the first account
 * to sign up takes over that learner and its history.
 */
export const learners = sqliteTable('learners', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  /** sign-in address, lower-cased; null for the local learner */
  email: text('email').unique(),
  /** scrypt hash (server/auth/password.ts); null for the local learner */
  passwordHash: text('password_hash'),
  /** how many never-seen questions 今日の復習 may introduce per day */
  dailyNewCards: integer('daily_new_cards').notNull().default(10),
  /** the mock exam's pass line (share of the score) */
  passTarget: real('pass_target').notNull().default(0.7),
  createdAt: nowMs('created_at'),
});

/**
 * The bank as last synced from questions/: one row per question id ever published.
 * Files stay the source of truth; this table lets queries join and count by chapter.
 */
export const questions = sqliteTable(
  'questions',
  {
    id: text('id').primaryKey(),
    chapter: text('chapter').notNull(),
    kind: text('kind').notNull(),
    source: text('source').notNull(),
    contentHash: text('content_hash').notNull(),
    /** true when the file was removed from the bank; answers keep pointing at it. */
    retired: integer('retired', { mode: 'boolean' }).notNull().default(false),
    syncedAt: integer('synced_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('questions_chapter_idx').on(t.chapter)],
);

export const practiceSessions = sqliteTable(
  'practice_sessions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    /** practice and review: verdict shown after each answer; mock: shown at the end, answers revisable until then. */
    mode: text('mode', { enum: ['practice', 'mock', 'review'] }).notNull(),
    chapters: text('chapters', { mode: 'json' }).$type<string[]>().notNull(),
    questionIds: text('question_ids', { mode: 'json' }).$type<string[]>().notNull(),
    order: text('order', { enum: ['course', 'random'] }).notNull(),
    seed: integer('seed').notNull(),
    timeLimitSec: integer('time_limit_sec'),
    /** question ids the learner flagged to revisit (mock exam) */
    flagged: text('flagged', { mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    startedAt: nowMs('started_at'),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
    /**
     * 「破棄」 on the home page: the session ended without a result (finishedAt is set too, so nothing more can be
     * answered). Its answers stay: they were graded when given and already feed statistics and FSRS.
     */
    discardedAt: integer('discarded_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('sessions_learner_idx').on(t.learnerId, t.startedAt)],
);

export const answers = sqliteTable(
  'answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: integer('session_id')
      .notNull()
      .references(() => practiceSessions.id),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    /** sha256 of the question file when answered: tells a later reader which version was graded. */
    questionHash: text('question_hash').notNull(),
    position: integer('position').notNull(),
    response: text('response', { mode: 'json' }).$type<unknown>().notNull(),
    verdict: text('verdict', { enum: ['correct', 'partial', 'incorrect'] }).notNull(),
    score: real('score').notNull(),
    /** grading details (matched rubric points, …) shown when the answer is reviewed. */
    feedback: text('feedback', { mode: 'json' }).$type<unknown>(),
    /** the seed the grader used (code items); null where grading uses none. */
    seed: integer('seed'),
    timeSpentMs: integer('time_spent_ms').notNull(),
    createdAt: nowMs('created_at'),
    /** code items in practice: when the learner asked for the model answer (no further attempts after it) */
    revealedAt: integer('revealed_at', { mode: 'timestamp_ms' }),
    /**
     * The client's id of the request that last wrote the row (a mock exam's save): a retry of that request carries the
     * same id and adds no time (server/services/sessions.ts recordAnswer). Null when the client sent none.
     */
    requestId: text('request_id'),
  },
  (t) => [
    uniqueIndex('answers_session_question_uq').on(t.sessionId, t.questionId),
    // Covers the progress page's per-question scans (counts, first and latest answer) without reading the table.
    index('answers_learner_question_idx').on(t.learnerId, t.questionId, t.createdAt, t.score, t.verdict, t.timeSpentMs, t.sessionId),
    // The learner's answers in time order: the history list, daily activity and weekly trend.
    index('answers_learner_created_idx').on(t.learnerId, t.createdAt),
  ],
);

/**
 * Every counted try at a code item in practice (a syntax error or a limit hit is not one). The first try is also the
 * `answers` row, the one statistics and FSRS read; later tries are kept here only.
 */
export const codeAttempts = sqliteTable(
  'code_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Cascade: discarding a session takes its tries with it.
    sessionId: integer('session_id')
      .notNull()
      .references(() => practiceSessions.id, { onDelete: 'cascade' }),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    /** 1, 2, 3 */
    attempt: integer('attempt').notNull(),
    code: text('code').notNull(),
    verdict: text('verdict', { enum: ['correct', 'incorrect'] }).notNull(),
    score: real('score').notNull(),
    seed: integer('seed').notNull(),
    /** { code: CodeFeedback }, as in answers.feedback */
    feedback: text('feedback', { mode: 'json' }).$type<unknown>().notNull(),
    createdAt: nowMs('created_at'),
  },
  (t) => [uniqueIndex('code_attempts_session_question_attempt_uq').on(t.sessionId, t.questionId, t.attempt)],
);

/** The FSRS card of one question for one learner (ts-fsrs Card fields); `due` is indexed for the review queue. */
export const reviewCards = sqliteTable(
  'review_cards',
  {
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    due: integer('due', { mode: 'timestamp_ms' }).notNull(),
    stability: real('stability').notNull(),
    difficulty: real('difficulty').notNull(),
    elapsedDays: integer('elapsed_days').notNull(),
    scheduledDays: integer('scheduled_days').notNull(),
    learningSteps: integer('learning_steps').notNull(),
    reps: integer('reps').notNull(),
    lapses: integer('lapses').notNull(),
    state: integer('state').notNull(),
    lastReview: integer('last_review', { mode: 'timestamp_ms' }),
    /** the first review: counts against the daily new-card limit on that day */
    introducedAt: integer('introduced_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.learnerId, t.questionId] }), index('review_cards_due_idx').on(t.learnerId, t.due)],
);

/** Every review applied to a card, with the card before it, so the learner can correct the rating afterwards. */
export const reviewLogs = sqliteTable(
  'review_logs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    questionId: text('question_id').notNull(),
    answerId: integer('answer_id').references(() => answers.id),
    /** ts-fsrs Rating: 1 Again, 2 Hard, 3 Good, 4 Easy */
    rating: integer('rating').notNull(),
    /** the card before this review (null: a new card) */
    cardBefore: text('card_before', { mode: 'json' }).$type<unknown>(),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('review_logs_card_idx').on(t.learnerId, t.questionId, t.reviewedAt), index('review_logs_answer_idx').on(t.answerId)],
);

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a leaked table signs no one in. */
export const authSessions = sqliteTable(
  'auth_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    learnerId: integer('learner_id')
      .notNull()
      .references(() => learners.id),
    createdAt: nowMs('created_at'),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('auth_sessions_learner_idx').on(t.learnerId)],
);

/**
 * Rate-limit state shared by every app process (issue 16): one row per limited key (an account, an address, a
 * learner's submissions), its counters as JSON (server/auth/rate-limit.ts), read and rewritten under a lock
 * (db/limit-state.ts). A row past `expires_at` counts as absent and is deleted from time to time.
 */
export const limitState = sqliteTable(
  'limit_state',
  {
    key: text('key').primaryKey(),
    state: text('state', { mode: 'json' }).$type<unknown>().notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('limit_state_expires_idx').on(t.expiresAt)],
);

export type Learner = typeof learners.$inferSelect;
export type ReviewCard = typeof reviewCards.$inferSelect;
export type PracticeSession = typeof practiceSessions.$inferSelect;
export type Answer = typeof answers.$inferSelect;
export type CodeAttempt = typeof codeAttempts.$inferSelect;
