import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { serverCaller } from '../../../_trpc/server';
import { formatDuration, formatPercent } from '../../../format';
import { ItemResultView, SolutionView, SOURCE_LABEL } from '../item-result';

export const dynamic = 'force-dynamic';

export default async function SummaryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const sessionId = Number(id);
  if (!Number.isSafeInteger(sessionId) || sessionId <= 0) notFound();
  const session = await serverCaller()
    .sessions.get({ sessionId })
    .catch((error: unknown) => {
      if (error instanceof TRPCError && error.code === 'NOT_FOUND') notFound();
      throw error;
    });
  const totalTime = session.items.reduce((s, i) => s + (i.result?.timeSpentMs ?? 0), 0);

  return (
    <>
      <h1>結果</h1>
      <section className="card" aria-label="スコア">
        <p className="score-big" data-testid="score">
          {session.correctCount} / {session.total} 問正解（{formatPercent(session.score)}）
        </p>
        <p className="muted">
          回答 {session.answeredCount} 問 · 所要時間 {formatDuration(totalTime)}
          {session.finishedAt === null && ' · このセッションはまだ終了していません'}
        </p>
        <div className="actions">
          {session.finishedAt === null && (
            <Link className="button" href={`/sessions/${session.id}`}>
              続きを解く
            </Link>
          )}
          <Link className="button secondary" href="/">
            ホームへ
          </Link>
        </div>
      </section>
      <h2>問題ごとの結果</h2>
      <ol className="summary-list">
        {session.items.map((item) => (
          <li key={item.position} className="card" data-question-id={item.questionId}>
            <p className="small">
              第{item.position + 1}問 {item.source && <span className="badge">{SOURCE_LABEL[item.source]}</span>}
              <span className="muted">{item.chapterTitle}</span>
            </p>
            <div className="prompt" dangerouslySetInnerHTML={{ __html: item.promptHtml }} />
            {item.result ? (
              <ItemResultView item={item} result={item.result} />
            ) : (
              <>
                <p className="verdict incorrect">{item.answered ? '回答済み' : '未回答'}</p>
                {item.solution && <SolutionView item={item} solution={item.solution} />}
              </>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
