/**
 * `GET /v1/models/:model/metrics/bulk`: many metric series of a model in one request and (at most) one
 * store query, for pages that draw dozens of series (the dashboard's model page draws ~100: a request
 * each costs one serialized store query and a connection slot). Query:
 *
 * - `metrics`: comma-separated names; a name ending in `*` is a prefix (`drift.*`). Required.
 * - `segment`: a segment (default `all`), or `*` for every segment;
 * - `version`: a version (default `*`, all versions together), or `each` for every version apart;
 * - `window`, `from`, `to`: as `GET /v1/models/:model/metrics`;
 * - `detail`: metric prefixes whose points keep their `detail` (default none: details are most of the
 *   bytes, e.g. the drift test's explanation); `detailKeys`: the detail keys kept (default all);
 * - `format`: `points` (default) or `columns` (one array per field: a third of the bytes);
 * - `last`: keep only the last N points of each series (e.g. a table of latest values).
 *
 * Answers `{ model, window, series: [{ metric, segment, version, points | columns }] }`, points as in
 * the single-series route, series sorted by metric, segment and version.
 */
import type { FastifyInstance } from 'fastify';
import { errors } from '../../errors.js';
import type { MetricPoint } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { registerFeatureDistribution } from './feature-distribution.js';
import { checkMetricsQuery } from './metrics.js';
import { modelParams } from './models.js';

/** Query string of the bulk route, as received. */
export interface BulkQuery {
  metrics?: string;
  segment?: string;
  version?: string;
  window?: string;
  from?: string;
  to?: string;
  detail?: string;
  detailKeys?: string;
  format?: string;
  last?: string;
}

/** One series of the answer. */
export interface BulkSeries {
  metric: string;
  segment: string;
  version: string;
  points: Omit<MetricPoint, 'model' | 'metric' | 'segment' | 'version'>[];
}

const querySchema = {
  type: 'object',
  required: ['metrics'],
  properties: {
    metrics: { type: 'string', minLength: 1, maxLength: 4000 },
    segment: { type: 'string', minLength: 1, maxLength: 400 },
    version: { type: 'string', minLength: 1, maxLength: 200 },
    window: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    detail: { type: 'string', maxLength: 400 },
    detailKeys: { type: 'string', maxLength: 400 },
    format: { type: 'string', enum: ['points', 'columns'] },
    // query strings are not coerced (ajv coerceTypes: false): a positive integer as text
    last: { type: 'string', pattern: '^[1-9][0-9]{0,5}$' },
  },
  additionalProperties: false,
} as const;

/** The metric names and prefixes of `a,b,prefix.*`; throws PLB_ERR_INVALID_INPUT on an empty list. */
export function metricMatcher(text: string): { names: string[]; prefixes: string[] } {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw errors.invalidInput('invalid metrics', [
      { field: 'metrics', value: text, expected: 'comma-separated metric names or prefixes ending in *' },
    ]);
  return {
    names: [...new Set(items.filter((n) => !n.endsWith('*')))],
    prefixes: items.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1)),
  };
}

/** A series as columns: `startMs[i]`, `value[i]`, … describe its i-th point (`detail` only when kept). */
export interface BulkColumns {
  startMs: number[];
  value: (number | null)[];
  ciLow: (number | null)[];
  ciHigh: (number | null)[];
  n: number[];
  status: MetricPoint['status'][];
  estimated: boolean[];
  baseline: (number | null)[];
  significant: (boolean | null)[];
  detail?: (Record<string, unknown> | null)[];
}

/** The points of a series as columns (absent optional fields as null). */
export function toColumns(points: BulkSeries['points']): BulkColumns {
  const c: BulkColumns = {
    startMs: [],
    value: [],
    ciLow: [],
    ciHigh: [],
    n: [],
    status: [],
    estimated: [],
    baseline: [],
    significant: [],
  };
  const kept = points.some((p) => p.detail !== undefined);
  if (kept) c.detail = [];
  for (const p of points) {
    c.startMs.push(p.window.startMs);
    c.value.push(p.value);
    c.ciLow.push(p.ciLow);
    c.ciHigh.push(p.ciHigh);
    c.n.push(p.n);
    c.status.push(p.status);
    c.estimated.push(p.estimated);
    c.baseline.push(p.baseline ?? null);
    c.significant.push(p.significant ?? null);
    if (kept) c.detail?.push(p.detail ?? null);
  }
  return c;
}

/** Groups points into series (sorted); `detailKeys` picks the kept detail's keys (default all). */
export function toSeries(points: MetricPoint[], detailKeys?: string[]): BulkSeries[] {
  const pick = (d: Record<string, unknown>) =>
    detailKeys ? Object.fromEntries(detailKeys.filter((k) => k in d).map((k) => [k, d[k]])) : d;
  const out = new Map<string, BulkSeries>();
  for (const p of points) {
    const key = `${p.metric}\u0000${p.segment}\u0000${p.version}`;
    let s = out.get(key);
    if (!s) {
      s = { metric: p.metric, segment: p.segment, version: p.version, points: [] };
      out.set(key, s);
    }
    const { model: _m, metric: _metric, segment: _s, version: _v, detail, ...rest } = p;
    s.points.push(detail ? { ...rest, detail: pick(detail) } : rest);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...out.values()].sort(
    (a, b) => cmp(a.metric, b.metric) || cmp(a.segment, b.segment) || cmp(a.version, b.version),
  );
}

/** Registers the bulk metrics route and the feature distribution route (feature-distribution.ts). */
export function dashboardRoutes(ctx: Pick<AppContext, 'store' | 'ingest'>) {
  return async (app: FastifyInstance) => {
    registerFeatureDistribution(app, ctx);
    app.get<{ Params: { model: string }; Querystring: BulkQuery }>(
      '/v1/models/:model/metrics/bulk',
      {
        schema: { params: modelParams, querystring: querySchema },
        config: { scope: 'read', openapi: { summary: 'Many metric series in one request (dashboard)' } },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        const q = req.query;
        const { window, fromMs, toMs } = checkMetricsQuery(q);
        const match = metricMatcher(q.metrics ?? '');
        const segment = q.segment ?? 'all';
        const version = q.version ?? '*';
        const list = (text: string | undefined) =>
          (text ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
        // one store query: the metric list, the segment/version choice and the details kept are SQL filters
        const points = await ctx.store.queryMetricPoints({
          model: model.id,
          segment: segment === '*' ? undefined : segment,
          window,
          version: version === 'each' ? undefined : version,
          fromMs,
          toMs,
          metrics: match.names,
          metricPrefixes: match.prefixes,
          detail: list(q.detail),
          last: q.last === undefined ? undefined : Number(q.last),
        });
        const kept = version === 'each' ? points.filter((p) => p.version !== '*') : points;
        const series = toSeries(kept, q.detailKeys ? list(q.detailKeys) : undefined);
        if (q.format !== 'columns') return { model: model.id, window, series };
        return {
          model: model.id,
          window,
          series: series.map(({ points, ...s }) => ({ ...s, columns: toColumns(points) })),
        };
      },
    );
  };
}
