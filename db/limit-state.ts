import { eq, lte, sql } from 'drizzle-orm';
import type { LimitChange, LimitState } from '../server/auth/limit-state';
import type { Store } from './store';

/*
 * The rate limits' counters in the database (table limit_state), so every app process on one PostgreSQL counts the
 * same attempts, and a restart forgets nothing. An update is one transaction: on PostgreSQL a transaction-scoped
 * advisory lock on the key serialises the read-compute-write of one key across processes (a row lock cannot be taken
 * on a row that does not exist yet); on SQLite the store's transaction is already BEGIN IMMEDIATE, one writer at a time.
 */

/** Expired rows are deleted once in this many updates (cheap: the expiry index). */
const PRUNE_EVERY = 500;

export class StoreLimitState implements LimitState {
  private updates = 0;

  constructor(private readonly store: Store) {}

  async update<S, R>(key: string, now: number, change: (state: S | undefined) => LimitChange<S, R>): Promise<R> {
    const { limitState } = this.store.tables;
    const result = await this.store.transaction(async (tx) => {
      if (tx.dialect === 'pg') await tx.rows(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
      const [row] = await tx.db.select().from(limitState).where(eq(limitState.key, key));
      const current = row && row.expiresAt.getTime() > now ? (row.state as S) : undefined;
      const next = change(current);
      if (next.state === undefined) {
        if (row) await tx.db.delete(limitState).where(eq(limitState.key, key));
      } else {
        const values = { state: next.state as unknown, expiresAt: new Date(next.expiresAt) };
        await tx.db.insert(limitState).values({ key, ...values }).onConflictDoUpdate({ target: limitState.key, set: values });
      }
      return next.result;
    });
    this.updates += 1;
    if (this.updates % PRUNE_EVERY === 0) await this.prune(now);
    return result;
  }

  /** Deletes the rows that have expired at `now`. */
  async prune(now: number): Promise<void> {
    const { limitState } = this.store.tables;
    await this.store.transaction((tx) => tx.db.delete(limitState).where(lte(limitState.expiresAt, new Date(now))));
  }
}

const shared = new WeakMap<Store, StoreLimitState>();

/** The limit state of a store: one per store, so its prune count is shared. */
export function storeLimitState(store: Store): StoreLimitState {
  let state = shared.get(store);
  if (!state) {
    state = new StoreLimitState(store);
    shared.set(store, state);
  }
  return state;
}
