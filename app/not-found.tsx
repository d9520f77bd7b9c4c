import Link from 'next/link';

export const metadata = { title: 'ページが見つかりません — 確認 Kakunin' };

/** Any unknown address, and notFound() from a page (e.g. a session that is not the learner's). */
export default function NotFound() {
  return (
    <section className="card status-page" aria-labelledby="status-title">
      <p className="status-code" aria-hidden>
        404
      </p>
      <h1 id="status-title">ページが見つかりません</h1>
      <p>アドレスが間違っているか、ページが移動・削除された可能性があります。</p>
      <p className="actions">
        <Link className="button" href="/">
          ホームへ戻る
        </Link>
        <Link className="button secondary" href="/review">
          今日の復習
        </Link>
      </p>
    </section>
  );
}
