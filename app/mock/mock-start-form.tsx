'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { MockSize } from '@/server/services/mock-exam';
import { useTRPC } from '../_trpc/client';
import { formatMinutes } from '../sessions/[id]/clock';

/** The exam size (and its time limit), then 開始. */
export function MockStartForm({ sizes }: { sizes: { size: MockSize; timeLimitSec: number }[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [size, setSize] = useState<MockSize>(20);
  const start = useMutation(trpc.sessions.startMock.mutationOptions({ onSuccess: ({ sessionId }) => router.push(`/sessions/${sessionId}`) }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ size });
  };
  return (
    <form className="card mock-start" onSubmit={submit} aria-label="模擬試験の開始">
      <fieldset className="mock-sizes">
        <legend>問題数</legend>
        {sizes.map((s) => (
          <label key={s.size} className="mock-size" data-size={s.size}>
            <input type="radio" name="size" value={s.size} checked={size === s.size} onChange={() => setSize(s.size)} />
            <span className="mock-size-count">{s.size}問</span>
            <span className="muted small">制限時間 {formatMinutes(s.timeLimitSec)}</span>
            {s.size === 5 && <span className="muted small">お試し</span>}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={start.isPending}>
          {start.isPending ? '準備中…' : '模擬試験を開始'}
        </button>
        <span className="muted small">開始するとすぐにタイマーが動きます。</span>
      </div>
      {start.error && (
        <p className="error" role="alert">
          {start.error.message}
        </p>
      )}
    </form>
  );
}
