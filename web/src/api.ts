/** The dashboard's client of the public `/v1` API (the only thing it talks to). */
import type { AlertInstance } from '../../src/alerts/types.js';
import type { RcaCharts } from '../../src/rca/charts.js';
import type { RcaReport } from '../../src/rca/hypotheses.js';
import type { BulkColumns } from '../../src/server/routes/dashboard.js';
import type { FeatureDistribution } from '../../src/server/routes/feature-distribution.js';
import type { MetricCatalog, MetricPoint, Model } from '../../src/store/store.js';
import type { RcaRequest } from './rca-link.js';

/** A metric point as returned by `GET /v1/models/{model}/metrics` (the store's, less the query's keys). */
export type Point = Omit<MetricPoint, 'model' | 'metric' | 'segment'>;

/** `GET /v1/models/{model}/metrics/catalog`. */
export type Catalog = MetricCatalog & { model: string };

/** A model as listed by `GET /v1/models`. */
export type ModelInfo = Model;

/** An alert as returned by `GET /v1/alerts` (`alertView` in src/server/routes/alerts.ts). */
export type Alert = Omit<AlertInstance, 'recent' | 'smoothed' | 'detector'> & {
  id: string;
  model: string;
  /** The stored RCA report of this episode, once the RCA routes store them. */
  rcaId?: string | null;
};

/** An alert of a compact list (`GET /v1/alerts?compact=1`): without history and episodes. */
export type AlertSummary = Omit<Alert, 'history' | 'episodes'>;

/** `GET /v1/auth/whoami`: the session key's scopes (every scope when the server requires no key). */
export interface Whoami {
  auth: boolean;
  keyId: string | null;
  scopes: string[];
}

/** The RCA report (src/rca/hypotheses.ts) with, once stored, its id, time and chart data (src/rca/charts.ts). */
export type Report = RcaReport & { id?: string; createdAtMs?: number; charts?: RcaCharts };

/** One stored report in `GET /v1/models/{model}/rca`. */
export interface ReportSummary {
  id: string;
  createdAtMs: number | null;
  trigger: RcaReport['trigger'];
  /** The analysed window, when the server lists it. */
  window: { fromMs: number; toMs: number } | null;
  top: string;
}

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
  unauthorized = false;
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

let unauthorized = false;

/** Whether an answer was 401 since the key was last set (the boot prefetch may get one before the app listens). */
export const keyRefused = (): boolean => unauthorized;

const cache = new Map<string, Promise<unknown>>();

/** Ignores a prefetch's failure: the page's own request for the same answer reports it. */
export const quiet = (): undefined => undefined;

/** The cached answer of the GET `path`, loaded by `load` on a miss (a failure is not kept). */
function cached<T>(path: string, load: () => Promise<T>): Promise<T> {
  const hit = cache.get(path);
  if (hit) return hit as Promise<T>;
  const p = load();
  cache.set(path, p);
  p.catch(() => cache.delete(path));
  return p;
}

/** Calls the API; GETs are cached for the page's life until `refresh()`. */
export function api<T>(path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const method = init?.method ?? 'GET';
  if (method === 'GET') return cached(path, () => request<T>(path, method));
  cache.clear();
  return request<T>(path, method, init?.body);
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
  if (res.status === 401) {
    unauthorized = true;
    window.dispatchEvent(new Event(authEvent));
  }
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

/** A many-series query (`GET /v1/models/{model}/metrics/bulk`). */
export interface BulkQuery {
  /** Names; a trailing `*` makes a prefix (`drift.*`). */
  metrics: string[];
  window: 'day' | 'hour';
  /** A segment (default `all`) or `*` for every segment. */
  segment?: string;
  /** A version (default `*`: all together) or `each`. */
  version?: string;
  fromMs?: number;
  toMs?: number;
  /** Metric prefixes whose points keep their `detail`. */
  detail?: string[];
  /** The detail keys kept (default all). */
  detailKeys?: string[];
  /** Only the last N points of each series. */
  last?: number;
}

/** A bulk series as the server sends it (`format=columns`, src/server/routes/dashboard.ts). */
type ColumnSeries = Omit<BulkSeries, 'points'> & { columns: BulkColumns };

/** One series of a bulk answer. */
export interface BulkSeries {
  metric: string;
  segment: string;
  version: string;
  points: Point[];
}

/** Most queries of one batch request (the server's MAX_BATCH). */
const maxBatch = 20;

/** Bulk queries (query strings) asked in the same tick, per model, waiting to be sent together. */
const pendingBulk = new Map<string, { query: string; done: (r: Promise<BulkAnswer>) => void }[]>();

/** The answer of one bulk query. */
type BulkAnswer = { series: ColumnSeries[] };

/**
 * One bulk query of `model`, sent with the others asked in the same tick as one
 * `GET …/metrics/batch` request: a browser keeps 6 connections per server, so a page's 8–10
 * requests would otherwise queue behind each other. A query alone goes to `…/metrics/bulk`.
 */
function batchedBulk(model: string, query: string): Promise<BulkAnswer> {
  let queue = pendingBulk.get(model);
  if (!queue) {
    queue = [];
    pendingBulk.set(model, queue);
    queueMicrotask(sendBulk);
  }
  const mine = queue;
  return new Promise((resolve) => mine.push({ query, done: resolve }));
}

/**
 * Sends the bulk queries waiting for the end of the tick now (the boot prefetch calls it: module
 * evaluation is one task, and its microtasks would wait for the whole bundle to be evaluated).
 */
export function sendBulk(): void {
  for (const [model, q] of pendingBulk) {
    pendingBulk.delete(model);
    const m = encodeURIComponent(model);
    if (q.length === 1) q[0].done(request<BulkAnswer>(`/v1/models/${m}/metrics/bulk?${q[0].query}`, 'GET'));
    else
      for (let i = 0; i < q.length; i += maxBatch) {
        const part = q.slice(i, i + maxBatch);
        const qs = part.map((x) => `q=${encodeURIComponent(x.query)}`).join('&');
        const r = request<{ results: BulkAnswer[] }>(`/v1/models/${m}/metrics/batch?${qs}`, 'GET');
        for (const [j, x] of part.entries()) x.done(r.then((b) => b.results[j]));
      }
  }
}

/** Many series of a model in one request (batched with the bulk queries of the same tick). */
export async function bulk(model: string, q: BulkQuery): Promise<BulkSeries[]> {
  const p = new URLSearchParams({ metrics: q.metrics.join(','), window: q.window });
  if (q.segment) p.set('segment', q.segment);
  if (q.version) p.set('version', q.version);
  if (q.fromMs !== undefined) p.set('from', String(q.fromMs));
  if (q.toMs !== undefined) p.set('to', String(q.toMs));
  if (q.detail?.length) p.set('detail', q.detail.join(','));
  if (q.detailKeys?.length) p.set('detailKeys', q.detailKeys.join(','));
  if (q.last !== undefined) p.set('last', String(q.last));
  p.set('format', 'columns');
  const r = await cached(`/v1/models/${encodeURIComponent(model)}/metrics/bulk?${p}`, () =>
    batchedBulk(model, p.toString()),
  );
  // a column left out holds its default at every point (src/server/routes/dashboard.ts)
  return r.series.map(({ columns: c, ...s }) => ({
    ...s,
    points: c.startMs.map((startMs, i) => {
      const p: Point = {
        version: s.version,
        window: { size: q.window, startMs },
        value: c.value[i],
        ciLow: c.ciLow?.[i] ?? null,
        ciHigh: c.ciHigh?.[i] ?? null,
        n: c.n[i],
        status: c.status?.[i] ?? 'ok',
        estimated: c.estimated?.[i] ?? false,
      };
      const baseline = c.baseline?.[i] ?? null;
      if (baseline !== null) p.baseline = baseline;
      const significant = c.significant?.[i] ?? null;
      if (significant !== null) p.significant = significant;
      const d = c.detail?.[i];
      if (d) p.detail = d;
      return p;
    }),
  }));
}

/** Bulk series keyed by metric (one segment and version per query). */
export const byMetric = (s: BulkSeries[]): Record<string, Point[]> =>
  Object.fromEntries(s.map((x) => [x.metric, x.points]));

/** Bulk series of one metric keyed by segment (or, with `version: 'each'`, by version). */
export const byKey = (s: BulkSeries[], key: 'segment' | 'version'): Map<string, Point[]> =>
  new Map(s.map((x) => [x[key], x.points]));

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

/** The session key's identity and scopes. */
export const whoami = () => api<Whoami>('/v1/auth/whoami');

/** A report as answered by the RCA routes: the report itself, or wrapped as `{ id, report }`. */
function unwrapReport(body: unknown): Report {
  const b = body as { id?: string; report?: Report } & Report;
  return b.report ? { ...b.report, id: b.report.id ?? b.id } : b;
}

const running = new Map<string, Promise<Report>>();

/** Runs an RCA on demand (the server stores it and answers its id); one run at a time per request. */
export function runRca(model: string, r: RcaRequest): Promise<Report> {
  // a page whose effect runs twice (React StrictMode, a quick re-render) joins the run in flight
  const key = JSON.stringify([model, r]);
  const hit = running.get(key);
  if (hit) return hit;
  const p = postRca(model, r).finally(() => running.delete(key));
  running.set(key, p);
  return p;
}

async function postRca(model: string, r: RcaRequest): Promise<Report> {
  const { alertId, ...body } = r;
  const report = unwrapReport(
    await api(`/v1/models/${encodeURIComponent(model)}/rca`, { method: 'POST', body }),
  );
  return alertId && !report.trigger.alertId ? { ...report, trigger: { ...report.trigger, alertId } } : report;
}

/** A stored RCA report. */
export const rcaReport = async (model: string, id: string): Promise<Report> =>
  unwrapReport(await api(`/v1/models/${encodeURIComponent(model)}/rca/${encodeURIComponent(id)}`));

/** The stored RCA reports of a model, newest first (null when the server does not store reports). */
export async function rcaReports(model: string): Promise<ReportSummary[] | null> {
  try {
    const body = await api<unknown>(`/v1/models/${encodeURIComponent(model)}/rca`);
    const items = (Array.isArray(body) ? body : ((body as { reports?: unknown[] }).reports ?? [])) as Record<
      string,
      unknown
    >[];
    return items.map((x) => {
      const at = x.createdAtMs;
      const top = x.top ?? x.topHypothesis ?? (x.hypotheses as unknown[] | undefined)?.[0];
      return {
        id: String(x.id),
        createdAtMs: typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : null,
        trigger: (x.trigger ?? { metric: 'error_rate' }) as ReportSummary['trigger'],
        window: (x.window as ReportSummary['window']) ?? null,
        top:
          typeof top === 'string' ? top : top ? describeHypothesis(top as Report['hypotheses'][number]) : '—',
      };
    });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

/** `kind subject` of a hypothesis (e.g. `segment origin=ORD`, `version v2`). */
export function describeHypothesis(h: Pick<Report['hypotheses'][number], 'kind' | 'subject'>): string {
  return `${h.kind} ${describeSubject(h.subject)}`.trim();
}

/** The subject of a hypothesis as text: feature, version id, or `key=value & …`. */
export function describeSubject(s: Report['hypotheses'][number]['subject']): string {
  if (s.feature) return s.feature;
  if (s.version) return s.version;
  return Object.entries(s.tag ?? s.segment ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(' & ');
}

/** `GET /v1/models/{model}/features/{feature}/distribution`: reference vs a range on shared bins. */
export const distribution = (model: string, feature: string, range?: { fromMs: number; toMs: number }) =>
  api<FeatureDistribution & { window: { fromMs: number; toMs: number } }>(
    `/v1/models/${encodeURIComponent(model)}/features/${encodeURIComponent(feature)}/distribution${range ? `?from=${range.fromMs}&to=${range.toMs}` : ''}`,
  );
