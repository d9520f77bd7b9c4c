'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useMemo, useState, type FormEvent } from 'react';
import {
  KIND_GROUP_LABEL,
  KIND_GROUPS,
  SOURCE_GROUP_LABEL,
  SOURCE_GROUPS,
  type KindGroup,
  type SourceGroup,
  type StatusFilter,
} from '@/server/bank/groups';
import type { CatalogEntry } from '@/server/services/catalog';
import { useTRPC } from './_trpc/client';

export interface ChapterChoice {
  slug: string;
  title: string;
  day: number;
  questionCount: number;
  answeredCount: number;
  accuracy: number | null;
  accuracyText: string;
  /** answered questions / questions of the chapter: what the meter shows (accuracy is in the text) */
  coverage: number;
}

const COUNTS = [5, 10, 20, 30, 50, 100];

const STATUS_LABEL: Record<StatusFilter, string> = { all: 'すべて', unanswered: '未回答の問題だけ', wrong: '間違えた問題だけ' };

function toggled<T>(set: Set<T>, value: T): Set<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/** The 13 chapters as selectable cards, and the session options. */
export function StartForm({ chapters, catalog }: { chapters: ChapterChoice[]; catalog: CatalogEntry[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [count, setCount] = useState(10);
  const [order, setOrder] = useState<'course' | 'random'>('random');
  const [kinds, setKinds] = useState<Set<KindGroup>>(new Set());
  const [sources, setSources] = useState<Set<SourceGroup>>(new Set());
  const [status, setStatus] = useState<StatusFilter>('all');
  const start = useMutation(
    trpc.sessions.start.mutationOptions({ onSuccess: ({ sessionId }) => router.push(`/sessions/${sessionId}`) }),
  );
  // What the filters leave, per chapter: shown on the cards and in the summary line.
  const matching = useMemo(() => {
    const counts = new Map<string, number>();
    for (const e of catalog) {
      if (kinds.size > 0 && !kinds.has(e.kindGroup)) continue;
      if (sources.size > 0 && !sources.has(e.sourceGroup)) continue;
      if (status === 'unanswered' && e.answered) continue;
      if (status === 'wrong' && !e.lastWrong) continue;
      counts.set(e.chapter, (counts.get(e.chapter) ?? 0) + 1);
    }
    return counts;
  }, [catalog, kinds, sources, status]);
  const filtered = kinds.size > 0 || sources.size > 0 || status !== 'all';
  const available = [...selected].reduce((s, slug) => s + (matching.get(slug) ?? 0), 0);

  const toggle = (slug: string) => setSelected((prev) => toggled(prev, slug));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate({
      chapters: [...selected] as never,
      count,
      order,
      filters: { kinds: [...kinds], sources: [...sources], status },
    });
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
              {c.questionCount} 問{filtered && `（条件に合う ${matching.get(c.slug) ?? 0} 問）`} · {c.accuracyText}
            </span>
            <div className="meter" role="img" aria-label={`解いた問題の割合 ${Math.round(c.coverage * 100)}%`}>
              <span style={{ width: `${Math.round(c.coverage * 100)}%` }} />
            </div>
          </li>
        ))}
      </ul>
      <fieldset className="card filters">
        <legend>絞り込み</legend>
        <div className="form-row" role="group" aria-label="問題の形式">
          <span className="small muted">形式</span>
          {KIND_GROUPS.map((k) => (
            <label key={k}>
              <input type="checkbox" name="kind" value={k} checked={kinds.has(k)} onChange={() => setKinds((prev) => toggled(prev, k))} /> {KIND_GROUP_LABEL[k]}
            </label>
          ))}
        </div>
        <div className="form-row" role="group" aria-label="出典">
          <span className="small muted">出典</span>
          {SOURCE_GROUPS.map((src) => (
            <label key={src}>
              <input type="checkbox" name="source" value={src} checked={sources.has(src)} onChange={() => setSources((prev) => toggled(prev, src))} />{' '}
              {SOURCE_GROUP_LABEL[src]}
            </label>
          ))}
        </div>
        <div className="form-row" role="radiogroup" aria-label="回答状況">
          <span className="small muted">回答状況</span>
          {(Object.keys(STATUS_LABEL) as StatusFilter[]).map((st) => (
            <label key={st}>
              <input type="radio" name="status" value={st} checked={status === st} onChange={() => setStatus(st)} /> {STATUS_LABEL[st]}
            </label>
          ))}
        </div>
        <p className="hint">何も選ばない項目は絞り込みません。</p>
      </fieldset>
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
      </div>
      {/* Sticky at the bottom of the screen while the form is on it (CSS only): the chapters are a long list, and the
          start used to sit a screen or two below them. At the form's end it rests in place, covering nothing. */}
      <div className="card form-row start-bar" role="group" aria-label="選択と開始">
        <span className="muted small start-summary" aria-live="polite">
          {selected.size === 0
            ? '章を選んでください'
            : available === 0
              ? '条件に合う問題がありません'
              : `${selected.size} 章・${Math.min(count, available)} 問を出題`}
        </span>
        <button type="submit" disabled={selected.size === 0 || available === 0 || start.isPending}>
          {start.isPending ? '準備中…' : '演習を開始'}
        </button>
        {start.error && <p className="error" role="alert">{start.error.message}</p>}
      </div>
    </form>
  );
}
