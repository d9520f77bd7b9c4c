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

// Looks like a link (it is one to the learner) but starts a session, so it is a button: a GET link would be prefetched.
const linkLook = {
  background: 'none',
  border: 0,
  padding: 0,
  minHeight: 0,
  color: 'var(--accent)',
  textDecoration: 'underline',
  textAlign: 'left',
  font: 'inherit',
  cursor: 'pointer',
} as const;

/** A question's title that starts a practice session of that one question. */
export function PracticeQuestionLink({ questionId, title }: { questionId: string; title: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const start = useMutation(trpc.progress.startWithQuestions.mutationOptions({ onSuccess: ({ sessionId }) => router.push(`/sessions/${sessionId}`) }));
  return (
    <>
      <button
        type="button"
        className="question-title practice-link"
        style={linkLook}
        title="この問題を練習する"
        disabled={start.isPending}
        onClick={() => start.mutate({ questionIds: [questionId] })}
      >
        {title}
      </button>
      {start.error && (
        <span className="error small" role="alert">
          {' '}
          {start.error.message}
        </span>
      )}
    </>
  );
}
