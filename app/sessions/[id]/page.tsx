import { notFound } from 'next/navigation';
import { SessionRunner } from './session-runner';

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const sessionId = Number(id);
  if (!Number.isSafeInteger(sessionId) || sessionId <= 0) notFound();
  return <SessionRunner sessionId={sessionId} />;
}
