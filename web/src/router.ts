/** Hash routes (`#/models/synth?window=day&from=…`): every view's state is in the URL, so links can be shared. */
import { useEffect, useState } from 'react';

/** A parsed route: path segments and query parameters. */
export interface Route {
  parts: string[];
  params: URLSearchParams;
}

/** Parses `location.hash`. */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '') || '/';
  const [path, query = ''] = text.split('?', 2);
  return {
    parts: path.split('/').filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(query),
  };
}

/** A hash link to `path` with the defined parameters. */
export function href(path: string, params: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

/** Navigates to a hash link. */
export function navigate(link: string): void {
  window.location.hash = link.replace(/^#/, '');
}

/** The current route, updated on hash changes. */
export function useRoute(): Route {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parseRoute(hash);
}
