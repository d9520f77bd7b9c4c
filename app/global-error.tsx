'use client';

import './globals.css';

/**
 * An error in the root layout itself replaces the whole document, header included, so this page brings its own
 * <html> and <body>. Its link is a plain <a>: a full load starts the app afresh.
 */
export default function GlobalError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <html lang="ja">
      <body>
        <title>エラー — 確認 Kakunin</title>
        <main className="page">
          <section className="card status-page" role="alert" aria-labelledby="status-title">
            <h1 id="status-title">エラーが発生しました</h1>
            <p>確認 Kakunin を表示できませんでした。もう一度試すか、ホームへ戻ってください。送信済みの回答は保存されています。</p>
            {error.digest && <p className="small muted">エラー番号: {error.digest}</p>}
            <p className="actions">
              <button type="button" onClick={() => retry()}>
                もう一度試す
              </button>
              <a className="button secondary" href="/">
                ホームへ戻る
              </a>
            </p>
          </section>
        </main>
      </body>
    </html>
  );
}
