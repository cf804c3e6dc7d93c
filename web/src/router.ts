/** Hash routes (`#/models/synth?window=day&from=…`): every view's state is in the URL, so links can be shared. */
import { useEffect, useState } from 'react';

export { href } from './links.js';

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
