/**
 * tRPC, set up once.
 * 1. init with the context type and one error formatter
 * 2. the procedures the routers build with
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { STORAGE_FAILED_MESSAGE, storageFailureCause } from '../db/errors';
import type { Context, RequestContext } from './context';

// 1. init
const t = initTRPC.context<RequestContext>().create({
  errorFormatter({ shape, error }) {
    // Zod errors carry their flattened form so the UI can say which field; internal errors never leak their text.
    const zodError = error.cause instanceof z.ZodError ? z.flattenError(error.cause) : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const message = internal
      ? 'サーバーで問題が起きました。時間をおいてもう一度お試しください。'
      : zodError
        ? '入力の形式が正しくありません。'
        : shape.message;
    return {
      ...shape,
      message,
      data: { ...shape.data, stack: undefined, zodError },
    };
  },
});

// 2. procedures
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * A write the database could not store (disk full, read-only, I/O error, PostgreSQL out of reach: db/errors.ts) fails
 * with one message the learner can act on, as 503; the cause (the driver's error, unwrapped from drizzle's) goes to the log.
 */
const storageFailures = t.middleware(async ({ next, path }) => {
  const result = await next();
  const cause = result.ok ? undefined : storageFailureCause(result.error.cause);
  if (cause) {
    console.error(`${path}: not stored:`, cause);
    throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: STORAGE_FAILED_MESSAGE, cause });
  }
  return result;
});

/** For anyone, signed in or not: sign-up, sign-in, who am I. */
export const anonymousProcedure = t.procedure.use(storageFailures);

/** For a learner: the signed-in one, or the local learner while no account exists. Every query is scoped by it. */
export const learnerProcedure = anonymousProcedure.use(({ ctx, next }) => {
  if (ctx.learnerId === null) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'サインインしてください。' });
  return next({ ctx: { ...ctx, learnerId: ctx.learnerId } satisfies Context });
});
