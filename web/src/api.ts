/** The dashboard's client of the public `/v1` API (the only thing it talks to). */
import type { AlertInstance } from '../../src/alerts/types.js';
import type { MetricCatalog, MetricPoint, Model } from '../../src/store/store.js';

/** A metric point as returned by `GET /v1/models/{model}/metrics` (the store's, less the query's keys). */
export type Point = Omit<MetricPoint, 'model' | 'metric' | 'segment'>;

/** `GET /v1/models/{model}/metrics/catalog`. */
export type Catalog = MetricCatalog & { model: string };

/** A model as listed by `GET /v1/models`. */
export type ModelInfo = Model;

/** An alert as returned by `GET /v1/alerts` (`alertView` in src/server/routes/alerts.ts). */
export type Alert = Omit<AlertInstance, 'recent' | 'smoothed' | 'detector'> & { id: string; model: string };

/** Series query: window size, segment and time range. */
export interface SeriesQuery {
  window: 'day' | 'hour';
  segment?: string;
  fromMs?: number;
  toMs?: number;
}

const keyName = 'plumbline.apiKey';

/** The API key of this browser session, if any. */
export const getKey = (): string | null => sessionStorage.getItem(keyName);

/** Stores (or, with null, forgets) the session's API key. */
export function setKey(key: string | null): void {
  if (key === null) sessionStorage.removeItem(keyName);
  else sessionStorage.setItem(keyName, key);
  cache.clear();
}

/** An API error with its HTTP status and the server's message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Fired on window when the server answers 401 (the app then shows the login page). */
export const authEvent = 'plumbline:unauthorized';

const cache = new Map<string, Promise<unknown>>();

/** Calls the API; GETs are cached for the page's life until `refresh()`. */
export function api<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const method = init?.method ?? 'GET';
  if (method === 'GET') {
    const hit = cache.get(path);
    if (hit) return hit as Promise<T>;
  } else cache.clear();
  const p = request<T>(path, method, init?.body);
  if (method === 'GET') {
    cache.set(path, p);
    p.catch(() => cache.delete(path));
  }
  return p;
}

/** Forgets cached answers (after an action, or on demand). */
export function refresh(): void {
  cache.clear();
}

async function request<T>(path: string, method: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const key = getKey();
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) window.dispatchEvent(new Event(authEvent));
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const e = (await res.json()) as { error?: { message?: string } };
      if (e.error?.message) message = e.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** One metric series of a model. */
export async function series(model: string, metric: string, q: SeriesQuery): Promise<Point[]> {
  const p = new URLSearchParams({ metric, window: q.window, segment: q.segment ?? 'all' });
  if (q.fromMs !== undefined) p.set('from', String(q.fromMs));
  if (q.toMs !== undefined) p.set('to', String(q.toMs));
  const r = await api<{ points: Point[] }>(`/v1/models/${encodeURIComponent(model)}/metrics?${p}`);
  return r.points;
}

/** The metric catalog of a model. */
export const catalog = (model: string) =>
  api<Catalog>(`/v1/models/${encodeURIComponent(model)}/metrics/catalog`);

/** Every model. */
export const models = async () => (await api<{ models: ModelInfo[] }>('/v1/models')).models;

/** The last point with a value (status ok), if any. */
export function latest(points: Point[]): Point | undefined {
  for (let i = points.length - 1; i >= 0; i--)
    if (points[i].status === 'ok' && points[i].value !== null) return points[i];
  return undefined;
}
