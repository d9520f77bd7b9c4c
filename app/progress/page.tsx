import Link from 'next/link';
import { requireLearner, serverCaller } from '../_trpc/server';
import { formatDuration, formatPercent } from '../format';
import { ActivityChart, TrendChart } from './charts';
import { ImportForm } from './import-form';
import { VERDICT_LABEL, verdictCountsText } from './verdict-text';
import { PracticeQuestionLink, WeakPracticeButton } from './weak-practice';

export const dynamic = 'force-dynamic';

const MODE_LABEL = { practice: '演習', review: '復習', mock: '模擬試験' } as const;
const PAGE_SIZE = 20;

const percentOrDash = (x: number | null) => (x === null ? '—' : formatPercent(x));
const points = (score: number) => `${Math.round(score * 100)}点`;

export default async function ProgressPage({ searchParams }: { searchParams: Promise<{ page?: string }> }) {
  await requireLearner();
  const { page: pageParam } = await searchParams;
  const requested = Number(pageParam ?? '1');
  const api = serverCaller();
  const [overview, history] = await Promise.all([
    api.progress.overview(),
    api.progress.answers({ page: Number.isSafeInteger(requested) && requested >= 1 ? requested : 1, pageSize: PAGE_SIZE }),
  ]);
  const { totals, chapters, trend, daily, weak } = overview;
  const activeDays = daily.filter((d) => d.answers > 0);

  return (
    <>
      <h1>進捗</h1>
      <section className="card stat-row" aria-label="全体">
        <div>
          <span className="stat-value" data-testid="total-answers">{totals.answers}</span>
          <span className="stat-label">回答数</span>
        </div>
        <div>
          <span className="stat-value">
            {totals.answeredQuestions} / {totals.questionCount}
          </span>
          <span className="stat-label">解いた問題</span>
        </div>
        <div>
          <span className="stat-value" data-testid="verdict-counts">
            {totals.correct} / {totals.partial} / {totals.incorrect}
          </span>
          <span className="stat-label">正解 / 部分正解 / 不正解</span>
        </div>
        <div>
          <span className="stat-value">{percentOrDash(totals.firstTryAccuracy)}</span>
          <span className="stat-label">正答率（初回）</span>
        </div>
        <div>
          <span className="stat-value">{percentOrDash(totals.latestAccuracy)}</span>
          <span className="stat-label">正答率（最新）</span>
        </div>
        <div>
          <span className="stat-value">{formatDuration(totals.timeSpentMs)}</span>
          <span className="stat-label">学習時間</span>
        </div>
      </section>

      <h2>章ごとの進捗</h2>
      <div className="table-wrap card">
        <table className="progress-table" aria-label="章ごとの進捗">
          <thead>
            <tr>
              <th scope="col">章</th>
              <th scope="col">解いた問題</th>
              <th scope="col">回答数</th>
              <th scope="col">正答率（初回）</th>
              <th scope="col">正答率（最新）</th>
              <th scope="col">学習時間</th>
              <th scope="col">習熟度</th>
            </tr>
          </thead>
          <tbody>
            {chapters.map((c) => (
              <tr key={c.slug} data-chapter={c.slug}>
                <th scope="row">
                  <span className="muted small">
                    Day {c.day} · 第{c.number}章
                  </span>
                  <br />
                  {c.title}
                </th>
                <td data-col="answered">
                  {c.answeredQuestions} / {c.questionCount}
                </td>
                <td data-col="answers">{c.answers}</td>
                <td data-col="first-try">{percentOrDash(c.firstTryAccuracy)}</td>
                <td data-col="latest">{percentOrDash(c.latestAccuracy)}</td>
                <td data-col="time">{formatDuration(c.timeSpentMs)}</td>
                <td data-col="mastery">
                  <span className={`mastery mastery-${c.mastery.level}`}>{c.mastery.label}</span>
                  <div className="meter" aria-hidden>
                    <span style={{ width: `${Math.round(c.mastery.score * 100)}%` }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">
          正答率は得点の平均です（75点の部分正解は 0.75 問分。不正解には数えません）。初回は各問題の最初の回答、最新は最後の回答で数えます。習熟度は、正解して復習の段階に入った問題の想起確率（FSRS）の章内の平均です。
        </p>
      </div>

      <h2>推移</h2>
      <section className="card">
        <TrendChart weeks={trend} chapters={chapters.map((c) => ({ slug: c.slug, title: c.title, answers: c.answers }))} />
        <details>
          <summary className="small">数値で見る</summary>
          <table className="progress-table compact">
            <thead>
              <tr>
                <th scope="col">週</th>
                <th scope="col">回答数</th>
                <th scope="col">正答率</th>
              </tr>
            </thead>
            <tbody>
              {trend.map((w) => (
                <tr key={w.weekStart}>
                  <td>{w.label} の週</td>
                  <td>{w.all.answers}</td>
                  <td>{percentOrDash(w.all.accuracy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <h2>学習の記録（直近 8 週間）</h2>
      <section className="card" aria-label="日ごとの学習">
        <ActivityChart days={daily} />
        <details>
          <summary className="small">数値で見る（回答した日 {activeDays.length} 日）</summary>
          <table className="progress-table compact" aria-label="日ごとの回答数と正答率">
            <thead>
              <tr>
                <th scope="col">日付</th>
                <th scope="col">回答数</th>
                <th scope="col">正解</th>
                <th scope="col">部分正解</th>
                <th scope="col">正答率</th>
              </tr>
            </thead>
            <tbody>
              {activeDays.map((d) => (
                <tr key={d.dayStart} data-day={d.label}>
                  <td>{d.label}</td>
                  <td>{d.answers}</td>
                  <td>{d.correct}</td>
                  <td>{d.partial}</td>
                  <td>{percentOrDash(d.accuracy)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <h2>苦手な問題</h2>
      <section className="card" aria-label="苦手な問題">
        {weak.length === 0 ? (
          <p className="muted">まだ間違えた問題はありません。</p>
        ) : (
          <>
            <p className="hint">
              失点（不正解は 1、部分正解は減点分）の多い順、同じなら忘れかけている（想起確率が低い）順です。題をクリックするとその問題だけを練習します。想起確率は
              FSRS が予測する「いま解けば思い出せる確率」で、解いた直後は高く、間違えた問題ほど早く下がります。「学習中」は、間違えた・部分正解のあとまだ正解していない問題で、数分後の復習に戻ってきます。
            </p>
            <ol className="weak-list">
              {weak.map((w) => (
                <li key={w.questionId} data-question-id={w.questionId}>
                  <PracticeQuestionLink questionId={w.questionId} title={w.title} />
                  <br />
                  <span className="muted small" data-testid="weak-detail">
                    {w.chapterTitle} · {verdictCountsText(w)} · 最新{' '}
                    {points(w.latestScore)} · 想起確率 {w.retrievability === null ? '—' : formatPercent(w.retrievability)}
                    {w.learning && '（学習中）'} ·{' '}
                    <Link href={`/sessions/${w.lastSessionId}/summary`}>前回の解説</Link>
                  </span>
                </li>
              ))}
            </ol>
            <WeakPracticeButton questionIds={weak.map((w) => w.questionId)} />
          </>
        )}
      </section>

      <h2>回答の履歴</h2>
      <section className="card" aria-label="回答の履歴">
        {history.total === 0 ? (
          <p className="muted">まだ回答がありません。</p>
        ) : (
          <>
            <div className="table-wrap">
              <table className="progress-table compact answer-history">
                <thead>
                  <tr>
                    <th scope="col">日時</th>
                    <th scope="col">問題</th>
                    <th scope="col">結果</th>
                    <th scope="col">セッション</th>
                  </tr>
                </thead>
                <tbody>
                  {history.rows.map((r) => (
                    <tr key={r.answerId} data-answer-id={r.answerId}>
                      <td className="nowrap">
                        {/* date above time: the column stays narrow on a phone */}
                        {r.createdAtText.split(' ')[0]}
                        <br />
                        <span className="muted small">{r.createdAtText.split(' ')[1]}</span>
                      </td>
                      <td>
                        {r.inBank ? <PracticeQuestionLink questionId={r.questionId} title={r.title} /> : r.title}
                        <br />
                        <span className="muted small">{r.chapterTitle}</span>
                      </td>
                      <td className={`verdict-text ${r.verdict}`}>
                        {VERDICT_LABEL[r.verdict]}
                        {r.verdict === 'partial' && `（${points(r.score)}）`}
                      </td>
                      <td className="nowrap">
                        <Link href={`/sessions/${r.sessionId}/summary`}>
                          {MODE_LABEL[r.sessionMode]} #{r.sessionId}
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav className="pager" aria-label="ページ">
              {history.page > 1 ? <Link href={`/progress?page=${history.page - 1}`}>← 新しい回答</Link> : <span />}
              <span className="muted small">
                {history.page} / {history.pageCount} ページ（全 {history.total} 件）
              </span>
              {history.page < history.pageCount ? <Link href={`/progress?page=${history.page + 1}`}>古い回答 →</Link> : <span />}
            </nav>
          </>
        )}
      </section>

      <h2>書き出しと読み込み</h2>
      <section className="card" aria-label="書き出しと読み込み">
        <p className="actions" style={{ marginTop: 0 }}>
          <a className="button secondary" href="/progress/export?format=csv" download>
            CSV で書き出す
          </a>
          <a className="button secondary" href="/progress/export?format=json" download data-testid="export-json">
            JSON で書き出す
          </a>
        </p>
        <p className="hint">
          1 行が 1 回答です。CSV は表計算ソフト用（日時・章・問題・回答・判定・得点・所要時間。Excel でそのまま開けます）。JSON は別の環境へ履歴を移すときに読み込めます。
        </p>
        <h3 className="small">JSON を読み込む（回答の記録がない新しい環境のみ）</h3>
        <ImportForm />
      </section>
    </>
  );
}
