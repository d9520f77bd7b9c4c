import { z } from 'zod';
import { correctRating, reviewQueue, setDailyNewCards, startReview } from '../services/review';
import { learnerProcedure, router } from '../trpc';

export const reviewRouter = router({
  queue: learnerProcedure.query(({ ctx }) => reviewQueue(ctx)),
  start: learnerProcedure.mutation(({ ctx }) => startReview(ctx)),
  correctRating: learnerProcedure
    .input(z.strictObject({ answerId: z.number().int().positive(), rating: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]) }))
    .mutation(({ ctx, input }) => correctRating(ctx, input.answerId, input.rating)),
  setDailyNewCards: learnerProcedure
    .input(z.strictObject({ dailyNewCards: z.number().int().min(0).max(200) }))
    .mutation(({ ctx, input }) => setDailyNewCards(ctx, input.dailyNewCards)),
});
