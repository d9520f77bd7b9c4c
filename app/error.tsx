'use client';

import Link from 'next/link';
import { useEffect } from 'react';

/** An unexpected error while rendering a page: the header stays, the page says so in Japanese and offers a retry. */
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="card status-page" role="alert" aria-labelledby="status-title">
      <h1 id="status-title">エラーが発生しました</h1>
      <p>ページを表示できませんでした。もう一度試すか、ホームへ戻ってください。送信済みの回答は保存されています。</p>
      {error.digest && <p className="small muted">エラー番号: {error.digest}</p>}
      <p className="actions">
        <button type="button" onClick={() => retry()}>
          もう一度試す
        </button>
        <Link className="button secondary" href="/">
          ホームへ戻る
        </Link>
      </p>
    </section>
  );
}
