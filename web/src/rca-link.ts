/** On-demand RCA requests carried in a URL (no DOM access: also used by the Node tests). */
import { href } from './links.js';

/** The body of `POST /v1/models/{model}/rca`. */
export interface RcaRequest {
  from: number;
  to: number;
  metric?: string;
  segment?: Record<string, string>;
  alertId?: string;
}

/** Link to an on-demand RCA of [fromMs, toMs) (the page runs it). */
export function rcaRunLink(model: string, r: RcaRequest): string {
  return href(`/models/${encodeURIComponent(model)}/rca/run`, {
    from: new Date(r.from).toISOString(),
    to: new Date(r.to).toISOString(),
    metric: r.metric && r.metric !== 'error_rate' ? r.metric : undefined,
    segment: r.segment
      ? Object.entries(r.segment)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')
      : undefined,
    alert: r.alertId,
  });
}

/** The RCA request carried by a run link. */
export function rcaRequestOf(params: URLSearchParams): RcaRequest | null {
  const from = Date.parse(params.get('from') ?? '');
  const to = Date.parse(params.get('to') ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return null;
  const seg = params.get('segment');
  const segment = seg
    ? Object.fromEntries(
        seg.split(',').map((kv) => {
          const i = kv.indexOf('=');
          return [kv.slice(0, i), kv.slice(i + 1)];
        }),
      )
    : undefined;
  return {
    from,
    to,
    metric: params.get('metric') ?? undefined,
    segment,
    alertId: params.get('alert') ?? undefined,
  };
}
