import Link from 'next/link';
import { requireLearner, serverCaller } from '../_trpc/server';
import { formatPercent } from '../format';
import { MockStartForm } from './mock-start-form';
import { PassTargetForm } from './pass-target-form';

export const dynamic = 'force-dynamic';

const dateFormat = new Intl.DateTimeFormat('ja-JP', { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' });

export default async function MockPage() {
  await requireLearner();
  const overview = await serverCaller().sessions.mockOverview();
  const running = overview.recent.find((r) => r.finishedAt === null);
  return (
    <>
      <h1>模擬試験</h1>
      <p className="muted">
        E資格の本番と同じように、全 13 章から問題バンクの割合に合わせて出題します（{overview.poolSize} 問から抽選）。制限時間は 1 問あたり 72 秒で、
        タイマーはサーバーが管理します。試験中は正誤も解説も表示されません。回答は終了まで変更でき、「見直し」の印を付けて後から戻れます。
        コードの問題は選択肢で答えます。合格ラインは {formatPercent(overview.passTarget)} です。
      </p>
      {running && (
        <section className="card" aria-label="受験中の模擬試験">
          <p>
            受験中の模擬試験があります（{running.answeredCount} / {running.total} 問回答済み）。{' '}
            <Link href={`/sessions/${running.id}`}>試験に戻る</Link>
          </p>
        </section>
      )}
      <MockStartForm sizes={overview.sizes} />
      <PassTargetForm passTarget={overview.passTarget} />
      <h2>出題の割合</h2>
      <ul className="mock-shares card">
        {overview.chapters.map((c) => (
          <li key={c.slug}>
            <span>{c.title}</span>
            <span className="muted small">{formatPercent(c.count / overview.poolSize)}</span>
          </li>
        ))}
      </ul>
      {overview.recent.some((r) => r.finishedAt !== null) && (
        <>
          <h2>これまでの模擬試験</h2>
          <ul className="card mock-history">
            {overview.recent
              .filter((r) => r.finishedAt !== null)
              .map((r) => (
                <li key={r.id}>
                  <Link href={`/sessions/${r.id}/summary`}>{dateFormat.format(new Date(r.startedAt))}</Link>{' '}
                  {r.total} 問 · {r.correctCount} 問正解（{formatPercent(r.score)}）{r.score >= overview.passTarget - 1e-9 ? ' · 合格ライン到達' : ''}
                </li>
              ))}
          </ul>
        </>
      )}
    </>
  );
}
