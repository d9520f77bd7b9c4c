import { and, eq, notInArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { questions } from '../../db/schema';
import type { Bank } from './bank';

/**
 * Mirrors the bank's ids into the questions table. Removed files are marked retired, never deleted:
 * answers keep pointing at them.
 */
export function syncBank(db: Db, bank: Bank): { upserted: number; retired: number } {
  const now = new Date();
  return db.transaction((tx) => {
    for (const q of bank.questions) {
      tx.insert(questions)
        .values({ id: q.id, chapter: q.chapter, kind: q.kind, source: q.source, contentHash: q.contentHash, retired: false, syncedAt: now })
        .onConflictDoUpdate({
          target: questions.id,
          set: { chapter: q.chapter, kind: q.kind, source: q.source, contentHash: q.contentHash, retired: false, syncedAt: now },
        })
        .run();
    }
    const ids = bank.questions.map((q) => q.id);
    const retired = tx
      .update(questions)
      .set({ retired: true, syncedAt: now })
      .where(ids.length > 0 ? and(eq(questions.retired, false), notInArray(questions.id, ids)) : eq(questions.retired, false))
      .run();
    return { upserted: ids.length, retired: retired.changes };
  });
}
