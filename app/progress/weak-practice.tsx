'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTRPC } from '../_trpc/client';

/** 「この10問を練習」: a practice session of exactly the listed questions. */
export function WeakPracticeButton({ questionIds }: { questionIds: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const start = useMutation(trpc.progress.startWithQuestions.mutationOptions({ onSuccess: ({ sessionId }) => router.push(`/sessions/${sessionId}`) }));
  return (
    <div className="actions">
      <button type="button" disabled={questionIds.length === 0 || start.isPending} onClick={() => start.mutate({ questionIds })}>
        {start.isPending ? '準備中…' : `この${questionIds.length}問を練習`}
      </button>
      {start.error && (
        <p className="error" role="alert">
          {start.error.message}
        </p>
      )}
    </div>
  );
}
