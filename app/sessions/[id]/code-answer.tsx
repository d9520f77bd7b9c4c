'use client';

import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { ExampleRun } from '@/graders/code/grade-code';
import type { CodeError, CodeVerdict } from '@/graders/code/types';
import { GRADERS } from '@/graders/references/index';
import type { AnsweredItem, SessionItem } from '@/server/services/sessions';
import { BrowserTimeoutError, sharedBrowserGrader, type BrowserGrader } from '../../_grading/browser-grader';
import { CodeEditor, TemplateView, type EditorHandle } from '../../_grading/code-editor';
import { formatValue } from '../../_grading/format-value';
import type { BackendChoice } from '../../_grading/protocol';
import { useTRPC } from '../../_trpc/client';

/** Wall-clock limit of one browser run before the worker is terminated. */
const BROWSER_LIMIT_MS = 5_000;

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

type Outcome =
  | { kind: 'run'; run: ExampleRun; backend: string; elapsedMs: number }
  | { kind: 'browser'; verdict: CodeVerdict; backend: string; elapsedMs: number }
  | { kind: 'server'; verdict: CodeVerdict; backend: string; elapsedMs: number; browser?: { verdict: CodeVerdict; backend: string; elapsedMs: number } }
  | { kind: 'timeout'; message: string }
  | { kind: 'failed'; message: string };

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
    editor.current?.showError(error && error.where === 'answer' ? { ...error, message: errorText(error) } : null);
  };

  const run = async () => {
    if (!browser.current || busy) return;
    setBusy('run');
    try {
      const r = await browser.current.run(item4worker, spec.graderKey, code, spec.seed, BROWSER_LIMIT_MS);
      setOutcome({ kind: 'run', ...r });
      showError(r.run.error);
    } catch (error) {
      setOutcome(error instanceof BrowserTimeoutError ? { kind: 'timeout', message: error.message } : { kind: 'failed', message: String(error) });
    } finally {
      setBusy(null);
    }
  };

  const grade = async () => {
    if (!browser.current || busy || item.answered) return;
    setBusy('grade');
    performance.mark('kakunin:submit'); // read by bench/browser-grading.ts
    try {
      let local: { verdict: CodeVerdict; backend: string; elapsedMs: number } | undefined;
      try {
        local = await browser.current.grade(item4worker, spec.graderKey, code, spec.seed, BROWSER_LIMIT_MS);
        performance.mark('kakunin:browser-verdict');
        setOutcome({ kind: 'browser', ...local });
        showError(local.verdict.cases.find((c) => c.error)?.error);
      } catch (error) {
        if (error instanceof BrowserTimeoutError) {
          // Stopped in the browser: the server would stop it too, and a time-limit run costs no attempt.
          setOutcome({ kind: 'timeout', message: error.message });
          return;
        }
        // The browser could not grade: the server still can.
      }
      const result = await submit.mutateAsync({
        sessionId,
        questionId: item.questionId,
        code,
        timeSpentMs: Date.now() - startedAt,
        ...(local ? { browser: { verdict: local.verdict.verdict, backend: local.backend, passed: local.verdict.passed, total: local.verdict.total } } : {}),
      });
      setOutcome({ kind: 'server', verdict: result.grading.verdict, backend: result.grading.backend, elapsedMs: result.grading.elapsedMs, ...(local ? { browser: local } : {}) });
      showError(result.grading.verdict.cases.find((c) => c.error)?.error);
      if (result.grading.recorded) onAnswered(result.item);
    } catch (error) {
      setOutcome({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
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
      <p className="small muted">{spec.kind === 'code' ? '空欄 ___ に入るコード' : '関数の実装'}（Shift+Enter で実行、Ctrl+Enter で提出）</p>
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
  if (outcome.kind === 'timeout') return <p className="error" role="alert" data-testid="time-limit">{outcome.message}</p>;
  if (outcome.kind === 'failed') return <p className="error" role="alert">{outcome.message}</p>;
  if (outcome.kind === 'run') {
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
  const { verdict } = outcome;
  const source = outcome.kind === 'browser' ? 'ブラウザ' : 'サーバー';
  return (
    <div className="card" data-testid={`${outcome.kind}-verdict`} data-verdict-code={verdict.verdict}>
      <p className={`verdict ${verdict.verdict === 'error' ? 'incorrect' : verdict.verdict}`}>
        {VERDICT_LABEL[verdict.verdict]}（{verdict.passed}/{verdict.total} ケース）
      </p>
      <p>{verdict.message}</p>
      <p className="small muted" data-testid="graded-by">
        採点: {source}（{BACKEND_LABEL[outcome.backend] ?? outcome.backend}・{outcome.elapsedMs.toFixed(1)} ms）
        {outcome.kind === 'server' && outcome.browser && ` / ブラウザ（${BACKEND_LABEL[outcome.browser.backend] ?? outcome.browser.backend}・${outcome.browser.elapsedMs.toFixed(1)} ms）: ${VERDICT_LABEL[outcome.browser.verdict.verdict]}`}
      </p>
    </div>
  );
}
