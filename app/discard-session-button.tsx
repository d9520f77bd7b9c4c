'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useId, useRef } from 'react';
import { useTRPC } from './_trpc/client';

/** 「破棄」 beside an unfinished practice session on the home page; asks first, then reloads the list from the server. */
export function DiscardSessionButton({ sessionId, label }: { sessionId: number; label: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement | null>(null);
  const id = useId();
  const discard = useMutation(trpc.sessions.discard.mutationOptions({ onSuccess: () => router.refresh() }));

  return (
    <>
      <button
        type="button"
        className="secondary discard-button"
        aria-label={`破棄: ${label}`}
        disabled={discard.isPending || discard.isSuccess}
        onClick={() => dialog.current?.showModal()}
      >
        破棄
      </button>
      {discard.error && (
        <span className="error small" role="alert">
          {discard.error.message}
        </span>
      )}
      <dialog ref={dialog} className="card confirm-dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-note`}>
        <p id={`${id}-title`} className="confirm-title">
          このセッションを破棄しますか？
        </p>
        <p id={`${id}-note`} className="small muted">
          {label}。途中から再開できなくなります。すでに答えた問題の記録は進捗と復習に残ります。
        </p>
        <div className="actions">
          <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
            やめる
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => {
              dialog.current?.close();
              discard.mutate({ sessionId });
            }}
          >
            破棄する
          </button>
        </div>
      </dialog>
    </>
  );
}
