import { and, eq, notInArray } from 'drizzle-orm';
import type { Store } from '../../db/store';
import type { Bank } from './bank';

/**
 * Mirrors the bank's ids into the questions table. Removed files are marked retired, never deleted:
 * answers keep pointing at them.
 */
export function syncBank(store: Store, bank: Bank): Promise<{ upserted: number; retired: number }> {
  const { questions } = store.tables;
  const now = new Date();
  return store.transaction(async (tx) => {
    for (const q of bank.questions) {
      await tx.db
        .insert(questions)
        .values({ id: q.id, chapter: q.chapter, kind: q.kind, source: q.source, contentHash: q.contentHash, retired: false, syncedAt: now })
        .onConflictDoUpdate({
          target: questions.id,
          set: { chapter: q.chapter, kind: q.kind, source: q.source, contentHash: q.contentHash, retired: false, syncedAt: now },
        });
    }
    const ids = bank.questions.map((q) => q.id);
    const retired = await tx.db
      .update(questions)
      .set({ retired: true, syncedAt: now })
      .where(ids.length > 0 ? and(eq(questions.retired, false), notInArray(questions.id, ids)) : eq(questions.retired, false))
      .returning({ id: questions.id });
    return { upserted: ids.length, retired: retired.length };
  });
}
