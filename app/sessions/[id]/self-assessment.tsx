'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { scoreOfPoints } from '@/graders/answers/grade-answer';
import type { RubricFeedback, SelfAssessment as Confirmation } from '@/graders/answers/response';
import type { SessionView } from '@/server/services/sessions';
import { useTRPC } from '../../_trpc/client';

const points = (score: number) => `${Math.round(score * 100)}点`;

/**
 * The learner confirms which rubric points their written answer covers (as Anki's self-rating and PrairieLearn's
 * manual grading do). The boxes start as the automatic match ticked them, which is only a guide; confirming sets the
 * recorded score and the review rating. Space toggles a box, Enter confirms.
 */
export function SelfAssessment({
  answerId,
  rubric,
  confirmation,
  score,
  autoFocus = false,
}: {
  answerId: number;
  rubric: RubricFeedback[];
  confirmation: Confirmation | undefined;
  /** the answer's recorded score: the automatic one until confirmed */
  score: number;
  /** focus the first box (the runner, right after answering) */
  autoFocus?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [met, setMet] = useState<boolean[]>(() => confirmation?.met ?? rubric.map((p) => p.matched));
  const first = useRef<HTMLInputElement>(null);
  const confirm = useMutation(
    trpc.sessions.confirmWritten.mutationOptions({
      onSuccess: ({ sessionId, item }) => {
        const queryKey = trpc.sessions.get.queryKey({ sessionId });
        if (queryClient.getQueryData(queryKey)) {
          // the runner: merge the item, then refetch the session's totals
          queryClient.setQueryData(queryKey, (old: SessionView | undefined) =>
            old ? { ...old, items: old.items.map((it) => (it.position === item.position ? { ...it, ...item } : it)) } : old,
          );
          void queryClient.invalidateQueries({ queryKey });
        } else {
          // the result page is rendered on the server
          router.refresh();
        }
      },
    }),
  );

  useEffect(() => {
    // only when the panel first appears, not again after confirming
    if (autoFocus && !confirmation) first.current?.focus({ preventScroll: true });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const preview = scoreOfPoints(rubric, met).score;
  const confirmed = confirmation !== undefined;
  const changed = confirmed && met.some((m, i) => m !== confirmation.met[i]);
  const titleId = `self-assess-${answerId}`;
  const submit = () => {
    if (!confirm.isPending) confirm.mutate({ answerId, met });
  };

  return (
    <form
      className="self-assess"
      aria-labelledby={titleId}
      data-confirmed={confirmed ? 'true' : 'false'}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
      onKeyDown={(event) => {
        // Enter on a box confirms (a form only submits on Enter from a text field)
        if (event.key === 'Enter' && !event.nativeEvent.isComposing && event.target instanceof HTMLInputElement) {
          event.preventDefault();
          submit();
        }
      }}
    >
      <h3 id={titleId} className="self-assess-title">
        自己採点{confirmed && <span className="badge">確定済み</span>}
      </h3>
      <p className="self-assess-note">自動判定は目安です。あなたの回答が満たしている観点を確認してください</p>
      <ul className="self-assess-points">
        {rubric.map((p, i) => (
          <li key={`${i}-${p.point}`}>
            <label>
              <input
                ref={i === 0 ? first : undefined}
                type="checkbox"
                name={`point-${i}`}
                checked={met[i] ?? false}
                onChange={(event) => {
                  const checked = event.target.checked;
                  setMet((m) => m.map((x, j) => (j === i ? checked : x)));
                }}
              />
              <span>{p.point}</span>
              {p.matched && <span className="badge auto-badge">自動判定で該当</span>}
            </label>
          </li>
        ))}
      </ul>
      <div className="self-assess-actions">
        <button type="submit" className={confirmed && !changed ? 'secondary' : ''} disabled={confirm.isPending}>
          {confirm.isPending ? '記録中…' : confirmed && !changed ? `確定済み（${points(score)}）` : `${confirmed ? '確定し直す' : 'この内容で確定する'}（${points(preview)}）`}
        </button>
        <span className="small muted kbd-hint">Space で切り替え、Enter で確定</span>
      </div>
      <p className="small muted" role="status" data-testid="self-assess-status">
        {confirmed
          ? `自己採点の ${points(score)} で記録しました（自動判定は ${points(confirmation.autoScore)}）。復習の予定にも反映されています。`
          : `確定するまでは、自動判定の ${points(score)} が仮の得点として記録されています。`}
      </p>
      {confirm.error && (
        <p className="error" role="alert">
          {confirm.error.message}
        </p>
      )}
    </form>
  );
}
