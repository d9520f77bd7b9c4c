/** The learner's colour scheme: light, dark, or the system's (prefers-color-scheme). Kept in a cookie the layout reads. */
export type ThemeChoice = 'light' | 'dark' | 'system';

export const THEME_COOKIE = 'kakunin-theme';

export const THEME_LABEL: Record<ThemeChoice, string> = { light: 'ライト', dark: 'ダーク', system: 'システム' };

export const THEME_CHOICES = Object.keys(THEME_LABEL) as ThemeChoice[];

export function parseTheme(value: string | undefined): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}
