import { requireLearner, serverCaller } from '../_trpc/server';
import { verdictCountsText } from '../progress/verdict-text';
import { ReviewActions } from './review-actions';

export const dynamic = 'force-dynamic';

const DAY_NAMES = ['今日', '明日', '2日後', '3日後', '4日後', '5日後', '6日後'];

function dueText(due: number, now: number): string {
  const minutes = Math.round((now - due) / 60_000);
  // Due later today (a wrong answer comes back a minute after it).
  if (minutes < 0) return -minutes < 60 ? `あと${-minutes}分` : `${Math.round(-minutes / 60)}時間後`;
  if (minutes < 60) return minutes <= 1 ? 'たった今' : `${minutes}分前から`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `${hours}時間前から` : `${Math.round(hours / 24)}日前から`;
}

export default async function ReviewPage() {
  await requireLearner();
  const queue = await serverCaller().review.queue();
  const now = Date.now();
  const fresh = queue.newCardsToday;
  const total = queue.due.length + fresh.available;
  const later = queue.upcoming.map((d, i) => ({ ...d, name: DAY_NAMES[i]! })).slice(1).filter((d) => d.questions.length > 0);
  return (
    <>
      <h1>今日の復習</h1>
      <section className="card" aria-label="復習の予定">
        <p>
          復習する問題 <strong data-testid="due-count">{queue.due.length}</strong> 問 ・ 今日の新しい問題 あと{' '}
          <strong data-testid="new-available">{fresh.available}</strong> 問（1日 {fresh.limit} 問まで、今日 {fresh.introduced} 問）
        </p>
        <div className="due-days" aria-label="今後7日間の復習予定">
          {queue.upcoming.map((d, i) => (
            <div key={d.dayStart}>
              <div className="small muted">{DAY_NAMES[i]}</div>
              <strong>{d.questions.length}</strong>
            </div>
          ))}
        </div>
        <ReviewActions total={total} dailyNewCards={fresh.limit} />
      </section>
      {queue.due.length > 0 && (
        <section className="card" aria-label="復習する問題">
          <h2 style={{ marginTop: 0 }}>復習する問題（古い順）</h2>
          <ol className="due-list">
            {queue.due.map((d) => (
              <li key={d.questionId} data-question-id={d.questionId}>
                <span className="question-title">{d.title}</span>
                <br />
                <span className="muted small">
                  {d.chapterTitle} ・ {dueText(d.due, now)} ・ {verdictCountsText(d)}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {fresh.questions.length > 0 && (
        <section className="card" aria-label="今日の新しい問題">
          <h2 style={{ marginTop: 0 }}>今日の新しい問題（講義の順）</h2>
          <ol className="due-list">
            {fresh.questions.map((q) => (
              <li key={q.questionId} data-question-id={q.questionId}>
                <span className="question-title">{q.title}</span> <span className="muted small">{q.chapterTitle}</span>
              </li>
            ))}
          </ol>
        </section>
      )}
      {later.length > 0 && (
        <section className="card" aria-label="明日からの復習">
          <details>
            <summary>明日から6日間に戻ってくる問題（{later.reduce((n, d) => n + d.questions.length, 0)} 問）</summary>
            {later.map((d) => (
              <div key={d.dayStart} data-day={d.name}>
                <h3 className="small">{d.name}</h3>
                <ul className="due-list">
                  {d.questions.map((q) => (
                    <li key={q.questionId} data-question-id={q.questionId}>
                      <span className="question-title">{q.title}</span> <span className="muted small">{q.chapterTitle}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </details>
        </section>
      )}
      <p className="hint">
        間違えた問題は1分後、部分正解の問題は数分後、正解した問題は忘れかけた頃（FSRS が予測する想起確率が 90% に下がる頃）に戻ってきます。回答後に表示される「復習の評価」で、評価を自分で直すこともできます。
      </p>
    </>
  );
}
