import { learnerProcedure, router } from '../trpc';
import { chapterOverview } from '../services/chapters';

export const chaptersRouter = router({
  overview: learnerProcedure.query(({ ctx }) => chapterOverview(ctx)),
});
