'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '../_trpc/client';

/** The learner's own pass line for the mock exam, in percent. */
export function PassTargetForm({ passTarget }: { passTarget: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [value, setValue] = useState(String(Math.round(passTarget * 100)));
  const save = useMutation(trpc.sessions.setPassTarget.mutationOptions({ onSuccess: () => router.refresh() }));
  const percent = Number(value);
  const valid = Number.isFinite(percent) && percent >= 30 && percent <= 100;
  return (
    <div className="actions small" role="group" aria-label="合格ライン">
      <label>
        合格ライン <input type="text" inputMode="numeric" name="pass-target" size={4} value={value} onChange={(e) => setValue(e.target.value)} /> %
      </label>
      <button type="button" className="secondary" disabled={!valid || save.isPending} onClick={() => save.mutate({ passTarget: percent / 100 })}>
        保存
      </button>
      {!valid && <span className="error">30〜100 の数で入力してください</span>}
      {save.error && <span className="error">{save.error.message}</span>}
    </div>
  );
}
