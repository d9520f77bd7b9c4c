import { z } from 'zod';
import { ResponseSchema } from '../../graders/answers/response';
import { CHAPTER_SLUGS } from '../bank/chapters';
import { KIND_GROUPS, SOURCE_GROUPS, STATUS_FILTERS } from '../bank/groups';
import { questionCatalog } from '../services/catalog';
import { reportBrowserVerdict, revealCode, runCode, submitCode } from '../services/code-answers';
import { clearMockAnswer, MOCK_SIZES, mockOverview, setPassTarget, startMock } from '../services/mock-exam';
import { answerQuestion, confirmWritten, discardSession, finishSession, flagQuestion, getSession, listSessions, retryWrong, startSession } from '../services/sessions';
import { learnerProcedure, router } from '../trpc';

const SessionIdSchema = z.strictObject({ sessionId: z.number().int().positive() });
/** A code item of a session */
const CodeItemSchema = z.strictObject({ sessionId: z.number().int().positive(), questionId: z.string().min(1).max(100) });
/** The browser's verdict of a submission, kept beside the server's for comparison */
const BrowserVerdictSchema = z.strictObject({
  verdict: z.enum(['correct', 'incorrect', 'error']),
  backend: z.string().max(20),
  passed: z.number().int().min(0).max(100),
  total: z.number().int().min(0).max(100),
});

export const sessionsRouter = router({
  start: learnerProcedure
    .input(
      z.strictObject({
        chapters: z.array(z.enum(CHAPTER_SLUGS)).min(1).max(CHAPTER_SLUGS.length),
        count: z.number().int().min(1).max(100),
        order: z.enum(['course', 'random']),
        filters: z
          .strictObject({
            kinds: z.array(z.enum(KIND_GROUPS)).max(KIND_GROUPS.length).optional(),
            sources: z.array(z.enum(SOURCE_GROUPS)).max(SOURCE_GROUPS.length).optional(),
            status: z.enum(STATUS_FILTERS).optional(),
          })
          .optional(),
      }),
    )
    .mutation(({ ctx, input }) => startSession(ctx, input)),
  /** A timed mock exam over all chapters: 72 s a question, kept by the server. */
  startMock: learnerProcedure
    .input(z.strictObject({ size: z.literal(MOCK_SIZES) }))
    .mutation(({ ctx, input }) => startMock(ctx, input)),
  mockOverview: learnerProcedure.query(({ ctx }) => mockOverview(ctx)),
  setPassTarget: learnerProcedure
    .input(z.strictObject({ passTarget: z.number().min(0.3).max(1) }))
    .mutation(({ ctx, input }) => setPassTarget(ctx, input.passTarget)),
  catalog: learnerProcedure.query(({ ctx }) => questionCatalog(ctx)),
  get: learnerProcedure.input(SessionIdSchema).query(({ ctx, input }) => getSession(ctx, input.sessionId)),
  answer: learnerProcedure
    .input(
      z.strictObject({
        sessionId: z.number().int().positive(),
        questionId: z.string().min(1).max(100),
        response: ResponseSchema,
        timeSpentMs: z.number().finite().min(0).max(1e9),
        /** the client's random id of this save, sent again on its retries (a mock exam then adds its time once) */
        requestId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
      }),
    )
    .mutation(({ ctx, input }) => answerQuestion(ctx, input)),
  submitCode: learnerProcedure
    .input(
      z.strictObject({
        sessionId: z.number().int().positive(),
        questionId: z.string().min(1).max(100),
        code: z.string().max(8000),
        timeSpentMs: z.number().finite().min(0).max(1e9),
        browser: BrowserVerdictSchema.optional(),
      }),
    )
    .mutation(({ ctx, input }) => submitCode(ctx, input)),
  /** 実行 on the server (the example case, nothing recorded): the page's fallback when the browser is slow or fails. */
  runCode: learnerProcedure
    .input(CodeItemSchema.extend({ code: z.string().max(8000) }))
    .mutation(({ ctx, input }) => runCode(ctx, input)),
  /** The browser's verdict of a recorded try, when it arrived after the server's. */
  reportBrowserVerdict: learnerProcedure
    .input(CodeItemSchema.extend({ attempt: z.number().int().min(1).max(100).optional(), browser: BrowserVerdictSchema }))
    .mutation(({ ctx, input }) => reportBrowserVerdict(ctx, input)),
  /** 「解答を見る」: ends a code item's tries and shows its model answer. */
  revealCode: learnerProcedure.input(CodeItemSchema).mutation(({ ctx, input }) => revealCode(ctx, input)),
  /** 「間違えた問題をもう一度」: a new practice session of the questions answered wrong or partly right. */
  retryWrong: learnerProcedure.input(SessionIdSchema).mutation(({ ctx, input }) => retryWrong(ctx, input.sessionId)),
  /** Mock exam: mark a question 「見直し」 to come back to it (or clear the mark). */
  flag: learnerProcedure
    .input(z.strictObject({ sessionId: z.number().int().positive(), questionId: z.string().min(1).max(100), flagged: z.boolean() }))
    .mutation(({ ctx, input }) => flagQuestion(ctx, input)),
  /** Mock exam: take back a saved answer (the learner emptied it), so the question is unanswered again. */
  clearMockAnswer: learnerProcedure
    .input(z.strictObject({ sessionId: z.number().int().positive(), questionId: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => clearMockAnswer(ctx, input)),
  /** A written answer: the learner confirms which rubric points it covers; its score and FSRS rating follow. */
  confirmWritten: learnerProcedure
    .input(z.strictObject({ answerId: z.number().int().positive(), met: z.array(z.boolean()).min(1).max(100) }))
    .mutation(({ ctx, input }) => confirmWritten(ctx, input)),
  finish: learnerProcedure.input(SessionIdSchema).mutation(({ ctx, input }) => finishSession(ctx, input.sessionId)),
  /** 「破棄」 an unfinished practice session: ended and marked discarded; its answers are kept. */
  discard: learnerProcedure.input(SessionIdSchema).mutation(({ ctx, input }) => discardSession(ctx, input.sessionId)),
  list: learnerProcedure
    .input(z.strictObject({ limit: z.number().int().min(1).max(50).default(10), unfinished: z.boolean().optional() }).default({ limit: 10 }))
    .query(({ ctx, input }) => listSessions(ctx, input.limit, { unfinished: input.unfinished })),
});
