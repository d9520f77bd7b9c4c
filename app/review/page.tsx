import { chapterTitle } from '@/server/bank/chapters';
import { requireLearner, serverCaller } from '../_trpc/server';
import { ReviewActions } from './review-actions';

export const dynamic = 'force-dynamic';

const DAY_NAMES = ['今日', '明日', '2日後', '3日後', '4日後', '5日後', '6日後'];

function dueText(due: number, now: number): string {
  const minutes = Math.round((now - due) / 60_000);
  if (minutes < 60) return minutes <= 1 ? 'たった今' : `${minutes}分前から`;
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `${hours}時間前から` : `${Math.round(hours / 24)}日前から`;
}

export default async function ReviewPage() {
  await requireLearner();
  const queue = await serverCaller().review.queue();
  const now = Date.now();
  const total = queue.due.length + queue.newCardsToday.available;
  return (
    <>
      <h1>今日の復習</h1>
      <section className="card" aria-label="復習の予定">
        <p>
          復習する問題 <strong data-testid="due-count">{queue.due.length}</strong> 問 ・ 今日の新しい問題 あと{' '}
          <strong data-testid="new-available">{queue.newCardsToday.available}</strong> 問（1日 {queue.newCardsToday.limit} 問まで、今日 {queue.newCardsToday.introduced} 問）
        </p>
        <div className="due-days" aria-label="今後7日間の復習予定">
          {queue.upcoming.map((n, i) => (
            <div key={DAY_NAMES[i]}>
              <div className="small muted">{DAY_NAMES[i]}</div>
              <strong>{n}</strong>
            </div>
          ))}
        </div>
        <ReviewActions total={total} dailyNewCards={queue.newCardsToday.limit} />
      </section>
      {queue.due.length > 0 && (
        <section className="card" aria-label="復習する問題">
          <h2 style={{ marginTop: 0 }}>復習する問題（古い順）</h2>
          <ol className="due-list">
            {queue.due.map((d) => (
              <li key={d.questionId} data-question-id={d.questionId}>
                <span>{chapterTitle(d.chapter)}</span> <code className="small">{d.questionId}</code>{' '}
                <span className="muted small">
                  {dueText(d.due, now)} ・ 解いた回数 {d.reps} ・ 忘れた回数 {d.lapses}
                </span>
              </li>
            ))}
          </ol>
        </section>
      )}
      <p className="hint">
        間違えた問題は1分後、正解した問題は忘れかけた頃（FSRS が予測する想起率 90% の時点）に戻ってきます。回答後に表示される「復習の評価」で、評価を自分で直すこともできます。
      </p>
    </>
  );
}
