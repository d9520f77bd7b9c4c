'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Response } from '@/graders/answers/response';
import type { SessionItem, SessionView } from '@/server/services/sessions';
import { TemplateView } from '../../_grading/code-editor';
import { useTRPC } from '../../_trpc/client';
import { choiceIdForKey, choiceKeysHint } from './choice-keys';
import { formatClock } from './clock';
import { AnswerInput, emptyDraft, FORM_LABEL, responseOf, type Draft } from './session-runner';

const TIME_UP = '試験時間が終了しました。';

/** The draft a saved answer shows when the learner comes back to it. */
function draftOf(response: Response | null): Draft {
  if (!response) return emptyDraft;
  switch (response.type) {
    case 'choice':
      return { ...emptyDraft, choice: response.choice };
    case 'multi':
      return { ...emptyDraft, choices: response.choices };
    case 'numeric':
    case 'text':
      return { ...emptyDraft, value: response.value };
    case 'written':
      return { ...emptyDraft, written: response.value };
    case 'code':
      return emptyDraft;
  }
}

function sameResponse(a: Response | null, b: Response | null): boolean {
  const norm = (r: Response | null) => (r?.type === 'multi' ? { ...r, choices: [...r.choices].sort() } : r);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/**
 * A mock exam: the server's countdown, answers saved without a verdict and changeable until the end, 「見直し」 flags,
 * a navigator of every question. At zero the exam is handed in and the result opens.
 */
export function MockRunner({ sessionId }: { sessionId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const queryKey = trpc.sessions.get.queryKey({ sessionId });
  const session = useQuery(trpc.sessions.get.queryOptions({ sessionId }));
  const data = session.data;
  const exam = data?.exam ?? null;

  const [position, setPosition] = useState<number | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [forms, setForms] = useState<Record<string, Response['type']>>({});
  const [justSaved, setJustSaved] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  /** the deadline on this browser's clock: the server's remaining time from when the view arrived */
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  /** time spent on each question since its answer was last saved (all visits); sent with the next save */
  const spent = useRef<Record<string, number>>({});
  const visitStart = useRef(Date.now());
  const handedIn = useRef(false);
  const inputRef = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);

  useEffect(() => {
    if (data && position === null) setPosition(Math.min(data.currentPosition, data.total - 1));
  }, [data, position]);
  useEffect(() => {
    if (exam && endsAt === null) setEndsAt(Date.now() + exam.remainingMs);
  }, [exam, endsAt]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    if (data?.finishedAt != null) router.replace(`/sessions/${sessionId}/summary`);
  }, [data?.finishedAt, router, sessionId]);

  const finish = useMutation(
    trpc.sessions.finish.mutationOptions({
      onSuccess: (view) => queryClient.setQueryData(queryKey, view),
      onError: () => {
        handedIn.current = false;
      },
    }),
  );
  const handIn = useCallback(() => {
    if (handedIn.current) return;
    handedIn.current = true;
    finish.mutate({ sessionId });
  }, [finish, sessionId]);

  const onRefused = useCallback(
    (error: { message: string }) => {
      if (error.message === TIME_UP) handIn();
    },
    [handIn],
  );
  const answer = useMutation(trpc.sessions.answer.mutationOptions({ onError: onRefused }));
  const flag = useMutation(
    trpc.sessions.flag.mutationOptions({
      onSuccess: ({ flagged }) =>
        queryClient.setQueryData(queryKey, (old: SessionView | undefined) => (old?.exam ? { ...old, exam: { ...old.exam, flagged } } : old)),
      onError: onRefused,
    }),
  );

  const remaining = endsAt === null ? null : Math.max(0, endsAt - now);
  // At zero the exam is handed in with what was saved.
  useEffect(() => {
    if (remaining === 0 && data?.finishedAt === null) handIn();
  }, [remaining, data?.finishedAt, handIn]);

  const item = data && position !== null ? data.items[position] : undefined;
  const draft = item ? (drafts[item.questionId] ?? draftOf(item.savedResponse)) : emptyDraft;
  const activeForm = item ? (forms[item.questionId] ?? item.savedResponse?.type ?? item.forms[0] ?? null) : null;
  const response = item && activeForm ? responseOf(item, activeForm, draft) : null;
  const dirty = !!item && response !== null && !sameResponse(response, item.savedResponse);
  const flagged = new Set(exam?.flagged ?? []);

  const takeTime = (questionId: string) => {
    const t = (spent.current[questionId] ?? 0) + (Date.now() - visitStart.current);
    spent.current[questionId] = 0;
    visitStart.current = Date.now();
    return t;
  };

  /** Saves an answer (replacing the saved one); resolves false when the server refused it. */
  const save = (target: SessionItem, res: Response): Promise<boolean> => {
    const timeSpentMs = takeTime(target.questionId);
    return answer.mutateAsync({ sessionId, questionId: target.questionId, response: res, timeSpentMs }).then(
      (saved) => {
        queryClient.setQueryData(queryKey, (old: SessionView | undefined) => {
          if (!old) return old;
          const items = old.items.map((it) => (it.position === saved.position ? { ...it, ...saved } : it));
          return { ...old, items, answeredCount: items.filter((it) => it.answered).length };
        });
        setDrafts(({ [target.questionId]: _, ...rest }) => rest);
        setJustSaved(target.questionId);
        return true;
      },
      () => {
        spent.current[target.questionId] = (spent.current[target.questionId] ?? 0) + timeSpentMs;
        return false;
      },
    );
  };

  /** Moves to another question; an unsaved change to this one is saved on the way. */
  const go = (to: number) => {
    if (!item || !data || to < 0 || to >= data.total || to === position) return;
    if (dirty && response) void save(item, response);
    else spent.current[item.questionId] = (spent.current[item.questionId] ?? 0) + (Date.now() - visitStart.current);
    visitStart.current = Date.now();
    answer.reset();
    setJustSaved(null);
    setPosition(to);
  };

  /** Hands the exam in, saving an unsaved change to the open question first. */
  const finishNow = () => {
    if (item && dirty && response) void save(item, response).then(handIn);
    else handIn();
  };

  const toggleFlag = () => {
    if (item) flag.mutate({ sessionId, questionId: item.questionId, flagged: !flagged.has(item.questionId) });
  };

  const setDraft = (update: (d: Draft) => Draft) => {
    if (!item) return;
    setJustSaved(null);
    setDrafts((all) => ({ ...all, [item.questionId]: update(all[item.questionId] ?? draftOf(item.savedResponse)) }));
  };

  // Keys: a–i (or 1–9) pick a choice, Enter saves, ← → move, M flags (F would shadow a choice f).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!item || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key === 'Enter') {
        if (event.target instanceof HTMLTextAreaElement && !event.shiftKey) return;
        // A focused action button keeps its own Enter; a clicked choice or form tab does not swallow the submit.
        if (event.target instanceof HTMLButtonElement && !event.target.matches('.choice, [role="tab"]')) return;
        event.preventDefault();
        if (dirty && response) void save(item, response);
        return;
      }
      if (typing) return;
      if (event.key === 'ArrowRight') return go((position ?? 0) + 1);
      if (event.key === 'ArrowLeft') return go((position ?? 0) - 1);
      if (event.key === 'm' || event.key === 'M') return toggleFlag();
      if (!item.choices || (activeForm !== 'choice' && activeForm !== 'multi')) return;
      const id = choiceIdForKey(event.key, item.choices);
      if (!id) return;
      setDraft((d) =>
        activeForm === 'choice' ? { ...d, choice: id } : { ...d, choices: d.choices.includes(id) ? d.choices.filter((c) => c !== id) : [...d.choices, id] },
      );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (session.isPending) return <p className="muted">読み込み中…</p>;
  if (session.error) return <p className="error" role="alert">{session.error.message}</p>;
  if (!data || !exam || !item || position === null) return <p className="muted">読み込み中…</p>;
  if (data.finishedAt !== null) return <p className="muted">採点しています…</p>;

  const answeredCount = data.items.filter((i) => i.answered).length;
  const unanswered = data.total - answeredCount;
  const shown = remaining ?? exam.remainingMs;
  const urgency = shown <= 60_000 ? 'urgent' : shown <= 5 * 60_000 ? 'warning' : '';

  return (
    <article className="mock-exam" aria-label="模擬試験" data-position={position} data-question-id={item.questionId}>
      <div className="exam-bar">
        <span className="progress-count">
          第{position + 1}問 / {data.total}
        </span>
        <span className="muted small">
          回答済み {answeredCount} / {data.total} · 見直し {flagged.size}
        </span>
        <span className={`exam-timer ${urgency}`} role="timer" aria-label="残り時間" data-testid="remaining" data-remaining-ms={Math.round(shown)}>
          残り {formatClock(shown)}
        </span>
      </div>

      <div className="card">
        <div className="prompt" dangerouslySetInnerHTML={{ __html: item.promptHtml }} />
        {item.kind === 'code' && item.code && <TemplateView source={item.code.template} label="テンプレート（空欄 ___ に入るコードを選ぶ）" />}

        {item.forms.length > 1 && (
          <div className="tabs" role="tablist" aria-label="回答形式">
            {item.forms.map((f) => (
              <button key={f} type="button" role="tab" aria-selected={activeForm === f} onClick={() => setForms((all) => ({ ...all, [item.questionId]: f }))}>
                {FORM_LABEL[f]}
              </button>
            ))}
          </div>
        )}
        {item.kind === 'removed' ? (
          <div className="prompt" />
        ) : (
          activeForm && <AnswerInput key={`${item.questionId}-${activeForm}`} item={item} form={activeForm} draft={draft} setDraft={setDraft} inputRef={inputRef} />
        )}

        <p className="save-state small" role="status" data-testid="save-state">
          {answer.isPending
            ? '保存中…'
            : justSaved === item.questionId && !dirty
              ? '回答を保存しました'
              : dirty && item.answered
                ? '変更はまだ保存されていません'
                : item.answered
                  ? '回答済み（試験の終了まで変更できます）'
                  : '未回答'}
        </p>
        {(answer.error ?? flag.error) && (
          <p className="error" role="alert">
            {(answer.error ?? flag.error)!.message}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={() => response && void save(item, response)} disabled={!dirty || answer.isPending}>
            回答を保存
          </button>
          <button
            type="button"
            className={`secondary flag-toggle${flagged.has(item.questionId) ? ' on' : ''}`}
            aria-pressed={flagged.has(item.questionId)}
            onClick={toggleFlag}
            disabled={flag.isPending}
          >
            {flagged.has(item.questionId) ? '見直しを外す' : '見直し'}
          </button>
          <button type="button" className="secondary" onClick={() => go(position - 1)} disabled={position === 0}>
            前の問題
          </button>
          <button type="button" className="secondary" onClick={() => go(position + 1)} disabled={position === data.total - 1}>
            次の問題
          </button>
          <span className="hint">キー操作: {item.choices ? `${choiceKeysHint(item.choices)}で選択、` : ''}Enter で保存、← → で移動、M で見直し</span>
        </div>
      </div>

      <nav className="exam-nav card" aria-label="問題一覧">
        <ol>
          {data.items.map((it) => {
            const state = [it.answered ? 'answered' : 'open', flagged.has(it.questionId) ? 'flagged' : ''].filter(Boolean).join(' ');
            return (
              <li key={it.position}>
                <button
                  type="button"
                  className={`nav-item ${state}`}
                  data-state={state}
                  aria-current={it.position === position}
                  aria-label={`第${it.position + 1}問 ${it.answered ? '回答済み' : '未回答'}${flagged.has(it.questionId) ? '・見直し' : ''}`}
                  onClick={() => go(it.position)}
                >
                  {it.position + 1}
                </button>
              </li>
            );
          })}
        </ol>
        <p className="hint exam-legend">
          <span className="nav-item answered">1</span> 回答済み <span className="nav-item open">1</span> 未回答 <span className="nav-item flagged open">1</span> 見直し
        </p>
      </nav>

      <section className="card" aria-label="試験の終了">
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)} disabled={finish.isPending}>
            試験を終了する
          </button>
        ) : (
          <>
            <p>
              {unanswered > 0 ? `未回答が ${unanswered} 問あります。` : 'すべての問題に回答しました。'}
              {flagged.size > 0 && `見直しの印が ${flagged.size} 問に付いています。`}
              終了すると回答は変更できません。
            </p>
            <div className="actions">
              <button type="button" onClick={finishNow} disabled={finish.isPending}>
                {finish.isPending ? '採点中…' : '終了して採点する'}
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                試験に戻る
              </button>
            </div>
          </>
        )}
        {finish.error && (
          <p className="error" role="alert">
            {finish.error.message}
          </p>
        )}
      </section>
    </article>
  );
}
