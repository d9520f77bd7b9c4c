import type { SessionView } from '@/server/services/sessions';
import { formatDuration, formatPercent } from '../../../format';

/** A finished mock exam: the score against the pass line, each chapter, and the time used. */
export function MockResult({ session }: { session: SessionView & { exam: NonNullable<SessionView['exam']> } }) {
  const { exam } = session;
  const result = exam.result;
  if (!result) return null;
  const used = Math.min((session.finishedAt ?? session.startedAt) - session.startedAt, exam.timeLimitSec * 1000);
  const answeredTimes = session.items.filter((i) => i.result).map((i) => i.result!.timeSpentMs);
  return (
    <>
      <section className="card" aria-label="模擬試験のスコア">
        <p className="score-big" data-testid="score">
          {session.correctCount} / {session.total} 問正解（{formatPercent(session.score)}）
        </p>
        <p className={`pass-line ${result.passed ? 'passed' : 'failed'}`} data-testid="pass-line" data-passed={result.passed}>
          {result.passed ? `合格ライン到達（合格ライン ${formatPercent(exam.passTarget)}）` : `合格ライン ${formatPercent(exam.passTarget)} まで あと ${result.shortBy} 問`}
        </p>
        <div className="pass-meter" aria-hidden>
          <span style={{ width: `${Math.round(session.score * 100)}%` }} />
          <i style={{ left: `${Math.round(exam.passTarget * 100)}%` }} />
        </div>
        <p className="muted small">
          回答 {session.answeredCount} / {session.total} 問 · 使った時間 {formatDuration(used)}（制限 {formatDuration(exam.timeLimitSec * 1000)}）
          {session.finishedAt !== null && session.finishedAt >= exam.deadline && ' · 時間切れで終了'}
          {answeredTimes.length > 0 && ` · 1問あたり平均 ${formatDuration(result.totalTimeMs / answeredTimes.length)}`}
        </p>
      </section>
      <h2>章ごとの結果</h2>
      <table className="card chapter-breakdown" data-testid="chapter-breakdown">
        <thead>
          <tr>
            <th scope="col">章</th>
            <th scope="col">出題</th>
            <th scope="col">回答</th>
            <th scope="col">正解</th>
            <th scope="col">正答率</th>
          </tr>
        </thead>
        <tbody>
          {result.chapters.map((c) => (
            <tr key={c.slug} data-chapter={c.slug}>
              <th scope="row">{c.title}</th>
              <td>{c.total}</td>
              <td>{c.answered}</td>
              <td>{c.correct}</td>
              <td>
                <span className="rate">{formatPercent(c.score)}</span>
                <span className={`meter ${c.score >= exam.passTarget ? 'good' : 'weak'}`} aria-hidden>
                  <span style={{ width: `${Math.round(c.score * 100)}%` }} />
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
