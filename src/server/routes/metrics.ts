/**
 * `GET /v1/models/:model/metrics` (a metric series, optionally smoothed) and
 * `GET /v1/models/:model/metrics/catalog` (the metrics and segments stored for a model).
 * Times are ISO 8601 or epoch milliseconds; every bad parameter is a 400 naming it.
 */
import type { FastifyInstance } from 'fastify';
import { errors, type Issue } from '../../errors.js';
import { parseSmooth, type SmoothSpec, smoothSeries } from '../../monitor/smooth.js';
import { parseTimeMs } from '../../parse-time.js';
import type { MetricPoint, WindowSize } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { modelParams } from './models.js';

/** Query string of the metrics route, as received. */
export interface MetricsQuery {
  metric?: string;
  segment?: string;
  window?: string;
  from?: string;
  to?: string;
  version?: string;
  smooth?: string;
}

const querySchema = {
  type: 'object',
  properties: {
    metric: { type: 'string', minLength: 1, maxLength: 200 },
    segment: { type: 'string', minLength: 1, maxLength: 400 },
    window: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    version: { type: 'string', minLength: 1, maxLength: 200 },
    smooth: { type: 'string' },
  },
  additionalProperties: false,
} as const;

/** An optional time parameter (`parseTimeMs`): undefined when absent, NaN when invalid. */
export function parseTime(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseTimeMs(text);
}

/** Checks the query; throws PLB_ERR_INVALID_INPUT listing every bad parameter. */
export function checkMetricsQuery(q: MetricsQuery): {
  window: WindowSize;
  fromMs?: number;
  toMs?: number;
  smooth?: SmoothSpec;
} {
  const issues: Issue[] = [];
  const window = q.window ?? 'day';
  if (window !== 'day' && window !== 'hour')
    issues.push({ field: 'window', value: window, expected: "'day' or 'hour'" });
  const fromMs = parseTime(q.from);
  const toMs = parseTime(q.to);
  if (fromMs !== undefined && !Number.isFinite(fromMs))
    issues.push({ field: 'from', value: q.from, expected: 'an ISO 8601 time or epoch milliseconds' });
  if (toMs !== undefined && !Number.isFinite(toMs))
    issues.push({ field: 'to', value: q.to, expected: 'an ISO 8601 time or epoch milliseconds' });
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs)
    issues.push({ field: 'to', value: q.to, expected: `a time after from (${q.from})` });
  let smooth: SmoothSpec | undefined;
  if (q.smooth !== undefined) {
    try {
      smooth = parseSmooth(q.smooth);
    } catch {
      issues.push({
        field: 'smooth',
        value: q.smooth,
        expected: 'ewma:<alpha in (0, 1]> or rolling:<k >= 1>',
      });
    }
  }
  if (issues.length > 0)
    throw errors.invalidInput(`invalid metrics query: ${issues.map((i) => i.field).join(', ')}`, issues);
  return { window: window as WindowSize, fromMs, toMs, smooth };
}

/** Registers the metrics routes. */
export function metricsRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { model: string }; Querystring: MetricsQuery }>(
      '/v1/models/:model/metrics',
      {
        schema: { params: modelParams, querystring: querySchema },
        config: { scope: 'read', openapi: { summary: 'A metric series per window (optionally smoothed)' } },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        const q = req.query;
        const { window, fromMs, toMs, smooth } = checkMetricsQuery(q);
        const metric = q.metric ?? 'accuracy';
        const segment = q.segment ?? 'all';
        const version = q.version ?? '*';
        const stored = await ctx.store.queryMetricPoints({
          model: model.id,
          metric,
          segment,
          window,
          version,
          fromMs,
          toMs,
        });
        const points: MetricPoint[] = smooth ? smoothSeries(stored, smooth) : stored;
        return {
          model: model.id,
          metric,
          window,
          segment,
          version,
          ...(q.smooth ? { smooth: q.smooth } : {}),
          points: points.map(({ model: _m, metric: _metric, segment: _s, ...p }) => p),
        };
      },
    );
    app.get<{ Params: { model: string } }>(
      '/v1/models/:model/metrics/catalog',
      {
        schema: { params: modelParams },
        config: {
          scope: 'read',
          openapi: { summary: 'Metrics, segments, versions and windows stored for a model' },
        },
      },
      async (req) => {
        const model = await ctx.ingest.requireModel(req.params.model);
        return { model: model.id, ...(await ctx.store.queryMetricCatalog(model.id)) };
      },
    );
  };
}
