'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../../../_trpc/client';

/** 「間違えた問題をもう一度」: a new practice session of this session's wrong and partly right questions. */
export function RetryWrongButton({ sessionId, count }: { sessionId: number; count: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const retry = useMutation(trpc.sessions.retryWrong.mutationOptions({ onSuccess: ({ sessionId: next }) => router.push(`/sessions/${next}`) }));
  return (
    <>
      <button type="button" onClick={() => retry.mutate({ sessionId })} disabled={retry.isPending || retry.isSuccess}>
        間違えた問題をもう一度（{count} 問）
      </button>
      {retry.error && (
        <p className="error" role="alert">
          {retry.error.message}
        </p>
      )}
    </>
  );
}
