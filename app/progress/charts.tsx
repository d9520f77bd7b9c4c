'use client';

import { useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DayActivity, TrendWeek } from '@/server/services/progress';

const pct = (x: number | null) => (x === null ? null : Math.round(x * 100));

// Colours are CSS variables (app/globals.css) so the chart follows ライト/ダーク.
const tick = { fontSize: 11, fill: 'var(--muted)' };
const tooltipStyle = { background: 'var(--card)', border: '1px solid var(--line)', borderRadius: 6, color: 'var(--ink)' };

/** Answers (bars) and accuracy (line) on two axes. */
function AnswersAndAccuracy({ data, height = 260 }: { data: { label: string; answers: number; accuracy: number | null }[]; height?: number }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="var(--chart-grid)" vertical={false} />
        <XAxis dataKey="label" tick={tick} stroke="var(--line)" interval="preserveStartEnd" minTickGap={12} />
        <YAxis yAxisId="answers" allowDecimals={false} tick={tick} stroke="var(--line)" />
        <YAxis yAxisId="accuracy" orientation="right" domain={[0, 100]} unit="%" tick={tick} stroke="var(--line)" />
        <Tooltip
          contentStyle={tooltipStyle}
          itemStyle={{ color: 'var(--ink)' }}
          cursor={{ fill: 'var(--accent-soft)' }}
          formatter={(value, name) => (name === '正答率' ? [`${String(value)}%`, name] : [String(value), name])}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Bar yAxisId="answers" dataKey="answers" name="回答数" fill="var(--chart-bar)" isAnimationActive={false} />
        <Line
          yAxisId="accuracy"
          dataKey={(d: { accuracy: number | null }) => pct(d.accuracy)}
          name="正答率"
          stroke="var(--chart-line)"
          strokeWidth={2}
          dot={{ r: 2, fill: 'var(--chart-line)' }}
          connectNulls
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}

/** Weekly answers and accuracy, for all chapters or the one the learner picks. */
export function TrendChart({ weeks, chapters }: { weeks: TrendWeek[]; chapters: { slug: string; title: string; answers: number }[] }) {
  const [chapter, setChapter] = useState('all');
  const data = weeks.map((w) => {
    const point = chapter === 'all' ? w.all : (w.byChapter[chapter] ?? { answers: 0, accuracy: null });
    return { label: w.label, ...point };
  });
  return (
    <figure className="chart" aria-label="週ごとの推移">
      <label className="small">
        章{' '}
        <select name="trend-chapter" value={chapter} onChange={(e) => setChapter(e.target.value)}>
          <option value="all">すべての章</option>
          {chapters.map((c) => (
            <option key={c.slug} value={c.slug} disabled={c.answers === 0}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
      <AnswersAndAccuracy data={data} />
      <figcaption className="hint">週（月曜はじまり）ごとの回答数と正答率</figcaption>
    </figure>
  );
}

/** Answers and accuracy per day over the last weeks. */
export function ActivityChart({ days }: { days: DayActivity[] }) {
  return (
    <figure className="chart" aria-label="日ごとの学習">
      <AnswersAndAccuracy data={days} height={220} />
      <figcaption className="hint">日ごと（日本時間）の回答数と正答率</figcaption>
    </figure>
  );
}
