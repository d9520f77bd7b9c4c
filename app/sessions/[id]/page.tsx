import { notFound } from 'next/navigation';
import { requireLearner } from '../../_trpc/server';
import { SessionSwitch } from './session-switch';

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  await requireLearner();
  const { id } = await params;
  const sessionId = Number(id);
  if (!Number.isSafeInteger(sessionId) || sessionId <= 0) notFound();
  return <SessionSwitch sessionId={sessionId} />;
}
