/** Light/dark theme: follows prefers-color-scheme until the user picks one (kept in localStorage). */
import { createContext } from 'react';

/** A theme name. */
export type Theme = 'light' | 'dark';

/** The current theme (charts re-draw when it changes). */
export const ThemeContext = createContext<Theme>('light');

const key = 'plumbline.theme';

/** The stored choice, else the system preference. */
export function initialTheme(): Theme {
  const stored = localStorage.getItem(key);
  if (stored === 'light' || stored === 'dark') return stored;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Applies and remembers a theme. */
export function applyTheme(theme: Theme, remember: boolean): void {
  document.documentElement.dataset.theme = theme;
  if (remember) localStorage.setItem(key, theme);
}
