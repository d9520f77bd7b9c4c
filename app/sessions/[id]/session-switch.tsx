'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../_trpc/client';
import { MockRunner } from './mock-runner';
import { SessionRunner } from './session-runner';

/** A mock exam runs in its own runner (timer, flags, no feedback); practice and review in the session runner. */
export function SessionSwitch({ sessionId }: { sessionId: number }) {
  const trpc = useTRPC();
  const session = useQuery(trpc.sessions.get.queryOptions({ sessionId }));
  if (session.isPending) return <p className="muted">読み込み中…</p>;
  if (session.error) return <p className="error" role="alert">{session.error.message}</p>;
  return session.data.mode === 'mock' ? <MockRunner sessionId={sessionId} /> : <SessionRunner sessionId={sessionId} />;
}
