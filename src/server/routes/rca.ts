/**
 * `POST /v1/models/:model/rca`: root-cause analysis of a window of stored events against a
 * baseline window (default: the same length just before). Body:
 * `{ from, to, baselineFrom?, baselineTo?, metric?, segment?, tags?, seed? }` with times as ISO 8601
 * or epoch ms; answers the RCA report (`{ trigger, window, baseline, hypotheses, caveats }`).
 */
import type { FastifyInstance } from 'fastify';
import { reportOf, runRcaOnStore } from '../../cli/commands/rca.js';
import { errors, type Issue } from '../../errors.js';
import type { AppContext } from '../context.js';
import { parseTime } from './metrics.js';

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
    const t = typeof v === 'number' ? v : parseTime(v);
    if (t === undefined || !Number.isFinite(t)) {
      issues.push({ field, value: v, expected: 'an ISO 8601 time or epoch milliseconds' });
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

/** Registers the RCA route (reads the store only). */
export function rcaRoutes(ctx: Pick<AppContext, 'store'>) {
  return async (app: FastifyInstance) => {
    app.post<{ Params: { model: string }; Body: RcaBody }>(
      '/v1/models/:model/rca',
      {
        schema: { body: bodySchema },
        config: { scope: 'read', openapi: { summary: 'Root-cause analysis of a window against a baseline' } },
      },
      async (req) => {
        const b = req.body;
        const times = checkRcaBody(b);
        const result = await runRcaOnStore(ctx.store, {
          model: req.params.model,
          db: '',
          ...times,
          metric: b.metric ?? 'error_rate',
          segment:
            b.segment === undefined
              ? undefined
              : Object.entries(b.segment)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(','),
          tags: b.tags?.join(','),
          seed: b.seed ?? 0,
          format: 'json',
        });
        return reportOf(result);
      },
    );
  };
}
