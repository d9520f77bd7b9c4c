import type { Store } from '../../db/store';

/** The same context on another store: the one a transaction hands its work (its writes must go there). */
export function withStore<C extends { store: Store }>(ctx: C, store: Store): C {
  return { ...ctx, store };
}
