import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';

/** Awaits a call that must fail with this tRPC code and a message matching `message`. */
export async function expectTrpcError(promise: Promise<unknown>, code: TRPCError['code'], message: RegExp | string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  expect((error as TRPCError).message).toMatch(message);
}
