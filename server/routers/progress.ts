import { z } from 'zod';
import { importHistory } from '../services/history';
import { progressOverview, progressSummary, recentAnswers, startWithQuestions } from '../services/progress';
import { learnerProcedure, router } from '../trpc';

export const progressRouter = router({
  overview: learnerProcedure.query(({ ctx }) => progressOverview(ctx)),
  summary: learnerProcedure.query(({ ctx }) => progressSummary(ctx)),
  answers: learnerProcedure
    .input(
      z
        .strictObject({ page: z.number().int().min(1).max(1_000_000).default(1), pageSize: z.number().int().min(5).max(100).default(20) })
        .default({ page: 1, pageSize: 20 }),
    )
    .query(({ ctx, input }) => recentAnswers(ctx, input.page, input.pageSize)),
  /** A practice session of exactly these questions (the page's 「この10問を練習」). */
  startWithQuestions: learnerProcedure
    .input(z.strictObject({ questionIds: z.array(z.string().min(1).max(100)).min(1).max(50) }))
    .mutation(({ ctx, input }) => startWithQuestions(ctx, input.questionIds)),
  /**
   * The parsed JSON of an export. Validated by the service with the strict HistoryFileSchema, so the learner gets the
   * first problems listed in Japanese (a zod error at this layer would be reduced to one generic message).
   */
  importHistory: learnerProcedure.input(z.unknown()).mutation(({ ctx, input }) => importHistory(ctx, input)),
});
