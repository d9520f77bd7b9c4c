import { chaptersRouter } from './routers/chapters';
import { sessionsRouter } from './routers/sessions';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  chapters: chaptersRouter,
  sessions: sessionsRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
