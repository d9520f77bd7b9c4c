'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ExampleRun } from '@/graders/code/grade-code';
import type { CodeError, CodeVerdict } from '@/graders/code/types';
import { GRADERS } from '@/graders/references/index';
import type { AnsweredItem, SessionItem } from '@/server/services/sessions';
import { BrowserAbortError, BrowserTimeoutError, firstError, sharedBrowserGrader, stoppedBy, type BrowserGrader } from '../../_grading/browser-grader';
import { CodeEditor, TemplateView, type EditorHandle } from '../../_grading/code-editor';
import { formatValue } from '../../_grading/format-value';
import type { BackendChoice } from '../../_grading/protocol';
import { useTRPC } from '../../_trpc/client';
import { ModKeyName } from '../../keyboard';

/**
 * Wall-clock limit of one browser run before the worker is terminated. Generous: the server's verdict decides and
 * never waits for the browser, so this only bounds the work a slow device does (software WebGL takes seconds).
 */
const BROWSER_LIMIT_MS = 30_000;

/** Shown while the server grades when the browser could not finish: never a hint that the code is wrong. */
const BROWSER_SLOW_TEXT = 'ブラウザでの実行は時間がかかっているため、サーバーの判定を待っています。';
/** 実行 (the example run) is browser-only: when the browser cannot finish, 提出 still grades on the server. */
const RUN_SLOW_TEXT = 'ブラウザでの実行が時間内に終わりませんでした（この端末では時間がかかっています）。提出すればサーバーで採点します。';
/** A wall-clock limit on the server: the run was too slow, which is not proof of a loop (only the step limit is). */
const SERVER_TIME_TEXT = '実行が時間の上限を超えたため採点を打ち切りました（回数には数えません）。もう一度提出するか、計算量の多い処理がないか見直してください。';

const BACKEND_LABEL: Record<string, string> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };
const VERDICT_LABEL = { correct: '正解', incorrect: '不正解', error: 'エラー' } as const;

/** ?backend=wasm (or cpu) picks the browser backend, e.g. to compare them; WebGL otherwise. */
function preferredBackend(): BackendChoice {
  const param = new URLSearchParams(window.location.search).get('backend');
  return param === 'wasm' || param === 'cpu' ? param : 'webgl';
}

function errorText(error: CodeError): string {
  const place = error.where === 'answer' ? `${error.line}行${error.col}列` : `テンプレートの ${error.line}行目`;
  return `${error.type}: ${error.message}（${place}）`;
}

type Graded = { verdict: CodeVerdict; backend: string; elapsedMs: number };

type Outcome =
  | { kind: 'run'; run: ExampleRun; backend: string; elapsedMs: number }
  | { kind: 'run-slow' }
  /** submitted: the server's verdict is on its way; the browser's may come first (provisional) */
  | { kind: 'checking'; browser: Graded | 'running' | 'slow' }
  | ({ kind: 'server' } & Graded)
  | { kind: 'failed'; message: string; browser?: Graded };

/** What the page records of a browser verdict (performance marks read by the e2e test and bench/browser-grading.ts). */
export interface BrowserMark {
  questionId: string;
  verdict: CodeVerdict['verdict'] | 'timeout' | 'failed';
  backend: string;
  elapsedMs: number;
  /** the browser answered before the server (so its verdict was shown, marked provisional) */
  beforeServer: boolean;
}

export function CodeAnswer({
  sessionId,
  item,
  onAnswered,
  startedAt,
}: {
  sessionId: number;
  item: SessionItem & { code: NonNullable<SessionItem['code']> };
  onAnswered: (answered: AnsweredItem) => void;
  startedAt: number;
}) {
  const trpc = useTRPC();
  const { code: spec } = item;
  const grader = GRADERS.get(spec.graderKey);
  const browser = useRef<BrowserGrader | null>(null);
  const editor = useRef<EditorHandle | null>(null);
  const [code, setCode] = useState(spec.kind === 'function' ? spec.template : '');
  const [backend, setBackend] = useState<string | null>(null);
  const [busy, setBusy] = useState<'run' | 'grade' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const submit = useMutation(trpc.sessions.submitCode.mutationOptions());
  // The current submission (aborted by the next one, or when the server finds a limit); the last browser verdict.
  const attempt = useRef<AbortController | null>(null);
  const lastBrowser = useRef<{ code: string; result: Graded } | null>(null);
  const item4worker = { id: item.questionId, kind: spec.kind, template: spec.template };

  // Start and warm the worker as soon as the question opens, so 提出 answers from a warm backend.
  useEffect(() => {
    const g = sharedBrowserGrader(preferredBackend());
    browser.current = g;
    let live = true;
    g.warm({ item: { id: item.questionId, kind: spec.kind, template: spec.template }, graderKey: spec.graderKey, seed: spec.seed }).then(
      (r) => live && setBackend(r.backend),
      () => live && setBackend('unavailable'),
    );
    return () => {
      live = false;
    };
  }, [item.questionId, spec.kind, spec.template, spec.graderKey, spec.seed]);

  const showError = (error: CodeError | undefined) => {
    // A wall-clock limit points nowhere in the code (and is no evidence against it): nothing to underline.
    const shown = error && error.where === 'answer' && stoppedBy(error) !== 'time';
    editor.current?.showError(shown ? { ...error, message: errorText(error) } : null);
  };

  const run = async () => {
    if (!browser.current || busy) return;
    setBusy('run');
    try {
      const r = await browser.current.run(item4worker, spec.graderKey, code, spec.seed, { timeoutMs: BROWSER_LIMIT_MS });
      const slow = stoppedBy(r.run.error) === 'time';
      setOutcome(slow ? { kind: 'run-slow' } : { kind: 'run', ...r });
      showError(slow ? undefined : r.run.error);
    } catch {
      // A browser timeout or crash says nothing about the code.
      setOutcome({ kind: 'run-slow' });
    } finally {
      setBusy(null);
    }
  };

  /**
   * 提出: the server grades at once (its verdict is the one recorded and shown); the browser grades the same code
   * in parallel and its verdict is shown first, as provisional, only when it is faster.
   */
  const grade = async () => {
    if (!browser.current || busy || item.answered) return;
    setBusy('grade');
    attempt.current?.abort();
    const controller = new AbortController();
    attempt.current = controller;
    const submitted = code;
    let server: CodeVerdict | null = null;
    let settled = false; // the server answered (or failed): a later browser verdict is only recorded
    performance.mark('kakunin:submit'); // read by bench/browser-grading.ts
    setOutcome({ kind: 'checking', browser: 'running' });
    showError(undefined);

    const mark = (m: Omit<BrowserMark, 'questionId' | 'beforeServer'>) =>
      performance.mark('kakunin:browser-verdict', { detail: { questionId: item.questionId, beforeServer: !settled, ...m } satisfies BrowserMark });
    const stillChecking = () => !settled && attempt.current === controller;
    void browser.current.grade(item4worker, spec.graderKey, submitted, spec.seed, { timeoutMs: BROWSER_LIMIT_MS, signal: controller.signal }).then(
      (local) => {
        const slow = stoppedBy(firstError(local.verdict)) === 'time';
        mark({ verdict: slow ? 'timeout' : local.verdict.verdict, backend: local.backend, elapsedMs: local.elapsedMs });
        if (!slow) lastBrowser.current = { code: submitted, result: local };
        if (server && !slow && server.verdict !== local.verdict.verdict) {
          console.warn('[kakunin] browser and server verdicts differ', { questionId: item.questionId, browser: local.verdict, server });
        }
        if (!stillChecking()) return; // the server's verdict is in: the browser's is dropped
        setOutcome({ kind: 'checking', browser: slow ? 'slow' : local });
        if (!slow) showError(firstError(local.verdict));
      },
      (error: unknown) => {
        if (error instanceof BrowserAbortError) return;
        mark({ verdict: error instanceof BrowserTimeoutError ? 'timeout' : 'failed', backend: backend ?? '', elapsedMs: NaN });
        if (stillChecking()) setOutcome({ kind: 'checking', browser: 'slow' });
      },
    );

    // A browser verdict of this very code (an earlier try) goes along for the server's comparison log.
    const known = lastBrowser.current?.code === submitted ? lastBrowser.current.result : undefined;
    try {
      const result = await submit.mutateAsync({
        sessionId,
        questionId: item.questionId,
        code: submitted,
        timeSpentMs: Date.now() - startedAt,
        ...(known ? { browser: { verdict: known.verdict.verdict, backend: known.backend, passed: known.verdict.passed, total: known.verdict.total } } : {}),
      });
      const { grading } = result;
      server = grading.verdict;
      settled = true;
      performance.mark('kakunin:server-verdict', { detail: { questionId: item.questionId, verdict: grading.verdict.verdict } });
      // The server stopped this code at a limit: the browser is most likely stuck on it too.
      if (firstError(grading.verdict)?.limit) controller.abort();
      setOutcome({ kind: 'server', verdict: grading.verdict, backend: grading.backend, elapsedMs: grading.elapsedMs });
      showError(firstError(grading.verdict));
      if (grading.recorded) onAnswered(result.item);
    } catch (error) {
      settled = true;
      setOutcome((o) => ({
        kind: 'failed',
        message: error instanceof Error ? error.message : String(error),
        ...(o?.kind === 'checking' && typeof o.browser === 'object' ? { browser: o.browser } : {}),
      }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="code-answer" aria-label="コードで回答">
      {spec.kind === 'code' && <TemplateView source={spec.template} label="テンプレート（空欄 ___ に入るコードを書く）" />}
      {grader?.prelude && (
        <details className="small">
          <summary>テンプレートが使う補助関数</summary>
          <TemplateView source={grader.prelude} label="補助関数" />
        </details>
      )}
      <p className="small muted">{spec.kind === 'code' ? '空欄 ___ に入るコード' : '関数の実装'}
        <span className="kbd-hint">（Shift+Enter で実行、<ModKeyName />+Enter で提出）</span>
      </p>
      <CodeEditor
        initial={code}
        onChange={setCode}
        onSubmit={() => void grade()}
        onRun={() => void run()}
        handle={editor}
        placeholderText={spec.kind === 'code' ? '例: np.dot(x, W)' : ''}
      />
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void run()} disabled={busy !== null || !code.trim()}>
          {busy === 'run' ? '実行中…' : '実行'}
        </button>
        <button type="button" onClick={() => void grade()} disabled={busy !== null || !code.trim() || item.answered}>
          {busy === 'grade' ? '採点中…' : '提出'}
        </button>
        <span className="hint" data-backend={backend ?? ''}>
          {backend === null ? '採点エンジンを準備中…' : backend === 'unavailable' ? 'ブラウザでは採点できません（サーバーで採点します）' : `ブラウザの採点エンジン: ${BACKEND_LABEL[backend] ?? backend}`}
        </span>
      </div>
      {outcome && <OutcomeView outcome={outcome} />}
    </section>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  switch (outcome.kind) {
    case 'run-slow':
      return (
        <p className="muted" role="status" data-testid="run-slow">
          {RUN_SLOW_TEXT}
        </p>
      );
    case 'failed':
      return (
        <>
          <p className="error" role="alert">
            {outcome.message}
          </p>
          {outcome.browser && <VerdictCard graded={outcome.browser} source="browser" note="ブラウザでの判定（サーバーでは未確認）" />}
        </>
      );
    case 'checking':
      if (outcome.browser === 'running') return <p className="small muted" role="status" data-testid="checking">採点中…</p>;
      if (outcome.browser === 'slow') return <p className="muted" role="status" data-testid="browser-slow">{BROWSER_SLOW_TEXT}</p>;
      return <VerdictCard graded={outcome.browser} source="browser" note="ブラウザでの判定（確認中…）" />;
    case 'server':
      return <VerdictCard graded={outcome} source="server" />;
    case 'run':
      break;
  }
  const { run } = outcome;
  return (
    <div className="card run-output" data-testid="run-output">
      <p className="small muted">
        例のケースで実行（{BACKEND_LABEL[outcome.backend] ?? outcome.backend}・{outcome.elapsedMs.toFixed(1)} ms）
      </p>
      {run.error ? (
        <p className="error">{errorText(run.error)}</p>
      ) : (
        <>
          {run.blanks.length > 0 && (
            <>
              <p className="small">空欄の値（{run.blanks.length} 回評価、1 回目）:</p>
              <pre>{formatValue(run.blanks[0]!)}</pre>
            </>
          )}
          <p className="small">関数の戻り値:</p>
          <pre>{run.result === undefined ? '' : formatValue(run.result)}</pre>
        </>
      )}
      {run.stdout && <pre className="small">{run.stdout}</pre>}
    </div>
  );
}

/** A verdict; the browser's is provisional (dashed, labelled) until the server's replaces it. */
function VerdictCard({ graded, source, note }: { graded: Graded; source: 'browser' | 'server'; note?: string }) {
  const { verdict } = graded;
  const error = firstError(verdict);
  const slow = stoppedBy(error) === 'time';
  return (
    <div
      className="card"
      style={source === 'browser' ? { borderStyle: 'dashed' } : undefined}
      data-testid={`${source}-verdict`}
      data-verdict-code={verdict.verdict}
      data-limit={error?.limit ?? ''}
    >
      {note && (
        <p className="small muted" data-testid="provisional">
          {note}
        </p>
      )}
      <p className={`verdict ${verdict.verdict === 'error' ? 'incorrect' : verdict.verdict}`}>
        {slow ? '採点を打ち切りました' : `${VERDICT_LABEL[verdict.verdict]}（${verdict.passed}/${verdict.total} ケース）`}
      </p>
      <p>{slow ? SERVER_TIME_TEXT : verdict.message}</p>
      <p className="small muted" data-testid="graded-by">
        採点: {source === 'browser' ? 'ブラウザ' : 'サーバー'}（{BACKEND_LABEL[graded.backend] ?? graded.backend}・{graded.elapsedMs.toFixed(1)} ms）
      </p>
    </div>
  );
}
