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
 * - `format`: `points` (default) or `columns` (one array per field: a third of the bytes; a column
 *   whose every value is the default is left out: `ciLow`, `ciHigh`, `baseline`, `significant` all
 *   null, `estimated` all false, `status` all 'ok' — half the bytes of hourly infra series);
 * - `last`: keep only the last N points of each series (e.g. a table of latest values).
 *
 * Answers `{ model, window, series: [{ metric, segment, version, points | columns }] }`, points as in
 * the single-series route, series sorted by metric, segment and version.
 *
 * `GET /v1/models/:model/metrics/batch?q=<bulk query>&q=…`: up to {@link MAX_BATCH} bulk queries (each
 * a URL-encoded query string of the bulk route, checked by the same schema; a bad one answers 400
 * with its fields named `q[i].field` before any is read), answered as `{ model, results: [{ window,
 * series }] }` in order. A browser keeps 6 connections per server: a page's bulk queries sent apart
 * would queue behind each other.
 */
import { Ajv } from 'ajv';
import type { FastifyInstance } from 'fastify';
import { errors, PlumblineError } from '../../errors.js';
import type { MetricPoint } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { issuesFromValidation } from '../errors.js';
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

/**
 * A series as columns: `startMs[i]`, `value[i]`, … describe its i-th point. The optional columns
 * are left out when every value is their default (null; `estimated` false; `status` 'ok'), `detail`
 * when no point keeps one.
 */
export interface BulkColumns {
  startMs: number[];
  value: (number | null)[];
  n: number[];
  ciLow?: (number | null)[];
  ciHigh?: (number | null)[];
  status?: MetricPoint['status'][];
  estimated?: boolean[];
  baseline?: (number | null)[];
  significant?: (boolean | null)[];
  detail?: (Record<string, unknown> | null)[];
}

/** Each optional column with its default value (a column of defaults only is left out). */
const columnDefaults = {
  ciLow: null,
  ciHigh: null,
  status: 'ok',
  estimated: false,
  baseline: null,
  significant: null,
  detail: null,
} as const;

/** A series of the answer in `format=columns`. */
export type ColumnSeries = Omit<BulkSeries, 'points'> & { columns: BulkColumns };

/**
 * Groups points into series (sorted by metric, segment and version) in one pass: each point goes
 * straight into its series' `points`, or with `format` 'columns' into its `columns` (absent
 * optional fields as null; `detail` only in series with a kept detail). `detailKeys` picks the
 * kept detail's keys (default all).
 */
export function toSeries(points: MetricPoint[], detailKeys?: string[]): BulkSeries[];
export function toSeries(
  points: MetricPoint[],
  detailKeys: string[] | undefined,
  format: 'columns',
): ColumnSeries[];
export function toSeries(
  points: MetricPoint[],
  detailKeys?: string[],
  format: 'points' | 'columns' = 'points',
): BulkSeries[] | ColumnSeries[] {
  const pick = (d: Record<string, unknown>) => {
    if (!detailKeys) return d;
    const out: Record<string, unknown> = {};
    for (const k of detailKeys) if (k in d) out[k] = d[k];
    return out;
  };
  const groups = new Map<string, MetricPoint[]>();
  for (const p of points) {
    const key = `${p.metric}\u0000${p.segment}\u0000${p.version}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...groups.values()].sort(
    (a, b) =>
      cmp(a[0].metric, b[0].metric) || cmp(a[0].segment, b[0].segment) || cmp(a[0].version, b[0].version),
  );
  const head = (g: MetricPoint[]) => ({ metric: g[0].metric, segment: g[0].segment, version: g[0].version });
  if (format === 'points')
    return sorted.map((g) => ({
      ...head(g),
      points: g.map((p) => {
        const { model: _m, metric: _metric, segment: _s, version: _v, detail, ...rest } = p;
        return detail ? { ...rest, detail: pick(detail) } : rest;
      }),
    }));
  return sorted.map((g) => {
    const c: Required<BulkColumns> = {
      startMs: g.map((p) => p.window.startMs),
      value: g.map((p) => p.value),
      n: g.map((p) => p.n),
      ciLow: g.map((p) => p.ciLow),
      ciHigh: g.map((p) => p.ciHigh),
      status: g.map((p) => p.status),
      estimated: g.map((p) => p.estimated),
      baseline: g.map((p) => p.baseline ?? null),
      significant: g.map((p) => p.significant ?? null),
      detail: g.map((p) => (p.detail ? pick(p.detail) : null)),
    };
    const columns: BulkColumns = c;
    for (const [k, d] of Object.entries(columnDefaults) as [keyof typeof columnDefaults, unknown][])
      if ((c[k] as unknown[]).every((v) => v === d)) delete columns[k];
    return { ...head(g), columns };
  });
}

/** The answer of one bulk query (`q`, as received and validated) of the model `model`. */
async function answerBulk(ctx: Pick<AppContext, 'store'>, model: string, q: BulkQuery) {
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
    model,
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
  const keys = q.detailKeys ? list(q.detailKeys) : undefined;
  return { window, series: q.format === 'columns' ? toSeries(kept, keys, 'columns') : toSeries(kept, keys) };
}

/** Most bulk queries in one batch request. */
export const MAX_BATCH = 20;

const batchSchema = {
  type: 'object',
  required: ['q'],
  properties: {
    q: {
      anyOf: [
        { type: 'string', minLength: 1, maxLength: 8000 },
        {
          type: 'array',
          minItems: 1,
          maxItems: MAX_BATCH,
          items: { type: 'string', minLength: 1, maxLength: 8000 },
        },
      ],
    },
  },
  additionalProperties: false,
} as const;

// the bulk route's own checks (same schema, same options as the server's validator) for each batched query
const checkBulkQuery = new Ajv({
  allErrors: true,
  coerceTypes: false,
  allowUnionTypes: true,
}).compile<BulkQuery>(querySchema);

/** The i-th batched query parsed and checked as the bulk route checks its query string. */
function batchedQuery(text: string, i: number): BulkQuery {
  const q = Object.fromEntries(new URLSearchParams(text));
  const at = `q[${i}]`;
  if (!checkBulkQuery(q)) {
    const issues = issuesFromValidation(checkBulkQuery.errors ?? [], q, at).map((x) =>
      x.field === at ? x : { ...x, field: `${at}.${x.field}` },
    );
    throw errors.invalidInput(`${issues.length} problem(s) in batched query ${at}`, issues);
  }
  return q;
}

/** Registers the bulk metrics routes and the feature distribution route (feature-distribution.ts). */
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
        return { model: model.id, ...(await answerBulk(ctx, model.id, req.query)) };
      },
    );
    app.get<{ Params: { model: string }; Querystring: { q: string | string[] } }>(
      '/v1/models/:model/metrics/batch',
      {
        schema: { params: modelParams, querystring: batchSchema },
        config: {
          scope: 'read',
          openapi: { summary: 'Several bulk queries in one request (a page whose requests would queue)' },
        },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        const texts = typeof req.query.q === 'string' ? [req.query.q] : req.query.q;
        // every query is checked before any runs: a bad one answers 400 naming it, nothing else is read
        const queries = texts.map(batchedQuery);
        const results = [];
        for (const [i, q] of queries.entries()) {
          try {
            results.push(await answerBulk(ctx, model.id, q));
          } catch (err) {
            throw prefixIssues(err, `q[${i}]`);
          }
        }
        return { model: model.id, results };
      },
    );
  };
}

/** A catalogue error of a batched query with its fields named `q[i].field`; other errors as they are. */
function prefixIssues(err: unknown, at: string): unknown {
  if (!(err instanceof PlumblineError)) return err;
  const issues = err.issues.map((x) => ({ ...x, field: `${at}.${x.field}` }));
  return new PlumblineError(err.code, err.statusCode, `${at}: ${err.message}`, issues, { cause: err });
}
