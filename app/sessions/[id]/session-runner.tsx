'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Response } from '@/graders/answers/response';
import type { AnsweredItem, SessionItem, SessionView } from '@/server/services/sessions';
import { useTRPC } from '../../_trpc/client';
import { choiceIdForKey, choiceKeysHint } from './choice-keys';
import { ModKeyName } from '../../keyboard';
import { AttemptsNote, CodeAnswer } from './code-answer';
import { ItemResultView, SOURCE_LABEL } from './item-result';

export const FORM_LABEL: Record<Response['type'], string> = {
  choice: '選択式で答える',
  multi: '選択式で答える',
  numeric: '数値で答える',
  text: '答えを入力する',
  written: '記述式で答える',
  code: 'コードを書く',
};

export type Draft = { choice: string | null; choices: string[]; value: string; written: string };
export const emptyDraft: Draft = { choice: null, choices: [], value: '', written: '' };

/** Builds the response of the form in use, or null when nothing is entered yet. */
export function responseOf(item: SessionItem, form: Response['type'], draft: Draft): Response | null {
  switch (form) {
    case 'choice':
      return draft.choice ? { type: 'choice', choice: draft.choice } : null;
    case 'multi':
      return draft.choices.length > 0 ? { type: 'multi', choices: draft.choices } : null;
    case 'numeric':
    case 'text':
      return draft.value.trim() ? { type: form, value: draft.value } : null;
    case 'written':
      return draft.written.trim() ? { type: 'written', value: draft.written } : null;
    case 'code':
      return null; // code items are answered in their editor, not here
  }
}

export function SessionRunner({ sessionId }: { sessionId: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const queryKey = trpc.sessions.get.queryKey({ sessionId });
  const session = useQuery(trpc.sessions.get.queryOptions({ sessionId }));
  const [position, setPosition] = useState<number | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [form, setForm] = useState<Response['type'] | null>(null);
  const shownAt = useRef(Date.now());
  const inputRef = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const stemRef = useRef<HTMLHeadingElement | null>(null);
  const finishDialog = useRef<HTMLDialogElement | null>(null);
  const shownPosition = useRef<number | null>(null);
  const movedTo = useRef<number | null>(null);

  const data = session.data;
  // Resume where the learner stopped: the first unanswered question.
  useEffect(() => {
    if (data && position === null) setPosition(Math.min(data.currentPosition, data.total - 1));
  }, [data, position]);

  const item = data && position !== null ? data.items[position] : undefined;
  const activeForm = item ? (form && item.forms.includes(form) ? form : (item.forms[0] ?? null)) : null;

  useEffect(() => {
    setDraft(emptyDraft);
    setForm(null);
    shownAt.current = Date.now();
  }, [position]);

  // Another question opened (次の問題へ, 前の問題, the list): its stem at the top of the screen, and focused so a screen
  // reader starts there. Not on the first load, where the page is at its top already.
  useEffect(() => {
    if (position === null || !data) return;
    if (shownPosition.current !== null && shownPosition.current !== position) {
      movedTo.current = position;
      stemRef.current?.scrollIntoView({ block: 'start' });
      stemRef.current?.focus({ preventScroll: true });
    }
    shownPosition.current = position;
  }, [position, data]);

  const storeAnswered = useCallback(
    (answered: AnsweredItem) =>
      queryClient.setQueryData(queryKey, (old: SessionView | undefined) =>
        old
          ? {
              ...old,
              // a code item's second try is not a second answer
              answeredCount: old.answeredCount + (old.items.some((it) => it.position === answered.position && !it.answered) ? 1 : 0),
              items: old.items.map((it) => (it.position === answered.position ? { ...it, ...answered } : it)),
            }
          : old,
      ),
    [queryClient, queryKey],
  );
  const answer = useMutation(trpc.sessions.answer.mutationOptions({ onSuccess: storeAnswered }));
  const finish = useMutation(
    trpc.sessions.finish.mutationOptions({ onSuccess: () => router.push(`/sessions/${sessionId}/summary`) }),
  );

  const submit = useCallback(() => {
    if (!item || !activeForm || item.answered || answer.isPending) return;
    const response = responseOf(item, activeForm, draft);
    if (!response) return;
    answer.mutate({ sessionId, questionId: item.questionId, response, timeSpentMs: Date.now() - shownAt.current });
  }, [item, activeForm, draft, answer, sessionId]);

  const unanswered = data ? data.items.filter((it) => !it.answered && it.kind !== 'removed').length : 0;
  /** 終了: asks first while questions are unanswered (they are not scored, and cannot be answered afterwards). */
  const askFinish = useCallback(() => {
    if (unanswered > 0 && data?.finishedAt === null) finishDialog.current?.showModal();
    else finish.mutate({ sessionId });
  }, [unanswered, data, finish, sessionId]);

  const isLast = data ? position === data.total - 1 : false;
  const next = useCallback(() => {
    if (!data || position === null) return;
    answer.reset();
    if (isLast) askFinish();
    else setPosition(position + 1);
  }, [data, position, isLast, askFinish, answer]);

  // Once a written answer's self-assessment is confirmed (not on opening a confirmed one), 次の問題へ is the next step.
  const nextButton = useRef<HTMLButtonElement | null>(null);
  const confirmedAt = item?.result?.feedback?.selfAssessment?.at;
  const lastConfirmed = useRef<{ questionId: string; at: number | undefined } | null>(null);
  useEffect(() => {
    const before = lastConfirmed.current;
    lastConfirmed.current = item ? { questionId: item.questionId, at: confirmedAt } : null;
    if (item && before?.questionId === item.questionId && confirmedAt !== undefined && before.at !== confirmedAt) nextButton.current?.focus({ preventScroll: true });
  }, [item, confirmedAt]);

  // Keys: a–i (or 1–9) pick a choice, Enter submits, then Enter again moves on.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!item || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
      // The finish dialog is modal: keys go to its buttons, not to the question behind it.
      if (finishDialog.current?.open) return;
      // The code editor handles its own keys.
      if (event.target instanceof HTMLElement && event.target.closest('.cm-editor')) return;
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key === 'Enter') {
        if (event.target instanceof HTMLTextAreaElement && !event.shiftKey && !item.answered) return;
        // A focused action button keeps its own Enter; a clicked choice or form tab does not swallow the submit.
        if (event.target instanceof HTMLButtonElement && !event.target.matches('.choice, [role="tab"]')) return;
        // A written answer's self-assessment takes its own Enter; until it is confirmed, Enter anywhere confirms it.
        if (event.target instanceof HTMLElement && event.target.closest('.self-assess')) return;
        const unconfirmed = item.answered ? document.querySelector<HTMLFormElement>('form.self-assess[data-confirmed="false"]') : null;
        if (unconfirmed) {
          event.preventDefault();
          unconfirmed.requestSubmit();
          return;
        }
        event.preventDefault();
        if (item.answered || item.kind === 'removed') next();
        else if (activeForm !== 'code') submit();
        return;
      }
      if (typing || item.answered || !item.choices) return;
      const id = choiceIdForKey(event.key, item.choices);
      if (!id) return;
      if (activeForm === 'choice') setDraft((d) => ({ ...d, choice: id }));
      if (activeForm === 'multi')
        setDraft((d) => ({ ...d, choices: d.choices.includes(id) ? d.choices.filter((c) => c !== id) : [...d.choices, id] }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [item, activeForm, submit, next]);

  useEffect(() => {
    // Right after moving to another question the focus stays on its stem (see above).
    if (movedTo.current === position) {
      movedTo.current = null;
      return;
    }
    if (item && !item.answered && (activeForm === 'numeric' || activeForm === 'text' || activeForm === 'written')) inputRef.current?.focus();
  }, [item, activeForm, position]);

  if (session.isPending) return <p className="muted">読み込み中…</p>;
  if (session.error) return <p className="error" role="alert">{session.error.message}</p>;
  if (!data || !item || position === null) return <p className="muted">読み込み中…</p>;

  const done = data.items.filter((i) => i.answered).length;
  // A code item answered wrong in practice may be tried again: the editor stays, the result waits.
  const retrying = item.answered && item.result === null && item.attempts?.open === true && item.code !== null;
  return (
    <article aria-label="問題" data-position={position} data-question-id={item.questionId}>
      <div className="progress-line">
        <span className="progress-count">
          {position + 1} / {data.total}
        </span>
        <span>
          回答済み {done} / {data.total}
          {data.finishedAt !== null && '（終了済み）'}
        </span>
      </div>
      <div className="progress-bar" aria-hidden>
        <span style={{ width: `${(done / data.total) * 100}%` }} />
      </div>
      <div className="card">
        <h2 className="stem-heading" ref={stemRef} tabIndex={-1} style={{ fontSize: '1rem', margin: '0 0 0.25rem' }}>
          第 {position + 1} 問
        </h2>
        <p className="small">
          {item.source && <span className="badge">{SOURCE_LABEL[item.source]}</span>}
          <span className="muted">{item.chapterTitle}</span>
        </p>
        <div className="prompt" dangerouslySetInnerHTML={{ __html: item.promptHtml }} />

        {item.forms.length > 1 && !item.answered && (
          <div className="tabs" role="tablist" aria-label="回答形式">
            {item.forms.map((f) => (
              <button key={f} type="button" role="tab" aria-selected={activeForm === f} onClick={() => setForm(f)}>
                {FORM_LABEL[f]}
              </button>
            ))}
          </div>
        )}

        {((!item.answered && activeForm === 'code') || retrying) && item.code && (
          <CodeAnswer key={item.questionId} sessionId={sessionId} item={{ ...item, code: item.code }} onAnswered={storeAnswered} startedAt={shownAt.current} />
        )}
        {!item.answered && activeForm && activeForm !== 'code' && (
          <AnswerInput item={item} form={activeForm} draft={draft} setDraft={setDraft} inputRef={inputRef} />
        )}
        {item.answered && item.result && item.attempts && <AttemptsNote attempts={item.attempts} />}
        {item.answered && item.result && <ItemResultView item={item} result={item.result} fresh={answer.data?.questionId === item.questionId} />}
        {item.answered && !item.result && !retrying && <p className="muted">回答済みです。結果は終了後に表示されます。</p>}

        {answer.error && (
          <p className="error" role="alert">
            {answer.error.message}
          </p>
        )}
        <div className="actions">
          {activeForm === 'code' && !item.answered ? null : !item.answered && item.kind !== 'removed' ? (
            <button type="button" onClick={submit} disabled={!activeForm || !responseOf(item, activeForm, draft) || answer.isPending}>
              {answer.isPending ? '採点中…' : '回答する'}
            </button>
          ) : (
            <button type="button" ref={nextButton} onClick={next} disabled={finish.isPending}>
              {isLast ? '結果を見る' : '次の問題へ'}
            </button>
          )}
          {position > 0 && (
            <button type="button" className="secondary" onClick={() => setPosition(position - 1)}>
              前の問題
            </button>
          )}
          <span className="hint kbd-hint">{activeForm === 'code' && !item.answered ? <>エディタ内: Shift+Enter で実行、<ModKeyName />+Enter で提出</> : `キー操作: ${item.choices ? `${choiceKeysHint(item.choices)}で選択、` : ''}Enter で回答・次へ`}</span>
        </div>
        {finish.error && <p className="error" role="alert">{finish.error.message}</p>}
      </div>
      <nav className="actions" aria-label="問題一覧">
        {data.items.map((it) => (
          <button
            key={it.position}
            type="button"
            className={it.position === position ? '' : 'secondary'}
            aria-current={it.position === position}
            title={it.answered ? '回答済み' : '未回答'}
            onClick={() => setPosition(it.position)}
          >
            {it.position + 1}
            {it.answered ? (it.result ? (it.result.verdict === 'correct' ? ' ✓' : it.result.verdict === 'partial' ? ' △' : ' ✗') : it.attempts?.open ? ' ✗' : ' ・') : ''}
          </button>
        ))}
        <button type="button" className="secondary" onClick={askFinish} disabled={finish.isPending}>
          終了して結果を見る
        </button>
      </nav>
      <dialog
        ref={finishDialog}
        className="card"
        aria-labelledby="finish-dialog-title"
        aria-describedby="finish-dialog-note"
        style={{ color: 'var(--ink)', maxWidth: 'min(30rem, calc(100vw - 2rem))', boxShadow: '0 12px 40px rgba(0, 0, 0, 0.35)' }}
      >
        <p id="finish-dialog-title" style={{ fontWeight: 700, marginTop: 0 }}>
          まだ {unanswered} 問が未回答です。終了しますか？
        </p>
        <p id="finish-dialog-note" className="small muted">
          未回答の問題は採点に含めず、結果のページで正解と解説を確認できます。
        </p>
        <div className="actions">
          <button type="button" className="secondary" autoFocus onClick={() => finishDialog.current?.close()}>
            続ける
          </button>
          <button
            type="button"
            onClick={() => {
              finishDialog.current?.close();
              finish.mutate({ sessionId });
            }}
          >
            終了する
          </button>
        </div>
      </dialog>
    </article>
  );
}

export function AnswerInput({
  item,
  form,
  draft,
  setDraft,
  inputRef,
}: {
  item: SessionItem;
  form: Response['type'];
  draft: Draft;
  setDraft: (update: (d: Draft) => Draft) => void;
  inputRef: React.RefObject<HTMLInputElement | HTMLTextAreaElement | null>;
}) {
  if ((form === 'choice' || form === 'multi') && item.choices) {
    const picked = (id: string) => (form === 'choice' ? draft.choice === id : draft.choices.includes(id));
    return (
      <ul className="choices" role={form === 'choice' ? 'radiogroup' : 'group'} aria-label="選択肢">
        {item.choices.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="choice"
              role={form === 'choice' ? 'radio' : 'checkbox'}
              aria-checked={picked(c.id)}
              data-choice={c.id}
              onClick={() =>
                setDraft((d) =>
                  form === 'choice'
                    ? { ...d, choice: c.id }
                    : { ...d, choices: d.choices.includes(c.id) ? d.choices.filter((x) => x !== c.id) : [...d.choices, c.id] },
                )
              }
            >
              <span className="key">{c.id}</span>
              <span dangerouslySetInnerHTML={{ __html: c.html }} />
            </button>
          </li>
        ))}
        {form === 'multi' && <li className="hint">正しいものをすべて選んでください。</li>}
      </ul>
    );
  }
  if (form === 'written') {
    return (
      <label>
        <span className="small muted">記述式で答えてください<span className="kbd-hint">（Shift+Enter で回答）</span></span>
        <textarea
          ref={inputRef as React.RefObject<HTMLTextAreaElement>}
          name="written"
          maxLength={4000}
          value={draft.written}
          onChange={(e) => setDraft((d) => ({ ...d, written: e.target.value }))}
        />
      </label>
    );
  }
  return (
    <label className="form-row">
      <span className="small muted">{form === 'numeric' ? '数値で答えてください（例: 0.25、1/4）' : '答えを入力してください'}</span>
      <input
        ref={inputRef as React.RefObject<HTMLInputElement>}
        type="text"
        name="answer"
        autoComplete="off"
        maxLength={form === 'numeric' ? 100 : 500}
        value={draft.value}
        onChange={(e) => setDraft((d) => ({ ...d, value: e.target.value }))}
      />
      {item.unit && <span>{item.unit}</span>}
    </label>
  );
}
