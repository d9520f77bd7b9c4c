'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../_trpc/client';

/** Starts today's review, and sets how many new questions a day it may introduce. */
export function ReviewActions({ total, dailyNewCards }: { total: number; dailyNewCards: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [limit, setLimit] = useState(String(dailyNewCards));
  const start = useMutation(trpc.review.start.mutationOptions({ onSuccess: ({ sessionId }) => router.push(`/sessions/${sessionId}`) }));
  const save = useMutation(trpc.review.setDailyNewCards.mutationOptions({ onSuccess: () => router.refresh() }));
  const parsed = Number(limit);
  const valid = Number.isInteger(parsed) && parsed >= 0 && parsed <= 200;
  return (
    <>
      <div className="actions">
        <button type="button" onClick={() => start.mutate()} disabled={total === 0 || start.isPending}>
          {total === 0 ? '今日の復習は終わりました' : `今日の復習を始める（${total} 問）`}
        </button>
        <label className="small">
          1日の新しい問題{' '}
          <input type="text" name="daily-new" inputMode="numeric" size={4} value={limit} onChange={(e) => setLimit(e.target.value)} /> 問
        </label>
        <button type="button" className="secondary" disabled={!valid || save.isPending} onClick={() => save.mutate({ dailyNewCards: parsed })}>
          保存
        </button>
        {!valid && <span className="error small">0〜200 の整数で入力してください</span>}
      </div>
      {(start.error ?? save.error) && <p className="error" role="alert">{(start.error ?? save.error)?.message}</p>}
    </>
  );
}
