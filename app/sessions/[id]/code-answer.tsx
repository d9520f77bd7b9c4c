'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ExampleRun } from '@/graders/code/grade-code';
import type { CodeError, CodeVerdict } from '@/graders/code/types';
import { GRADERS } from '@/graders/references/index';
import type { CodeFeedback } from '@/graders/answers/response';
import type { AnsweredItem, CodeAttempts, SessionItem } from '@/server/services/sessions';
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
/**
 * 実行 runs in the browser; when it fails, or has not finished after RUN_FALLBACK_MS, the server runs the example too
 * and whichever answers first is shown.
 */
const RUN_FALLBACK_MS = 4_000;
const RUN_ON_SERVER_TEXT = 'ブラウザでの実行に時間がかかっているため、サーバーで実行しています…';
/** The server's run stopped at its wall-clock limit: a slow run, not proof of a loop (only the step limit is). */
const RUN_SLOW_TEXT = '例のケースの実行が時間の上限を超えたため打ち切りました。計算量の多い処理がないか見直してください。';
/** A wall-clock limit on the server: the run was too slow, which is not proof of a loop (only the step limit is). */
const SERVER_TIME_TEXT = '実行が時間の上限を超えたため採点を打ち切りました（回数には数えません）。もう一度提出するか、計算量の多い処理がないか見直してください。';

const BACKEND_LABEL: Record<string, string> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };
const VERDICT_LABEL = { correct: '正解', incorrect: '不正解', error: 'エラー' } as const;

/** ?backend=webgl (wasm, cpu) forces a browser backend, e.g. to compare them; otherwise the worker chooses. */
function preferredBackend(): BackendChoice {
  const param = new URLSearchParams(window.location.search).get('backend');
  return param === 'webgl' || param === 'wasm' || param === 'cpu' ? param : 'auto';
}

function errorText(error: CodeError): string {
  const place = error.where === 'answer' ? `${error.line}行${error.col}列` : `テンプレートの ${error.line}行目`;
  return `${error.type}: ${error.message}（${place}）`;
}

type Graded = { verdict: CodeVerdict; backend: string; elapsedMs: number };

type Outcome =
  | { kind: 'run'; run: ExampleRun; backend: string; elapsedMs: number; source: 'browser' | 'server' }
  /** the browser is slow or failed: the server runs the example */
  | { kind: 'run-server' }
  | { kind: 'run-slow' }
  | { kind: 'run-failed'; message: string }
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

/** A recorded try as a verdict card (the page shows the last one again after a reload). */
function gradedOf(feedback: CodeFeedback, seed: number): Graded {
  const { verdict, passed, total, message, cases, backend, elapsedMs } = feedback;
  return { verdict: { verdict, passed, total, message, cases, seed }, backend, elapsedMs };
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
  const tries = item.attempts;
  // Trying again after a wrong value: the editor starts from the last try, with its verdict.
  const retrying = item.answered && tries?.open === true;
  const [code, setCode] = useState(retrying && tries?.last ? tries.last.code : spec.kind === 'function' ? spec.template : '');
  const [backend, setBackend] = useState<string | null>(null);
  // the software WebGL renderer that made the worker choose wasm (shown, so the learner knows why)
  const [softwareRenderer, setSoftwareRenderer] = useState<string | null>(null);
  const [busy, setBusy] = useState<'run' | 'grade' | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(() =>
    retrying && tries?.last ? { kind: 'server', ...gradedOf(tries.last.feedback, spec.seed) } : null,
  );
  const submit = useMutation(trpc.sessions.submitCode.mutationOptions());
  const runOnServer = useMutation(trpc.sessions.runCode.mutationOptions());
  const reportBrowser = useMutation(trpc.sessions.reportBrowserVerdict.mutationOptions());
  const reveal = useMutation(trpc.sessions.revealCode.mutationOptions({ onSuccess: onAnswered }));
  const closed = item.answered && !retrying;
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
      (r) => {
        if (!live) return;
        setBackend(r.backend);
        setSoftwareRenderer(r.softwareRenderer ?? null);
      },
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

  /** 実行: in the browser; on the server too when the browser fails or is slow. The first answer is shown. */
  const run = async () => {
    if (!browser.current || busy) return;
    setBusy('run');
    const submitted = code;
    let shown = false;
    let serverAsked = false;
    const show = (next: Outcome, error?: CodeError) => {
      if (shown) return;
      shown = true;
      setOutcome(next);
      showError(error);
      setBusy(null);
    };
    // A browser timeout or crash says nothing about the code: the server runs it instead.
    const askServer = () => {
      if (serverAsked || shown) return;
      serverAsked = true;
      setOutcome({ kind: 'run-server' });
      runOnServer.mutateAsync({ sessionId, questionId: item.questionId, code: submitted }).then(
        (r) => (stoppedBy(r.run.error) === 'time' ? show({ kind: 'run-slow' }) : show({ kind: 'run', ...r, source: 'server' }, r.run.error)),
        (error: unknown) => show({ kind: 'run-failed', message: error instanceof Error ? error.message : String(error) }),
      );
    };
    const slowTimer = setTimeout(askServer, RUN_FALLBACK_MS);
    try {
      const r = await browser.current.run(item4worker, spec.graderKey, submitted, spec.seed, { timeoutMs: BROWSER_LIMIT_MS });
      if (stoppedBy(r.run.error) === 'time') askServer();
      else show({ kind: 'run', ...r, source: 'browser' }, r.run.error);
    } catch {
      askServer();
    } finally {
      clearTimeout(slowTimer);
    }
  };

  /**
   * 提出: the server grades at once (its verdict is the one recorded and shown); the browser grades the same code
   * in parallel and its verdict is shown first, as provisional, only when it is faster.
   */
  const grade = async () => {
    if (!browser.current || busy || closed) return;
    setBusy('grade');
    attempt.current?.abort();
    const controller = new AbortController();
    attempt.current = controller;
    const submitted = code;
    let settled = false; // the server answered (or failed): a later browser verdict is only recorded
    // The browser's verdict, reported to the server once both are in (unless it went along with the submission).
    let local: Graded | null = null;
    let recordedTry: number | null = null;
    let reported = false;
    const report = () => {
      if (reported || !local || recordedTry === null) return;
      reported = true;
      const { verdict, passed, total } = local.verdict;
      reportBrowser.mutate({ sessionId, questionId: item.questionId, attempt: recordedTry, browser: { verdict, backend: local.backend, passed, total } });
    };
    performance.mark('kakunin:submit'); // read by bench/browser-grading.ts
    setOutcome({ kind: 'checking', browser: 'running' });
    showError(undefined);

    const mark = (m: Omit<BrowserMark, 'questionId' | 'beforeServer'>) =>
      performance.mark('kakunin:browser-verdict', { detail: { questionId: item.questionId, beforeServer: !settled, ...m } satisfies BrowserMark });
    const stillChecking = () => !settled && attempt.current === controller;
    void browser.current.grade(item4worker, spec.graderKey, submitted, spec.seed, { timeoutMs: BROWSER_LIMIT_MS, signal: controller.signal }).then(
      (result) => {
        const slow = stoppedBy(firstError(result.verdict)) === 'time';
        mark({ verdict: slow ? 'timeout' : result.verdict.verdict, backend: result.backend, elapsedMs: result.elapsedMs });
        if (!slow) {
          lastBrowser.current = { code: submitted, result };
          local = result;
          if (settled) report(); // the server's verdict is in: the browser's goes to the server for comparison
        }
        if (!stillChecking()) return; // the server's verdict is in: the browser's is not shown
        setOutcome({ kind: 'checking', browser: slow ? 'slow' : result });
        if (!slow) showError(firstError(result.verdict));
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
      settled = true;
      // A browser verdict that went along with the submission is already kept beside the server's.
      if (grading.recorded && !known) {
        recordedTry = grading.attempt;
        report();
      }
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
        <button type="button" onClick={() => void grade()} disabled={busy !== null || !code.trim() || closed}>
          {busy === 'grade' ? '採点中…' : retrying ? 'もう一度' : '提出'}
        </button>
        {retrying && (
          <button type="button" className="secondary" onClick={() => reveal.mutate({ sessionId, questionId: item.questionId })} disabled={busy !== null || reveal.isPending}>
            解答を見る
          </button>
        )}
        <span className="hint" data-backend={backend ?? ''} {...(softwareRenderer ? { 'data-software-renderer': softwareRenderer, title: softwareRenderer } : {})}>
          {backend === null ? '採点エンジンを準備中…' : backend === 'unavailable' ? 'ブラウザでは採点できません（サーバーで採点します）' : `ブラウザの採点エンジン: ${BACKEND_LABEL[backend] ?? backend}`}
          {softwareRenderer && '（この端末の WebGL はソフトウェア描画のため、より速い WebAssembly で採点します）'}
        </span>
      </div>
      {outcome && <OutcomeView outcome={outcome} />}
      {retrying && tries && (
        <p className="small" role="status" data-testid="tries-left">
          不正解でした。コードを直して「もう一度」で提出できます（あと {tries.max - tries.used} 回）。「解答を見る」で模範解答と解説を表示します（この問題の提出は終わります）。
        </p>
      )}
      {reveal.error && (
        <p className="error" role="alert">
          {reveal.error.message}
        </p>
      )}
    </section>
  );
}

/** After the tries at a code item: which try was right, and the last code when it was not the first. */
export function AttemptsNote({ attempts }: { attempts: CodeAttempts }) {
  if (attempts.used <= 1 && !attempts.revealed) return null;
  const solvedAt = attempts.verdicts.indexOf('correct') + 1;
  const head = solvedAt > 1 ? `${solvedAt} 回目で正解しました。` : attempts.revealed ? `${attempts.used} 回提出して解答を表示しました。` : `${attempts.used} 回とも不正解でした。`;
  const last = attempts.last;
  return (
    <section className="card" aria-label="提出の履歴" data-testid="attempts">
      <p>
        {head}
        {attempts.used > 1 && '成績と復習の予定には 1 回目の判定が使われます。'}
      </p>
      <p className="small muted">{attempts.verdicts.map((v, i) => `${i + 1} 回目: ${v === 'correct' ? '正解' : '不正解'}`).join(' → ')}</p>
      {last && last.attempt > 1 && (
        <>
          <p className="small muted">最後に提出したコード（{last.attempt} 回目）</p>
          <pre className="code-block">{last.code}</pre>
          <p>{last.feedback.message}</p>
        </>
      )}
    </section>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome }) {
  switch (outcome.kind) {
    case 'run-server':
      return (
        <p className="small muted" role="status" data-testid="run-on-server">
          {RUN_ON_SERVER_TEXT}
        </p>
      );
    case 'run-slow':
      return (
        <p className="muted" role="status" data-testid="run-slow">
          {RUN_SLOW_TEXT}
        </p>
      );
    case 'run-failed':
      return (
        <p className="error" role="alert">
          {outcome.message}
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
    <div className="card run-output" data-testid="run-output" data-source={outcome.source}>
      <p className="small muted">
        例のケースで実行（{outcome.source === 'server' ? 'サーバー・' : ''}
        {BACKEND_LABEL[outcome.backend] ?? outcome.backend}・{outcome.elapsedMs.toFixed(1)} ms）
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
