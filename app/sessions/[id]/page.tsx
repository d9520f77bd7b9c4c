import { notFound } from 'next/navigation';
import { SessionSwitch } from './session-switch';

export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const sessionId = Number(id);
  if (!Number.isSafeInteger(sessionId) || sessionId <= 0) notFound();
  return <SessionSwitch sessionId={sessionId} />;
}
