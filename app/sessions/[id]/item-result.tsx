import type { ItemResult, SessionItem } from '@/server/services/sessions';
import type { AnswerKey } from '@/graders/answers/grade-answer';
import { formatDuration } from '../../format';
import { RatingControl } from './rating-control';
import { SelfAssessment } from './self-assessment';

export const SOURCE_LABEL = { kakunin: '確認テスト', enshu: '演習チャレンジ', original: 'オリジナル' } as const;

const VERDICT_LABEL = { correct: '正解', partial: '部分正解', incorrect: '不正解' } as const;

/** The learner's answer as text, in the form it was given. */
export function describeResponse(item: SessionItem, result: ItemResult): string {
  const r = result.response;
  // Choices are labelled by their ids, as the 解説 names them.
  switch (r.type) {
    case 'choice':
      return r.choice;
    case 'multi':
      return [...r.choices].sort().join(', ');
    case 'code':
      return r.code;
    default:
      return r.value;
  }
}

/**
 * Verdict, the right answer, rubric and 解説 of an answered question. Shared by the runner and the summary.
 * `fresh`: just answered in the runner (a written answer's self-assessment then takes the focus).
 */
export function ItemResultView({ item, result, fresh = false }: { item: SessionItem; result: ItemResult; fresh?: boolean }) {
  const key = result.key;
  const chosen = result.response.type === 'choice' ? [result.response.choice] : result.response.type === 'multi' ? result.response.choices : [];
  const rightChoices = key.choice ? [key.choice, ...(key.alsoChoices ?? [])] : (key.choices ?? []);
  const writtenAnswer = result.response.type === 'written' || result.response.type === 'code';
  // A written answer is scored by the learner's confirmation of its rubric points; until then the match is a guide.
  const rubric = result.response.type === 'written' ? result.feedback?.rubric : undefined;
  const confirmation = result.feedback?.selfAssessment;
  const score = result.verdict === 'partial' || rubric ? `（${Math.round(result.score * 100)}点${rubric ? (confirmation ? '・自己採点' : '・自動判定の目安') : ''}）` : '';
  return (
    <section aria-label="採点結果">
      <p className={`verdict ${result.verdict}`} role="status" data-verdict={result.verdict} data-score={Math.round(result.score * 100)}>
        {VERDICT_LABEL[result.verdict]}
        {score}
        <span className="muted small"> · {formatDuration(result.timeSpentMs)}</span>
      </p>
      {item.choices && !writtenAnswer && (
        <ul className="choices" aria-label="選択肢と正解">
          {item.choices.map((c) => {
            const right = rightChoices.includes(c.id);
            const picked = chosen.includes(c.id);
            const cls = right ? 'is-correct' : picked ? 'is-wrong' : '';
            return (
              <li key={c.id} className={`choice ${cls}`} aria-checked={picked}>
                <span className="key">{c.id}</span>
                <span dangerouslySetInnerHTML={{ __html: c.html }} />
                {right && <span className="small">（正解）</span>}
                {picked && !right && <span className="small">（あなたの回答）</span>}
              </li>
            );
          })}
        </ul>
      )}
      {result.response.type === 'code' && <CodeResult result={result} />}
      {result.response.type !== 'code' && (!item.choices || writtenAnswer) ? (
        <p>
          あなたの回答: <strong className="learner-answer">{describeResponse(item, result)}</strong>
        </p>
      ) : null}
      {key.code && (
        <div>
          <p className="small muted">模範解答のコード</p>
          <pre className="code-block">{key.code}</pre>
        </div>
      )}
      {key.value && !writtenAnswer && (
        <p>
          正解: <strong>{key.value}</strong>
          {key.accept && key.accept.length > 0 && <span className="muted small">（{key.accept.join('、')} も可）</span>}
        </p>
      )}
      {writtenAnswer && key.modelAnswerHtml && (
        <div className="model-answer">
          <p className="small muted">模範解答</p>
          <div dangerouslySetInnerHTML={{ __html: key.modelAnswerHtml }} />
        </div>
      )}
      {rubric && <SelfAssessment answerId={result.answerId} rubric={rubric} confirmation={confirmation} score={result.score} autoFocus={fresh} />}
      <div className="explanation">
        <h3 className="small muted">解説</h3>
        <div dangerouslySetInnerHTML={{ __html: result.explanationHtml }} />
      </div>
      {/* a written answer's rating comes from its confirmation; after that the learner may still correct it */}
      {result.rating !== null && (!rubric || confirmation) && <RatingControl key={`${result.answerId}-${result.rating}`} answerId={result.answerId} rating={result.rating} />}
    </section>
  );
}

/** The right answer and 解説 of a question that was left unanswered. */
export function SolutionView({ item, solution }: { item: SessionItem; solution: { key: AnswerKey; explanationHtml: string } }) {
  const right = solution.key.choice ? [solution.key.choice, ...(solution.key.alsoChoices ?? [])] : (solution.key.choices ?? []);
  const labels = [...right].sort();
  return (
    <section aria-label="正解と解説">
      <p>
        正解: <strong>{labels.length > 0 ? labels.join(', ') : solution.key.value}</strong>
      </p>
      {solution.key.code && <pre className="code-block">{solution.key.code}</pre>}
      {solution.key.modelAnswerHtml && <div dangerouslySetInnerHTML={{ __html: solution.key.modelAnswerHtml }} />}
      <div className="explanation">
        <h3 className="small muted">解説</h3>
        <div dangerouslySetInnerHTML={{ __html: solution.explanationHtml }} />
      </div>
    </section>
  );
}

const BACKEND_LABEL: Record<string, string> = { webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };

/** A code answer: the learner's code, the server's verdict per case, and who graded it. */
function CodeResult({ result }: { result: ItemResult }) {
  const code = result.response.type === 'code' ? result.response.code : '';
  const feedback = result.feedback?.code;
  return (
    <div>
      <p className="small muted">あなたのコード</p>
      <pre className="code-block learner-answer">{code}</pre>
      {feedback && (
        <>
          <p>{feedback.message}</p>
          <ul className="rubric">
            {feedback.cases.map((c) => (
              <li key={c.index} className={c.passed ? 'met' : ''}>
                {c.index === 0 ? '例のケース' : `非公開ケース ${c.index}`}
                {c.mismatch && `: ${c.mismatch.message}`}
                {c.error && `: ${c.error.type}: ${c.error.message}`}
              </li>
            ))}
          </ul>
          <p className="small muted" data-testid="graded-by">
            採点: サーバー（{BACKEND_LABEL[feedback.backend] ?? feedback.backend}・{feedback.elapsedMs.toFixed(1)} ms）
            {feedback.browser && ` / ブラウザ（${BACKEND_LABEL[feedback.browser.backend] ?? feedback.browser.backend}）`}
          </p>
        </>
      )}
    </div>
  );
}
