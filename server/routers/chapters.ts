import { publicProcedure, router } from '../trpc';
import { chapterOverview } from '../services/chapters';

export const chaptersRouter = router({
  overview: publicProcedure.query(({ ctx }) => chapterOverview(ctx)),
});
