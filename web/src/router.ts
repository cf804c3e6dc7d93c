/** Hash routes (`#/models/synth?window=day&from=…`): every view's state is in the URL, so links can be shared. */
import { useEffect, useState } from 'react';

import { parseRoute, type Route } from './links.js';

export { href, parseRoute, type Route } from './links.js';

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
