import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../db/store';
import { buildBank } from '../../../server/bank/bank';
import { syncBank } from '../../../server/bank/sync';
import { createContextInner } from '../../../server/context';
import { createCaller } from '../../../server/root';
import { expectTrpcError } from '../expect-trpc-error';
import { freshStore, STORES } from '../test-stores';

const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));

let store: Store;
let api: ReturnType<typeof createCaller>;

const sessionRow = async (id: number) => {
  const { practiceSessions } = store.tables;
  return (await store.db.select().from(practiceSessions).where(eq(practiceSessions.id, id)))[0]!;
};
const unfinishedIds = async () => (await api.sessions.list({ limit: 10, unfinished: true })).map((s) => s.id);

describe.each(STORES)('sessions.discard (%s)', (kind) => {
  beforeEach(async () => {
    store = await freshStore(kind);
    await syncBank(store, bank);
    api = createCaller(await createContextInner({ store, bank }));
  });

  it('ends the owner’s unfinished session, keeps its answers and its review card, and drops it from the unfinished list', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    const other = await api.sessions.start({ chapters: ['lstm'], count: 1, order: 'course' });
    await api.sessions.answer({ sessionId, questionId: 'e2e-a-choice', response: { type: 'choice', choice: 'b' }, timeSpentMs: 3000 });
    expect(await unfinishedIds()).toEqual([other.sessionId, sessionId]);

    const before = await api.progress.summary();
    const result = await api.sessions.discard({ sessionId });
    expect(result.sessionId).toBe(sessionId);

    const row = await sessionRow(sessionId);
    expect(row.discardedAt?.getTime()).toBe(result.discardedAt);
    expect(row.finishedAt?.getTime()).toBe(result.discardedAt);
    expect(await unfinishedIds()).toEqual([other.sessionId]);
    // The full list still has it, marked as discarded.
    const listed = (await api.sessions.list({ limit: 10 })).find((s) => s.id === sessionId);
    expect(listed).toMatchObject({ answeredCount: 1, total: 2, discardedAt: result.discardedAt, finishedAt: result.discardedAt });

    // The answer given before stays, with the statistics and the FSRS card it fed.
    const { answers, reviewCards } = store.tables;
    expect((await store.db.select().from(answers).where(eq(answers.sessionId, sessionId))).map((a) => [a.questionId, a.verdict])).toEqual([['e2e-a-choice', 'correct']]);
    expect(await store.db.select().from(reviewCards).where(eq(reviewCards.questionId, 'e2e-a-choice'))).toHaveLength(1);
    expect(await api.progress.summary()).toEqual(before);

    // Nothing more can be answered in it.
    await expectTrpcError(
      api.sessions.answer({ sessionId, questionId: 'e2e-b-numeric', response: { type: 'numeric', value: '0.25' }, timeSpentMs: 10 }),
      'BAD_REQUEST',
      'このセッションは終了しています。',
    );
    // The other session is untouched.
    expect(await sessionRow(other.sessionId)).toMatchObject({ finishedAt: null, discardedAt: null });
  });

  it('is idempotent: discarding again answers the same and changes nothing', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    const first = await api.sessions.discard({ sessionId });
    const again = await api.sessions.discard({ sessionId });
    expect(again).toEqual(first);
    expect((await sessionRow(sessionId)).discardedAt?.getTime()).toBe(first.discardedAt);
  });

  it('refuses a session that ended normally, keeping its result', async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['lstm'], count: 1, order: 'course' });
    const finished = await api.sessions.finish({ sessionId });
    await expectTrpcError(api.sessions.discard({ sessionId }), 'BAD_REQUEST', 'このセッションはすでに終了しているため、破棄できません。');
    expect(await sessionRow(sessionId)).toMatchObject({ discardedAt: null });
    expect((await sessionRow(sessionId)).finishedAt?.getTime()).toBe(finished.finishedAt);
  });

  it('refuses a running mock exam (it ends at its deadline or when handed in)', async () => {
    const { learnerId } = await sessionRow((await api.sessions.start({ chapters: ['rnn'], count: 1, order: 'course' })).sessionId);
    const [mock] = await store.db
      .insert(store.tables.practiceSessions)
      .values({ learnerId, mode: 'mock', chapters: ['rnn'], questionIds: ['e2e-a-choice'], order: 'course', seed: 1, timeLimitSec: 3600 })
      .returning();
    await expectTrpcError(
      api.sessions.discard({ sessionId: mock!.id }),
      'BAD_REQUEST',
      '模擬試験は破棄できません。試験を終了するか、制限時間まで待ってください。',
    );
    expect(await sessionRow(mock!.id)).toMatchObject({ finishedAt: null, discardedAt: null });
  });

  it("keeps another learner out: NOT_FOUND in Japanese, and the owner's session stays open", async () => {
    const { sessionId } = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    const [stranger] = await store.db.insert(store.tables.learners).values({ name: 'B' }).returning();
    const b = createCaller(await createContextInner({ store, bank, learnerId: stranger!.id }));
    await expectTrpcError(b.sessions.discard({ sessionId }), 'NOT_FOUND', 'セッションが見つかりません。');
    await expectTrpcError(b.sessions.discard({ sessionId: 999_999 }), 'NOT_FOUND', 'セッションが見つかりません。');
    expect(await sessionRow(sessionId)).toMatchObject({ finishedAt: null, discardedAt: null });
    expect(await unfinishedIds()).toEqual([sessionId]);
  });

  it('lists older unfinished sessions even when the newest ones are finished', async () => {
    const old = await api.sessions.start({ chapters: ['rnn'], count: 2, order: 'course' });
    for (let i = 0; i < 6; i++) {
      const { sessionId } = await api.sessions.start({ chapters: ['lstm'], count: 1, order: 'course' });
      await api.sessions.finish({ sessionId });
    }
    expect((await api.sessions.list({ limit: 5 })).map((s) => s.id)).not.toContain(old.sessionId);
    expect(await unfinishedIds()).toEqual([old.sessionId]);
  });
});
