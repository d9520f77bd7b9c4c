import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { getBank } from '@/server/bank/bank';
import { requireLearner, serverCaller } from '../../../_trpc/server';
import { formatDuration, formatPercent } from '../../../format';
import { formatClock } from '../clock';
import { ItemResultView, SolutionView, SOURCE_LABEL } from '../item-result';
import { MockResult } from './mock-result';

export const dynamic = 'force-dynamic';

export default async function SummaryPage({ params }: { params: Promise<{ id: string }> }) {
  await requireLearner();
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
  const exam = session.exam;

  if (exam && session.finishedAt === null) {
    // A mock exam in progress: no result before the end.
    return (
      <>
        <h1>模擬試験の結果</h1>
        <section className="card" aria-label="試験中">
          <p>この模擬試験はまだ終わっていません（残り {formatClock(exam.remainingMs)}）。結果は終了後に表示されます。</p>
          <Link className="button" href={`/sessions/${session.id}`}>
            試験に戻る
          </Link>
        </section>
      </>
    );
  }

  const flagged = new Set(exam?.flagged ?? []);
  const titleOf = (questionId: string) => getBank().byId.get(questionId)?.title ?? '（問題バンクから削除された問題）';
  return (
    <>
      <h1>{exam ? '模擬試験の結果' : '結果'}</h1>
      {exam ? (
        <MockResult session={{ ...session, exam }} />
      ) : (
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
      )}
      {exam && (
        <div className="actions">
          <Link className="button" href="/mock">
            もう一度受ける
          </Link>
          <Link className="button secondary" href="/">
            ホームへ
          </Link>
        </div>
      )}
      <h2>問題ごとの結果</h2>
      <ol className="summary-list">
        {session.items.map((item) => (
          <li key={item.position} className="card" data-question-id={item.questionId}>
            <p className="small">
              第{item.position + 1}問 <strong className="question-title">{titleOf(item.questionId)}</strong> {item.source && <span className="badge">{SOURCE_LABEL[item.source]}</span>}
              {flagged.has(item.questionId) && <span className="badge flag-badge">見直し</span>}
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
