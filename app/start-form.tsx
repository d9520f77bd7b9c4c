'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { useTRPC } from './_trpc/client';

export interface ChapterChoice {
  slug: string;
  title: string;
  day: number;
  questionCount: number;
  answeredCount: number;
  accuracy: number | null;
  accuracyText: string;
}

const COUNTS = [5, 10, 20, 30, 50];

/** The 13 chapters as selectable cards, and the session options. */
export function StartForm({ chapters }: { chapters: ChapterChoice[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [count, setCount] = useState(10);
  const [order, setOrder] = useState<'course' | 'random'>('random');
  const start = useMutation(
    trpc.sessions.start.mutationOptions({ onSuccess: ({ sessionId }) => router.push(`/sessions/${sessionId}`) }),
  );
  const available = chapters.filter((c) => selected.has(c.slug)).reduce((s, c) => s + c.questionCount, 0);

  const toggle = (slug: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(slug)) next.delete(slug);
      else next.add(slug);
      return next;
    });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({ chapters: [...selected] as never, count, order });
  };

  return (
    <form className="start-form" onSubmit={submit} aria-label="演習の開始">
      <ul className="chapter-grid">
        {chapters.map((c, i) => (
          <li key={c.slug} className="card chapter-card" data-chapter={c.slug}>
            <label>
              <input
                type="checkbox"
                name="chapter"
                value={c.slug}
                checked={selected.has(c.slug)}
                disabled={c.questionCount === 0}
                onChange={() => toggle(c.slug)}
              />
              <span>
                <span className="day">
                  Day {c.day} · 第{i + 1}章
                </span>
                <br />
                <span className="title">{c.title}</span>
              </span>
            </label>
            <span className="muted small">
              {c.questionCount} 問 · {c.accuracyText}
            </span>
            <div className="meter" aria-hidden>
              <span style={{ width: `${Math.round((c.accuracy ?? 0) * 100)}%` }} />
            </div>
          </li>
        ))}
      </ul>
      <div className="form-row card">
        <button type="button" className="secondary" onClick={() => setSelected(new Set(chapters.filter((c) => c.questionCount > 0).map((c) => c.slug)))}>
          すべての章
        </button>
        <button type="button" className="secondary" onClick={() => setSelected(new Set())}>
          選択を解除
        </button>
        <label>
          問題数{' '}
          <select name="count" value={count} onChange={(e) => setCount(Number(e.target.value))}>
            {COUNTS.map((n) => (
              <option key={n} value={n}>
                {n} 問
              </option>
            ))}
          </select>
        </label>
        <label>
          出題順{' '}
          <select name="order" value={order} onChange={(e) => setOrder(e.target.value as 'course' | 'random')}>
            <option value="random">ランダム</option>
            <option value="course">講義の順</option>
          </select>
        </label>
        <button type="submit" disabled={selected.size === 0 || start.isPending}>
          {start.isPending ? '準備中…' : '演習を開始'}
        </button>
        <span className="muted small">
          {selected.size === 0 ? '章を選んでください' : `${selected.size} 章・${Math.min(count, available)} 問を出題`}
        </span>
      </div>
      {start.error && <p className="error" role="alert">{start.error.message}</p>}
    </form>
  );
}
