/**
 * The page's script (index.html), a small chunk: it starts the current page's requests, then loads
 * the UI (React and the pages, ~340 KB, a chunk of its own) while they run; and it starts them again
 * on each hash change, before React re-renders. The pages find the answers in the API cache.
 */
import { parseRoute } from './links.js';
// in the page's head: the shell is styled from the first paint
import './styles.css';
import { prefetchRoute } from './prefetch.js';

performance.mark('plumbline:boot'); // the bench reads it: when the page's first requests start
prefetchRoute(parseRoute(window.location.hash));
window.addEventListener('hashchange', () => prefetchRoute(parseRoute(window.location.hash)));

// the UI: fetched, compiled and evaluated while the requests are in flight
void import('./main.js');
