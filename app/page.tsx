import Link from 'next/link';
import { serverCaller } from './_trpc/server';
import { StartForm } from './start-form';
import { formatPercent } from './format';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const api = serverCaller();
  const [chapters, sessions, catalog] = await Promise.all([api.chapters.overview(), api.sessions.list({ limit: 5 }), api.sessions.catalog()]);
  const unfinished = sessions.filter((s) => s.finishedAt === null && s.answeredCount < s.total);
  const titleOf = new Map(chapters.map((c) => [c.slug, c.title]));

  return (
    <>
      <h1>章を選んで演習をはじめる</h1>
      {unfinished.length > 0 && (
        <section className="card" aria-label="途中のセッション">
          <h2 style={{ marginTop: 0 }}>途中のセッション</h2>
          <ul>
            {unfinished.map((s) => (
              <li key={s.id}>
                <Link href={`/sessions/${s.id}`}>続きから</Link>{' '}
                <span className="muted small">
                  {s.chapters.map((c) => titleOf.get(c) ?? c).join('・')}（{s.answeredCount}/{s.total} 問回答済み）
                </span>
              </li>
            ))}
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
          accuracyText: c.accuracy === null ? '未回答' : `正答率 ${formatPercent(c.accuracy)}（${c.answeredCount} 回答）`,
          accuracy: c.accuracy,
        }))}
      />
    </>
  );
}
