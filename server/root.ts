import { chaptersRouter } from './routers/chapters';
import { reviewRouter } from './routers/review';
import { sessionsRouter } from './routers/sessions';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  chapters: chaptersRouter,
  sessions: sessionsRouter,
  review: reviewRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
