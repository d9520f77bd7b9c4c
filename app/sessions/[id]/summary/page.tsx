import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { getBank } from '@/server/bank/bank';
import { requireLearner, serverCaller } from '../../../_trpc/server';
import { formatDuration, formatPercent } from '../../../format';
import { formatClock } from '../clock';
import { AttemptsNote } from '../code-answer';
import { ItemResultView, SolutionView, SOURCE_LABEL } from '../item-result';
import { MockResult } from './mock-result';
import { RetryWrongButton } from './retry-wrong';

/** 「回答 3 問中 1 問正解・1 問部分正解（50%）・未回答 7 問」: the answered questions scored, the unanswered apart. */
function scoreLine(s: { answeredCount: number; correctCount: number; partialCount: number; answeredScore: number | null; total: number }): string {
  const unanswered = s.total - s.answeredCount;
  const rest = unanswered > 0 ? `・未回答 ${unanswered} 問` : '';
  if (s.answeredCount === 0 || s.answeredScore === null) return `回答した問題はありません${rest}`;
  const partial = s.partialCount > 0 ? `・${s.partialCount} 問部分正解` : '';
  return `回答 ${s.answeredCount} 問中 ${s.correctCount} 問正解${partial}（${formatPercent(s.answeredScore)}）${rest}`;
}

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
  const wrongCount = session.items.filter((i) => i.result && i.result.verdict !== 'correct' && i.kind !== 'removed').length;
  const titleOf = (questionId: string) => getBank().byId.get(questionId)?.title ?? '（問題バンクから削除された問題）';
  return (
    <>
      <h1>{exam ? '模擬試験の結果' : '結果'}</h1>
      {exam ? (
        <MockResult session={{ ...session, exam }} />
      ) : (
      <section className="card" aria-label="スコア">
        <p className="score-big" data-testid="score">
          {scoreLine(session)}
        </p>
        <p className="muted">
          所要時間 {formatDuration(totalTime)}
          {session.finishedAt === null && ' · このセッションはまだ終了していません'}
        </p>
        <div className="actions">
          {session.finishedAt === null && (
            <Link className="button" href={`/sessions/${session.id}`}>
              続きを解く
            </Link>
          )}
          {session.finishedAt !== null && wrongCount > 0 && <RetryWrongButton sessionId={session.id} count={wrongCount} />}
          <Link className="button secondary" href="/review">
            今日の復習
          </Link>
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
      {exam || session.answeredCount === session.total ? (
        <>
          <h2>問題ごとの結果</h2>
          <ol className="summary-list">{session.items.map(itemCard)}</ol>
        </>
      ) : (
        <>
          {/* Practice: the answered questions, then the unanswered ones apart (not scored). */}
          <h2>回答した問題</h2>
          {session.answeredCount > 0 ? <ol className="summary-list">{session.items.filter((i) => i.answered).map(itemCard)}</ol> : <p className="muted">ありません。</p>}
          <h2>未回答の問題（{session.total - session.answeredCount} 問）</h2>
          <ol className="summary-list" aria-label="未回答の問題">{session.items.filter((i) => !i.answered).map(itemCard)}</ol>
        </>
      )}
    </>
  );

  function itemCard(item: (typeof session.items)[number]) {
    return (
          <li key={item.position} className="card" data-question-id={item.questionId}>
            <p className="small">
              第{item.position + 1}問 <strong className="question-title">{titleOf(item.questionId)}</strong> {item.source && <span className="badge">{SOURCE_LABEL[item.source]}</span>}
              {flagged.has(item.questionId) && <span className="badge flag-badge">見直し</span>}
              <span className="muted">{item.chapterTitle}</span>
            </p>
            <div className="prompt" dangerouslySetInnerHTML={{ __html: item.promptHtml }} />
            {item.result && item.attempts && <AttemptsNote attempts={item.attempts} />}
            {item.result ? (
              <ItemResultView item={item} result={item.result} />
            ) : (
              <>
                <p className="verdict incorrect">{item.answered ? '回答済み' : '未回答'}</p>
                {item.solution && <SolutionView item={item} solution={item.solution} />}
              </>
            )}
          </li>
    );
  }
}
