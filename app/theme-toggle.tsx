'use client';

import { useState } from 'react';
import { THEME_CHOICES, THEME_COOKIE, THEME_LABEL, type ThemeChoice } from './theme';

const YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * ライト / ダーク / システム. The choice goes to a cookie the server reads (app/layout.tsx sets data-theme on
 * <html>, so the next page arrives in the right colours with no script), and to <html> at once.
 */
export function ThemeToggle({ initial }: { initial: ThemeChoice }) {
  const [choice, setChoice] = useState(initial);
  const pick = (next: ThemeChoice) => {
    setChoice(next);
    document.cookie =
      next === 'system' ? `${THEME_COOKIE}=; path=/; max-age=0; samesite=lax` : `${THEME_COOKIE}=${next}; path=/; max-age=${YEAR_SECONDS}; samesite=lax`;
    if (next === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = next;
  };
  return (
    <div className="theme-toggle" role="group" aria-label="配色">
      {THEME_CHOICES.map((c) => (
        <button key={c} type="button" aria-pressed={choice === c} data-theme-choice={c} onClick={() => pick(c)}>
          {THEME_LABEL[c]}
        </button>
      ))}
    </div>
  );
}
