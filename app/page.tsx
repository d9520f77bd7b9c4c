import Link from 'next/link';
import { requireLearner, serverCaller } from './_trpc/server';
import { DiscardSessionButton } from './discard-session-button';
import { StartForm } from './start-form';
import { formatPercent } from './format';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  await requireLearner();
  const api = serverCaller();
  const [chapters, sessions, catalog, progress] = await Promise.all([
    api.chapters.overview(),
    api.sessions.list({ limit: 10, unfinished: true }),
    api.sessions.catalog(),
    api.progress.summary(),
  ]);
  const unfinished = sessions.filter((s) => s.finishedAt === null && (s.mode === 'mock' || s.answeredCount < s.total));
  const titleOf = new Map(chapters.map((c) => [c.slug, c.title]));

  return (
    <>
      <h1>章を選んで演習をはじめる</h1>
      <section className="card home-progress" aria-label="これまでの学習">
        <span>
          回答 <strong data-testid="home-answers">{progress.answers}</strong> 件
        </span>
        <span>
          解いた問題 {progress.answeredQuestions} / {progress.questionCount}
        </span>
        <span>
          正答率 <strong data-testid="home-accuracy">{progress.accuracy === null ? '—' : formatPercent(progress.accuracy)}</strong>
        </span>
        <Link href="/progress">進捗を見る →</Link>
      </section>
      <section className="card mock-entry" aria-label="模擬試験">
        <Link className="button" href="/mock">
          模擬試験
        </Link>
        <span className="muted small">全章から本番形式で出題（1 問 72 秒・終了まで正誤は非表示）</span>
      </section>
      {unfinished.length > 0 && (
        <section className="card unfinished-sessions" aria-label="途中のセッション">
          <h2 style={{ marginTop: 0 }}>途中のセッション</h2>
          <ul className="session-list">
            {unfinished.map((s) => {
              const what =
                s.mode === 'mock'
                  ? `模擬試験 ${s.total} 問（${s.answeredCount}/${s.total} 問回答済み）`
                  : `${s.chapters.map((c) => titleOf.get(c) ?? c).join('・')}（${s.answeredCount}/${s.total} 問回答済み）`;
              return (
                <li key={s.id} data-session-id={s.id}>
                  <span className="small session-what">{what}</span>
                  <span className="session-actions">
                    <Link href={`/sessions/${s.id}`}>{s.mode === 'mock' ? '模擬試験に戻る' : '続きから'}</Link>
                    {/* A running mock exam ends by itself at its deadline: only practice and review are discarded. */}
                    {s.mode !== 'mock' && <DiscardSessionButton sessionId={s.id} label={what} />}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <StartForm
        catalog={catalog}
        chapters={chapters.map((c) => ({
          slug: c.slug,
          title: c.title,
          day: c.day,
          questionCount: c.questionCount,
          answeredCount: c.answeredCount,
          accuracyText: c.accuracy === null ? '未回答' : `解いた問題 ${c.answeredQuestions} / ${c.questionCount} · 正答率 ${formatPercent(c.accuracy)}`,
          accuracy: c.accuracy,
          coverage: c.questionCount > 0 ? c.answeredQuestions / c.questionCount : 0,
        }))}
      />
    </>
  );
}
