import path from 'node:path';
import { TRPCError } from '@trpc/server';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { appRouter, createCaller } from '../../../server/root';
import { freshStore, STORES } from '../test-stores';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
const procedures = Object.keys(appRouter._def.procedures).sort();

/** Random JSON, plus values shaped like the real inputs with wrong, huge or odd fields. */
const hostile = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  fc.record({
    sessionId: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(1)),
    questionId: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('e2e-a-choice'), fc.constant('__proto__')),
    response: fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('choice', 'numeric', 'text', 'written', 'code', 'x'), value: fc.string({ unit: 'binary' }) })),
    timeSpentMs: fc.oneof(fc.integer(), fc.double(), fc.constant(-1)),
    chapters: fc.array(fc.constantFrom('rnn', 'lstm', 'nope', ''), { maxLength: 20 }),
    count: fc.oneof(fc.integer(), fc.constant(3)),
    order: fc.constantFrom('course', 'random', 'x'),
  }),
  fc.string({ minLength: 10_000, maxLength: 20_000 }),
);

function call(api: ReturnType<typeof createCaller>, procedure: string, input: unknown): Promise<unknown> {
  const fn = procedure.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api) as (i: unknown) => Promise<unknown>;
  return fn(input);
}

describe.each(STORES)('every tRPC procedure under random input (fast-check, %s)', (kind) => {
  it('covers the whole router', () => {
    expect(procedures).toEqual(expect.arrayContaining(['sessions.answer', 'sessions.submitCode', 'auth.signIn', 'progress.importHistory', 'review.correctRating']));
  });

  it.each(procedures)('%s answers with a result or a clean client error, never an internal one', async (procedure) => {
    const store = await freshStore(kind);
    await syncBank(store, bank);
    const grade = async () => ({ id: 0, ok: false as const, error: 'no grading in this test' });
    const api = createCaller(await createContextInner({ store, bank, grade }));
    await fc.assert(
      fc.asyncProperty(hostile, async (input) => {
        try {
          await call(api, procedure, input);
        } catch (error) {
          expect(error).toBeInstanceOf(TRPCError);
          expect((error as TRPCError).code, `${procedure} ← ${JSON.stringify(input)?.slice(0, 200)}`).not.toBe('INTERNAL_SERVER_ERROR');
          expect((error as TRPCError).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 60, seed: 1128 },
    );
  });
});
