/**
 * The model page's data (no React: the boot prefetch starts these requests before the bundle's UI
 * code runs, and the page's components find the answers in the API cache).
 */
import {
  type AlertSummary,
  api,
  type BulkQuery,
  bulk,
  byKey,
  byMetric,
  type Catalog,
  catalog,
  latest,
  type Point,
  quiet,
  type SeriesQuery,
} from './api.js';
import { DAY, parseDay } from './format.js';
import type { Route } from './links.js';
import { loadTimeline } from './timeline-load.js';

/** The performance metrics the page can show. */
export const perfMetrics = ['roc_auc', 'accuracy', 'precision', 'recall', 'f1'];

/** The view state carried in the URL. */
export interface ModelView {
  model: string;
  window: 'day' | 'hour';
  segment: string;
  metric: string;
  from?: string;
  to?: string;
  /** Segment table order: a column, '-' prefixed for descending. */
  sort?: string;
}

/** Reads the view from the route. */
export function modelView(route: Route): ModelView {
  const p = route.params;
  return {
    model: route.parts[1],
    window: p.get('window') === 'hour' ? 'hour' : 'day',
    segment: p.get('segment') ?? 'all',
    metric: perfMetrics.includes(p.get('metric') ?? '') ? (p.get('metric') as string) : 'roc_auc',
    from: p.get('from') ?? undefined,
    to: p.get('to') ?? undefined,
    sort: p.get('sort') ?? undefined,
  };
}

/** The series query of a view (the range defaults to everything in the catalog). */
export function viewQuery(v: ModelView, cat: Catalog): SeriesQuery & { fromMs: number; toMs: number } {
  const fromMs = parseDay(v.from ?? null) ?? cat.fromMs ?? 0;
  // to the end of the last day (the catalog's last start may be an hour's)
  const toMs = Math.floor((parseDay(v.to ?? null) ?? cat.toMs ?? fromMs) / DAY) * DAY + DAY;
  return { window: v.window, segment: v.segment, fromMs, toMs };
}

/** The range of the view's requests: only what the URL sets (the default, everything, needs no catalog). */
export function dataRange(v: ModelView): { fromMs?: number; toMs?: number } {
  const to = parseDay(v.to ?? null);
  return { fromMs: parseDay(v.from ?? null), toMs: to === undefined ? undefined : to + DAY };
}

/** The series of the page body: segment `all` per day in one request, the view's segment and window apart. */
export async function bodyData(view: ModelView): Promise<Record<string, Point[]>> {
  const perf = [view.metric, `cbpe.${view.metric}`, 'label_coverage'];
  const infra = ['throughput', 'latency_p50', 'latency_p95', 'latency_p99'];
  const range = dataRange(view);
  const allDay = [
    'score_drift',
    'positive_rate',
    'drift.*',
    'missing_rate.*',
    'new_category_rate.*',
    'out_of_range_rate.*',
  ];
  const own = view.segment === 'all' && view.window === 'day';
  const none: Record<string, Point[]> = {};
  const [a, b, c, rejects] = await Promise.all([
    load(view.model, [...(view.segment === 'all' ? perf : []), ...(own ? infra : []), ...allDay], {
      ...range,
      window: 'day',
      segment: 'all',
      detail: ['drift.'],
      // the heatmap's labels; the feature page shows the full explanation (`reason`)
      detailKeys: ['test', 'adjustedPValue', 'material'],
    }),
    view.segment === 'all'
      ? none
      : load(view.model, perf, { ...range, window: 'day', segment: view.segment }),
    own ? none : load(view.model, infra, { ...range, window: view.window, segment: view.segment }),
    // rejected events: hour points of the hours that had any (all traffic: rejects have no segment)
    load(view.model, ['ingest_reject_rate'], {
      ...range,
      window: 'hour',
      segment: 'all',
      detail: ['ingest_reject_rate'],
    }),
  ]);
  return { ...a, ...b, ...c, ...rejects };
}

/** Starts every request of the page at once (answers are cached), so none waits for another. */
export function prefetchModel(view: ModelView): void {
  catalog(view.model).catch(quiet);
  bodyData(view).catch(quiet);
  segmentData(view).catch(quiet);
  loadTimeline(view.model, dataRange(view)).catch(quiet);
  activeAlerts(view.model).catch(quiet);
}

/** Loads several series of one query in one request, keyed by metric (absent ones as empty series). */
async function load(
  model: string,
  metrics: string[],
  q: Omit<BulkQuery, 'metrics'>,
): Promise<Record<string, Point[]>> {
  const got = byMetric(await bulk(model, { ...q, metrics }));
  for (const m of metrics) if (!m.endsWith('*')) got[m] ??= [];
  return got;
}

/** The segments table's rows: volume in range, last value of the view's metric and its change. */
export async function segmentData(view: ModelView) {
  const s = { ...dataRange(view), window: 'day' as const, segment: '*' };
  const [t, m] = await Promise.all([
    bulk(view.model, { ...s, metrics: ['throughput'] }),
    // the table shows the last ok value: a week of points per segment is plenty
    bulk(view.model, { ...s, metrics: [view.metric], last: 7 }),
  ]);
  const metricOf = byKey(m, 'segment');
  return t
    .filter((x) => x.segment !== 'all')
    .map(({ segment, points }) => {
      const last = latest(metricOf.get(segment) ?? []);
      const volume = points.reduce((a, p) => a + (p.value ?? 0), 0);
      const change = last?.value != null && last.baseline !== undefined ? last.value - last.baseline : null;
      return {
        segment,
        volume,
        value: last?.value ?? null,
        change,
        significant: last?.significant === true,
      };
    });
}

/** The model's firing alerts (compact: no history). */
export const activeAlerts = (model: string) =>
  api<{ alerts: AlertSummary[] }>(`/v1/alerts?compact=1&state=firing&model=${encodeURIComponent(model)}`);
