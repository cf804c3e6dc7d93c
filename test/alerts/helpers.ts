/** Builders shared by the alert tests. */
import type { AlertRule } from '../../src/alerts/types.js';
import type { MetricPoint } from '../../src/store/store.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** 2001-01-01T00:00Z. */
export const T0 = Date.UTC(2001, 0, 1);

/** A metric point with sensible defaults (day window, model m, version '*', segment 'all'). */
export function point(p: Partial<MetricPoint> & { day?: number; hour?: number }): MetricPoint {
  const { day, hour, ...rest } = p;
  const size = hour !== undefined ? 'hour' : 'day';
  const startMs = hour !== undefined ? T0 + hour * HOUR : T0 + (day ?? 0) * DAY;
  return {
    model: 'm',
    version: '*',
    window: { size, startMs },
    segment: 'all',
    metric: 'roc_auc',
    value: 0.8,
    ciLow: null,
    ciHigh: null,
    n: 1000,
    status: 'ok',
    estimated: false,
    ...rest,
  };
}

/** A rule with sensible defaults (threshold roc_auc < 0.7 on day windows). */
export function rule(r: Partial<AlertRule> = {}): AlertRule {
  return {
    id: 'auc',
    model: 'm',
    kind: 'performance',
    metrics: ['roc_auc'],
    window: 'day',
    condition: { kind: 'threshold', op: '<', value: 0.7 },
    minSamples: 0,
    forMs: 0,
    keepFiringForMs: 0,
    severity: 'critical',
    labels: {},
    ...r,
  };
}

/** A daily series of roc_auc values (null = insufficient data). */
export function series(values: (number | null)[], extra: Partial<MetricPoint> = {}): MetricPoint[] {
  return values.map((v, day) =>
    point(
      v === null
        ? { day, value: null, status: 'insufficient_data', n: 3, ...extra }
        : { day, value: v, ...extra },
    ),
  );
}
