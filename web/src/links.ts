/** Hash links and routes (no DOM access: also used by the Node tests and by the boot prefetch). */

/** A hash link to `path` with the defined parameters. */
export function href(path: string, params: Record<string, string | number | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ''}`;
}

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
