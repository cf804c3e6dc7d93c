/**
 * `POST /v1/models/:model/rca`: root-cause analysis of a window of stored events against a
 * baseline window (default: the same length just before). Body:
 * `{ from, to, baselineFrom?, baselineTo?, metric?, segment?, tags?, seed? }` with times as ISO 8601
 * or epoch ms; stores the report and answers it with its id (`{ id, createdAtMs, trigger, window,
 * baseline, hypotheses, caveats, charts }`). `GET /v1/models/:model/rca` lists the stored reports
 * (id, time, trigger, top hypothesis), `GET /v1/models/:model/rca/:id` shows one (`?format=html`:
 * the self-contained HTML page).
 */
import type { FastifyInstance } from 'fastify';
import { errors, type Issue } from '../../errors.js';
import { parseTimeMs, timeExpected } from '../../parse-time.js';
import type { StoredRcaReport } from '../../rca/charts.js';
import type { Hypothesis } from '../../rca/hypotheses.js';
import { renderRcaHtml } from '../../rca/render-html.js';
import type { RcaReportRow } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { runAndStoreRca } from '../rca-runner.js';

/** The request body. */
export interface RcaBody {
  from: string | number;
  to: string | number;
  baselineFrom?: string | number;
  baselineTo?: string | number;
  /** `error_rate` (default) or a latency metric. */
  metric?: string;
  /** Restrict to a segment, e.g. `{ "origin": "ORD" }`. */
  segment?: Record<string, string>;
  /** Tag names to analyse (default: the schema's `tags.*` segments). */
  tags?: string[];
  seed?: number;
}

const time = { anyOf: [{ type: 'string' }, { type: 'number' }] };
const bodySchema = {
  type: 'object',
  required: ['from', 'to'],
  additionalProperties: false,
  properties: {
    from: time,
    to: time,
    baselineFrom: time,
    baselineTo: time,
    metric: { type: 'string' },
    segment: { type: 'object', additionalProperties: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
    seed: { type: 'integer' },
  },
};

/** Parses the body's times; throws PLB_ERR_INVALID_INPUT listing every bad one. */
export function checkRcaBody(body: RcaBody): {
  from: number;
  to: number;
  baselineFrom?: number;
  baselineTo?: number;
} {
  const issues: Issue[] = [];
  const parse = (field: keyof RcaBody): number | undefined => {
    const v = body[field] as string | number | undefined;
    if (v === undefined) return undefined;
    const t = parseTimeMs(v);
    if (!Number.isFinite(t)) {
      issues.push({ field, value: v, expected: timeExpected });
      return undefined;
    }
    return t;
  };
  const from = parse('from');
  const to = parse('to');
  const baselineFrom = parse('baselineFrom');
  const baselineTo = parse('baselineTo');
  if (from !== undefined && to !== undefined && !(to > from))
    issues.push({ field: 'to', value: body.to, expected: 'a time after from' });
  if (issues.length > 0 || from === undefined || to === undefined)
    throw errors.invalidInput('invalid RCA request', issues);
  return { from, to, baselineFrom, baselineTo };
}

/** A stored report as the routes answer it: its id and time, then the report itself. */
export function storedReportView(row: RcaReportRow) {
  return { id: row.id, createdAtMs: row.createdAtMs, ...row.report };
}

const idParams = {
  type: 'object',
  required: ['model', 'id'],
  properties: {
    model: { type: 'string', minLength: 1 },
    id: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const;

/** Registers the RCA routes: run and store, list, show (JSON or HTML). */
export function rcaRoutes(ctx: Pick<AppContext, 'store' | 'now'>) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { model: string }; Body: RcaBody }>(
      '/v1/models/:model/rca',
      {
        schema: { body: bodySchema },
        config: {
          scope: 'admin',
          openapi: {
            summary:
              'Root-cause analysis of a window against a baseline (stored; answers its id; admin: it writes a report)',
          },
        },
      },
      async (req) => {
        const b = req.body;
        const times = checkRcaBody(b);
        const span = times.to - times.from;
        const baseline = {
          fromMs: times.baselineFrom ?? times.from - span,
          toMs: times.baselineTo ?? times.from,
        };
        const { row } = await runAndStoreRca(
          ctx.store,
          {
            model: req.params.model,
            window: { fromMs: times.from, toMs: times.to },
            baselines: [baseline],
            baselineKind: times.baselineFrom === undefined ? 'preceding' : 'explicit',
            metric: b.metric ?? 'error_rate',
            ...(b.segment ? { segment: b.segment } : {}),
            ...(b.tags ? { tags: b.tags } : {}),
            seed: b.seed ?? 0,
          },
          ctx.now(),
        );
        return storedReportView(row);
      },
    );

    app.get<{ Params: { model: string }; Querystring: { limit?: number } }>(
      '/v1/models/:model/rca',
      {
        schema: {
          querystring: {
            type: 'object',
            properties: { limit: { type: 'integer', minimum: 1, maximum: 1000 } },
            additionalProperties: false,
          },
        },
        config: {
          scope: 'read',
          openapi: {
            summary: 'Stored RCA reports of a model, newest first (id, time, trigger, top hypothesis)',
          },
        },
      },
      async (req) => {
        const rows = await ctx.store.queryRcaReports(req.params.model, { limit: req.query.limit ?? 50 });
        return {
          reports: rows.map((r) => {
            const h = (r.report.hypotheses as Hypothesis[] | undefined)?.[0];
            return {
              id: r.id,
              createdAtMs: r.createdAtMs,
              trigger: r.trigger,
              window: r.window,
              top: h ? { kind: h.kind, subject: h.subject, score: h.score } : null,
            };
          }),
        };
      },
    );

    app.get<{ Params: { model: string; id: string }; Querystring: { format?: 'json' | 'html' } }>(
      '/v1/models/:model/rca/:id',
      {
        schema: {
          params: idParams,
          querystring: {
            type: 'object',
            properties: { format: { type: 'string', enum: ['json', 'html'] } },
            additionalProperties: false,
          },
        },
        config: { scope: 'read', openapi: { summary: 'A stored RCA report (JSON, or ?format=html)' } },
      },
      async (req, reply) => {
        const row = await ctx.store.getRcaReport(req.params.model, req.params.id);
        if (row === undefined)
          throw errors.notFound(`no RCA report ${req.params.id} of model ${req.params.model}`, [
            { field: 'id', value: req.params.id, expected: 'a report id from GET /v1/models/{model}/rca' },
          ]);
        if (req.query.format === 'html')
          return reply
            .type('text/html; charset=utf-8')
            .send(renderRcaHtml(row.report as unknown as StoredRcaReport));
        return storedReportView(row);
      },
    );
  };
}
