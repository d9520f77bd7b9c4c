'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { Response } from '@/graders/answers/response';
import type { AppRouter } from '@/server/root';
import type { AnsweredItem, SessionItem, SessionView } from '@/server/services/sessions';
import { TemplateView } from '../../_grading/code-editor';
import { useTRPC } from '../../_trpc/client';
import { AnswerSaver, type SaveState, type Wanted } from './answer-saver';
import { choiceIdForKey, choiceKeysHint } from './choice-keys';
import { formatClock } from './clock';
import { AnswerInput, emptyDraft, FORM_LABEL, responseOf, type Draft } from './session-runner';
import './mock-exam.css';

const TIME_UP = '試験時間が終了しました。';
/** The learner's own hand-in waits this long for saves still failing before it asks them to check the network. */
const HAND_IN_WAIT_MS = 10_000;

/**
 * Saves travel on their own link: one request per save (never batched behind another), and `keepalive`, so a save
 * sent as the page reloads or closes still reaches the server.
 */
function makeSaveClient() {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: '/api/trpc', fetch: (url, init) => fetch(url, { ...init, keepalive: true }) })],
  });
}

function httpStatusOf(error: unknown): number | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data: unknown = error.data;
  return typeof data === 'object' && data !== null && 'httpStatus' in data && typeof data.httpStatus === 'number' ? data.httpStatus : undefined;
}

/** No reply at all (network down), or the server busy or failing: worth another try. A 4xx is the server's answer. */
function isTransient(error: unknown): boolean {
  const status = httpStatusOf(error);
  return status === undefined || status >= 500 || status === 408 || status === 429;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

/** How a question's answer stands, for the navigator and the status line. */
type SaveKind = 'none' | 'saved' | 'saving' | 'unsaved' | 'refused';

function saveKindOf(state: SaveState | undefined, answered: boolean): SaveKind {
  switch (state?.kind) {
    case undefined:
    case 'saved':
      return answered ? 'saved' : 'none';
    case 'saving':
      return 'saving';
    case 'typing':
    case 'retrying':
      return 'unsaved';
    case 'refused':
      return 'refused';
  }
}

function SaveStatus({ state, answered }: { state: SaveState | undefined; answered: boolean }) {
  const kind = saveKindOf(state, answered);
  const [mark, label, note] =
    state?.kind === 'typing'
      ? ['…', '未保存（入力中）', '入力が止まると保存します']
      : state?.kind === 'retrying'
        ? ['!', '未保存（再試行中）', `サーバーに届きません。自動で再送しています（${state.attempts} 回失敗）`]
        : state?.kind === 'refused'
          ? ['×', '保存できませんでした', state.message]
          : kind === 'saving'
            ? ['…', '保存中…', '']
            : kind === 'saved'
              ? ['✓', '保存済み', '試験の終了まで変更できます']
              : ['', '未回答', '選ぶとすぐに保存されます'];
  return (
    <p className="save-state small" role="status" data-testid="save-state" data-save={kind}>
      {mark && (
        <span className="save-mark" aria-hidden="true">
          {mark}
        </span>
      )}
      <strong>{label}</strong>
      {note && <span className="save-note">{note}</span>}
    </p>
  );
}

/**
 * A mock exam: the server's countdown, answers saved the moment they are given (as in the CBT exam) and changeable
 * until the end, 「見直し」 flags, a navigator of every question. At zero what is still on its way is sent, then the
 * exam is handed in and the result opens.
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
  // Drafts and form choices live in refs, so keys pressed in quick succession each see the one before; `rerender`
  // shows them.
  const drafts = useRef<Record<string, Draft>>({});
  const forms = useRef<Record<string, Response['type']>>({});
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [confirming, setConfirming] = useState(false);
  /** 'sending': time is up (or the learner handed in) and the last saves are on their way */
  const [handing, setHanding] = useState<'no' | 'sending'>('no');
  const [handInProblem, setHandInProblem] = useState<string | null>(null);
  /** the deadline on this browser's clock: the server's remaining time from when the view arrived */
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const endsAtRef = useRef<number | null>(null);
  endsAtRef.current = endsAt;
  const [now, setNow] = useState(() => Date.now());
  /** time spent on each question since its answer was last sent (all visits); sent with the next save */
  const spent = useRef<Record<string, number>>({});
  const visitStart = useRef(Date.now());
  const current = useRef<string | null>(null);
  const handedIn = useRef(false);
  const inputRef = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const [saveClient] = useState(makeSaveClient);
  /** the time each save on its way carries (by request id), sent again unchanged with its retries */
  const sentTime = useRef(new Map<string, number>());

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

  /** Time on a question since its last save; the open question's current visit included. */
  const takeTime = (questionId: string): number => {
    const open = current.current === questionId;
    const t = (spent.current[questionId] ?? 0) + (open ? Date.now() - visitStart.current : 0);
    spent.current[questionId] = 0;
    if (open) visitStart.current = Date.now();
    return t;
  };

  /** A save that will not be retried: its time is spent on the question again, for the next save. */
  const giveTimeBack = (questionId: string, requestId: string) => {
    spent.current[questionId] = (spent.current[questionId] ?? 0) + (sentTime.current.get(requestId) ?? 0);
    sentTime.current.delete(requestId);
  };

  const finish = useMutation(
    trpc.sessions.finish.mutationOptions({
      onSuccess: (view) => queryClient.setQueryData(queryKey, view),
      onError: () => {
        handedIn.current = false;
        setHanding('no');
        // Past the deadline the server ends the exam itself when it is read again.
        setTimeout(() => void session.refetch(), 4_000);
      },
    }),
  );

  // Handing in is reached from callbacks created once (the saver's); the ref always holds this render's version.
  const handInRef = useRef<(reason: 'time' | 'learner') => Promise<void>>(async () => undefined);
  const saverRef = useRef<AnswerSaver<AnsweredItem> | null>(null);
  saverRef.current ??= new AnswerSaver<AnsweredItem>({
    send: (questionId, wanted, requestId) => {
      // A retry repeats its save exactly, time included: the server adds a request's time once, so a save it stored
      // but whose reply was lost is not counted twice; the time spent since waits for the next save.
      const timeSpentMs = sentTime.current.get(requestId) ?? takeTime(questionId);
      sentTime.current.set(requestId, timeSpentMs);
      const call = wanted
        ? saveClient.sessions.answer.mutate({ sessionId, questionId, response: wanted, timeSpentMs, requestId })
        : saveClient.sessions.clearMockAnswer.mutate({ sessionId, questionId });
      return call.then(
        (reply) => {
          sentTime.current.delete(requestId);
          return reply;
        },
        (error: unknown) => {
          // Refused: nothing stored, the time goes with the next save. Transient: kept for the retry.
          if (!isTransient(error)) giveTimeBack(questionId, requestId);
          throw error;
        },
      );
    },
    // Replaced by a newer answer before its retry: the time goes with that one. Counted twice only if the server did
    // store the failed save (its reply was lost) and the learner changed the answer before the retry: one save's time.
    onDropped: giveTimeBack,
    isTransient,
    messageOf: (error) => (error instanceof Error ? error.message : '保存できませんでした。'),
    onSaved: (_questionId, saved) =>
      queryClient.setQueryData(queryKey, (old: SessionView | undefined) => {
        if (!old) return old;
        const items = old.items.map((it) => (it.position === saved.position ? { ...it, ...saved } : it));
        return { ...old, items, answeredCount: items.filter((it) => it.answered).length };
      }),
    onRefused: (_questionId, message) => {
      if (message === TIME_UP) void handInRef.current('time');
      // e.g. handed in from another tab: reading the exam again opens its result
      else void queryClient.invalidateQueries({ queryKey });
    },
    onChange: rerender,
  });
  const saver = saverRef.current;

  /** Sends what is still on its way, then hands in. At zero it waits at most the server's grace and hands in anyway. */
  handInRef.current = async (reason) => {
    if (handedIn.current) return;
    handedIn.current = true;
    setHanding('sending');
    setHandInProblem(null);
    const limit = reason === 'time' ? (exam?.saveGraceMs ?? 3_000) : HAND_IN_WAIT_MS;
    await Promise.race([saver.flush(), sleep(limit)]);
    const deadlinePassed = endsAtRef.current !== null && Date.now() >= endsAtRef.current;
    if (reason === 'learner' && !saver.idle() && !deadlinePassed) {
      handedIn.current = false;
      setHanding('no');
      setHandInProblem('保存できていない回答があります。通信を確かめてから、もう一度「終了して採点する」を押してください。');
      return;
    }
    saver.close();
    finish.mutate({ sessionId });
  };

  // A page going away (reload, close) sends what waits; a save still failing asks the browser to warn first.
  useEffect(() => {
    const onPageHide = () => saver.leave();
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (saver.failing()) event.preventDefault();
    };
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('beforeunload', onBeforeUnload);
      saver.leave(); // another page of the app
    };
  }, [saver]);

  const flag = useMutation(
    trpc.sessions.flag.mutationOptions({
      onSuccess: ({ flagged }) =>
        queryClient.setQueryData(queryKey, (old: SessionView | undefined) => (old?.exam ? { ...old, exam: { ...old.exam, flagged } } : old)),
      onError: (error) => {
        if (error.message === TIME_UP) void handInRef.current('time');
      },
    }),
  );

  const remaining = endsAt === null ? null : Math.max(0, endsAt - now);
  const timeUp = remaining === 0;
  // At zero the answers on their way are sent, then the exam is handed in.
  useEffect(() => {
    if (remaining === 0 && data?.finishedAt === null) void handInRef.current('time');
  }, [remaining, data?.finishedAt]);

  const item = data && position !== null ? data.items[position] : undefined;
  current.current = item?.questionId ?? null;

  const formOf = (it: SessionItem): Response['type'] | null => forms.current[it.questionId] ?? it.savedResponse?.type ?? it.forms[0] ?? null;
  const draftFor = (it: SessionItem): Draft => drafts.current[it.questionId] ?? draftOf(it.savedResponse);
  /** The answer a question holds here: the open form's, else another filled form's; the saved one until touched. */
  const wantedOf = (it: SessionItem): Wanted => {
    if (!(it.questionId in drafts.current) && !(it.questionId in forms.current)) return it.savedResponse;
    const draft = draftFor(it);
    const open = formOf(it);
    for (const f of open ? [open, ...it.forms.filter((x) => x !== open)] : it.forms) {
      const r = responseOf(it, f, draft);
      if (r) return r;
    }
    return null;
  };

  /** The learner changed a question's answer: a pick is saved at once, typing after a pause. */
  const change = (it: SessionItem, update: (d: Draft) => Draft, how: 'pick' | 'type') => {
    if (timeUp || handedIn.current) return;
    const before = wantedOf(it);
    drafts.current = { ...drafts.current, [it.questionId]: update(draftFor(it)) };
    const after = wantedOf(it);
    if (how === 'type') saver.type(it.questionId, after);
    else if (!sameResponse(before, after)) saver.pick(it.questionId, after);
    rerender();
  };

  const switchForm = (it: SessionItem, f: Response['type']) => {
    if (timeUp || handedIn.current) return;
    const before = wantedOf(it);
    forms.current = { ...forms.current, [it.questionId]: f };
    drafts.current = { ...drafts.current, [it.questionId]: draftFor(it) };
    const after = wantedOf(it);
    if (!sameResponse(before, after)) saver.pick(it.questionId, after);
    rerender();
  };

  /** Moves to another question; what was typed in this one is sent on the way. */
  const go = (to: number) => {
    if (!item || !data || to < 0 || to >= data.total || to === position) return;
    saver.commit(item.questionId);
    spent.current[item.questionId] = (spent.current[item.questionId] ?? 0) + (Date.now() - visitStart.current);
    visitStart.current = Date.now();
    setPosition(to);
  };

  const toggleFlag = () => {
    if (item) flag.mutate({ sessionId, questionId: item.questionId, flagged: !(exam?.flagged ?? []).includes(item.questionId) });
  };

  // Keys: a–i (or 1–9) pick a choice and save it, Enter saves what is typed, ← → move, M flags (F would shadow a
  // choice f).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!item || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return;
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (event.key === 'Enter') {
        if (event.target instanceof HTMLTextAreaElement && !event.shiftKey) return;
        // A focused action button keeps its own Enter.
        if (event.target instanceof HTMLButtonElement && !event.target.matches('.choice, [role="tab"]')) return;
        event.preventDefault();
        saver.commit(item.questionId);
        return;
      }
      if (typing) return;
      if (event.key === 'ArrowRight') return go((position ?? 0) + 1);
      if (event.key === 'ArrowLeft') return go((position ?? 0) - 1);
      if (event.key === 'm' || event.key === 'M') return toggleFlag();
      const form = formOf(item);
      if (!item.choices || (form !== 'choice' && form !== 'multi')) return;
      const id = choiceIdForKey(event.key, item.choices);
      if (!id) return;
      change(item, (d) => (form === 'choice' ? { ...d, choice: id } : { ...d, choices: d.choices.includes(id) ? d.choices.filter((c) => c !== id) : [...d.choices, id] }), 'pick');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (session.isPending) return <p className="muted">読み込み中…</p>;
  if (session.error) return <p className="error" role="alert">{session.error.message}</p>;
  if (!data || !exam || !item || position === null) return <p className="muted">読み込み中…</p>;
  if (data.finishedAt !== null) return <p className="muted">採点しています…</p>;

  const flagged = new Set(exam.flagged);
  const answeredHere = (it: SessionItem) => (it.kind === 'removed' ? it.answered : wantedOf(it) !== null);
  const answeredCount = data.items.filter(answeredHere).length;
  const unsavedCount = data.items.filter((it) => saveKindOf(saver.state(it.questionId), answeredHere(it)) === 'unsaved').length;
  const unanswered = data.total - answeredCount;
  const shown = remaining ?? exam.remainingMs;
  const urgency = shown <= 60_000 ? 'urgent' : shown <= 5 * 60_000 ? 'warning' : '';
  const activeForm = formOf(item);
  const draft = draftFor(item);
  const state = saver.state(item.questionId);
  const locked = timeUp || handing === 'sending';

  return (
    <article className="mock-exam" aria-label="模擬試験" data-position={position} data-question-id={item.questionId}>
      <div className="exam-bar">
        <span className="progress-count">
          第{position + 1}問 / {data.total}
        </span>
        <span className="muted small">
          回答済み {answeredCount} / {data.total} · 見直し {flagged.size}
          {unsavedCount > 0 && <span className="unsaved-count"> · 未保存 {unsavedCount}</span>}
        </span>
        <span className={`exam-timer ${urgency}`} role="timer" aria-label="残り時間" data-testid="remaining" data-remaining-ms={Math.round(shown)}>
          残り {formatClock(shown)}
        </span>
      </div>
      {locked && (
        <p className="exam-closing" role="alert">
          {timeUp ? '試験時間が終了しました。' : ''}保存中の回答を送ってから採点します…
        </p>
      )}

      <div className="card">
        <div className="prompt" dangerouslySetInnerHTML={{ __html: item.promptHtml }} />
        {item.kind === 'code' && item.code && <TemplateView source={item.code.template} label="テンプレート（空欄 ___ に入るコードを選ぶ）" />}

        {item.forms.length > 1 && (
          <div className="tabs" role="tablist" aria-label="回答形式">
            {item.forms.map((f) => (
              <button key={f} type="button" role="tab" aria-selected={activeForm === f} onClick={() => switchForm(item, f)} disabled={locked}>
                {FORM_LABEL[f]}
              </button>
            ))}
          </div>
        )}
        {item.kind === 'removed' ? (
          <div className="prompt" />
        ) : (
          activeForm && (
            // Leaving a text field saves what was typed (focusout bubbles, so one listener serves every form).
            <fieldset className="answer-area" data-save={saveKindOf(state, answeredHere(item))} disabled={locked} onBlur={() => saver.commit(item.questionId)}>
              <AnswerInput
                key={`${item.questionId}-${activeForm}`}
                item={item}
                form={activeForm}
                draft={draft}
                setDraft={(update) => change(item, update, activeForm === 'choice' || activeForm === 'multi' ? 'pick' : 'type')}
                inputRef={inputRef}
              />
            </fieldset>
          )
        )}

        <SaveStatus state={state} answered={answeredHere(item)} />
        {flag.error && (
          <p className="error" role="alert">
            {flag.error.message}
          </p>
        )}
        <div className="actions">
          <button
            type="button"
            className={`secondary flag-toggle${flagged.has(item.questionId) ? ' on' : ''}`}
            aria-pressed={flagged.has(item.questionId)}
            onClick={toggleFlag}
            disabled={flag.isPending || locked}
          >
            {flagged.has(item.questionId) ? '見直しを外す' : '見直し'}
          </button>
          <button type="button" className="secondary" onClick={() => go(position - 1)} disabled={position === 0}>
            前の問題
          </button>
          <button type="button" className="secondary" onClick={() => go(position + 1)} disabled={position === data.total - 1}>
            次の問題
          </button>
          <span className="hint kbd-hint">キー操作: {item.choices ? `${choiceKeysHint(item.choices)}で選択、` : ''}Enter で入力を保存、← → で移動、M で見直し</span>
        </div>
      </div>

      <nav className="exam-nav card" aria-label="問題一覧">
        <ol>
          {data.items.map((it) => {
            const answered = answeredHere(it);
            const save = saveKindOf(saver.state(it.questionId), answered);
            const navState = [answered ? 'answered' : 'open', flagged.has(it.questionId) ? 'flagged' : ''].filter(Boolean).join(' ');
            const saveNote = save === 'unsaved' ? '（未保存）' : save === 'saving' ? '（保存中）' : save === 'refused' ? '（保存できませんでした）' : '';
            return (
              <li key={it.position}>
                <button
                  type="button"
                  className={`nav-item ${navState}`}
                  data-state={navState}
                  data-save={save}
                  aria-current={it.position === position}
                  aria-label={`第${it.position + 1}問 ${answered ? '回答済み' : '未回答'}${saveNote}${flagged.has(it.questionId) ? '・見直し' : ''}`}
                  onClick={() => go(it.position)}
                >
                  {it.position + 1}
                </button>
              </li>
            );
          })}
        </ol>
        <p className="hint exam-legend">
          <span className="nav-item answered">1</span> 回答済み（保存済み） <span className="nav-item answered" data-save="unsaved">1</span> 未保存{' '}
          <span className="nav-item open">1</span> 未回答 <span className="nav-item flagged open">1</span> 見直し
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
              <button type="button" onClick={() => void handInRef.current('learner')} disabled={finish.isPending || handing === 'sending'}>
                {finish.isPending || handing === 'sending' ? '採点中…' : '終了して採点する'}
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                試験に戻る
              </button>
            </div>
          </>
        )}
        {(handInProblem ?? finish.error) && (
          <p className="error" role="alert">
            {handInProblem ?? finish.error!.message}
          </p>
        )}
      </section>
    </article>
  );
}
