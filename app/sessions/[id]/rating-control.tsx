'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../_trpc/client';

const RATINGS = [
  { value: 1, label: 'もう一度' },
  { value: 2, label: '難しい' },
  { value: 3, label: '正解' },
  { value: 4, label: '簡単' },
] as const;

/** The FSRS rating this answer gave, which the learner may correct after reading the 解説. */
export function RatingControl({ answerId, rating }: { answerId: number; rating: number }) {
  const trpc = useTRPC();
  const [current, setCurrent] = useState(rating);
  const [due, setDue] = useState<number | null>(null);
  const correct = useMutation(
    trpc.review.correctRating.mutationOptions({
      onSuccess: (r) => {
        setCurrent(r.rating);
        setDue(r.due);
      },
    }),
  );
  return (
    <div className="rating-control small" role="group" aria-label="復習の評価">
      <span className="muted">復習の評価:</span>
      {RATINGS.map((r) => (
        <button
          key={r.value}
          type="button"
          className={r.value === current ? '' : 'secondary'}
          aria-pressed={r.value === current}
          disabled={correct.isPending}
          onClick={() => r.value !== current && correct.mutate({ answerId, rating: r.value })}
        >
          {r.label}
        </button>
      ))}
      {due !== null && <span className="muted">次回: {new Date(due).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' })}</span>}
      {correct.error && <span className="error">{correct.error.message}</span>}
    </div>
  );
}
