import { authRouter } from './routers/auth';
import { chaptersRouter } from './routers/chapters';
import { progressRouter } from './routers/progress';
import { reviewRouter } from './routers/review';
import { sessionsRouter } from './routers/sessions';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  auth: authRouter,
  chapters: chaptersRouter,
  sessions: sessionsRouter,
  review: reviewRouter,
  progress: progressRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
