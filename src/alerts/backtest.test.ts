import { describe, expect, it } from 'vitest';
import { point } from '../../test/alerts/helpers.js';
import { createRng } from '../stats/random.js';
import type { MetricPoint } from '../store/store.js';
import { backtestAlerts, backtestAlertsChunked, createBacktest } from './backtest.js';
import { defaultInhibitRules, defaultRules } from './rules.js';
import type { EscalationPolicy } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2001, 1, 1);
const DAYS = 40;

/** Seeded hourly and daily points of the kinds the default rules watch, with incidents in them. */
function demoLikePoints(seed: number): MetricPoint[] {
  const rng = createRng(seed);
  const out: MetricPoint[] = [];
  const pt = (
    size: 'hour' | 'day',
    startMs: number,
    metric: string,
    value: number,
    more: Partial<MetricPoint> = {},
  ) => out.push(point({ window: { size, startMs }, metric, value, n: 500, ...more }));
  for (let h = 0; h < DAYS * 24; h++) {
    const t = T0 + h * HOUR;
    const day = Math.floor(h / 24);
    const slow = day >= 12 && day < 15;
    pt(
      'hour',
      t,
      'throughput',
      400 + 100 * Math.sin((h / 24) * 2 * Math.PI) + 20 * rng.normal() - (day === 20 ? 350 : 0),
    );
    pt('hour', t, 'latency_p50', 10 + rng.normal() + (slow ? 10 : 0));
    pt('hour', t, 'latency_p99', 40 + 3 * rng.normal() + (slow ? 40 : 0));
    pt('hour', t, 'label_delay_p95', 24 + rng.normal() + (day === 30 ? 60 : 0));
    pt('hour', t, 'ingest_reject_rate', day === 25 && h % 24 < 6 ? 0.2 : 0.001);
    pt('hour', t, 'cohort_latency_p99', slow ? 2 + 0.1 * rng.normal() : 1 + 0.05 * rng.normal(), {
      version: 'v2',
    });
    const canary = day >= 5 && day < 8 && rng.next() < 0.7;
    pt('hour', t, 'cohort_drift.distance', canary ? 0.4 : 0.02, {
      segment: 'tags.pipeline=v2',
      baseline: 0.02,
      significant: canary,
    });
  }
  for (let day = 0; day < DAYS; day++) {
    const t = T0 + day * DAY;
    const bad = day >= 18 && day < 23;
    const auc = bad ? 0.6 : 0.75 + 0.01 * rng.normal();
    pt('day', t, 'roc_auc', auc, { ciLow: auc - 0.02, ciHigh: auc + 0.02, baseline: 0.75, significant: bad });
    pt('day', t, 'accuracy', bad ? 0.7 : 0.82, { baseline: 0.82, significant: bad && rng.next() < 0.8 });
    for (const f of ['distance', 'dep_hour', 'origin_state']) {
      const drift = (f === 'distance' && day >= 9 && day < 12) || rng.next() < 0.05;
      pt('day', t, `drift.${f}`, drift ? 0.3 : 0.03, { baseline: 0.03, significant: drift });
      pt('day', t, `drift.${f}`, drift ? 0.3 : 0.03, {
        segment: 'origin_state=TX',
        baseline: 0.03,
        significant: drift && rng.next() < 0.5,
        n: 80,
      });
    }
    pt('day', t, 'missing_rate.distance', day === 33 ? 0.5 : 0, { baseline: 0, significant: day === 33 });
    pt('day', t, 'positive_rate', 0.2 + 0.01 * rng.normal(), {
      baseline: 0.2,
      significant: rng.next() < 0.05,
    });
  }
  // the store's order (metric, segment, version, window size, window start)
  const key = (p: MetricPoint) => [p.metric, p.segment, p.version, p.window.size];
  return out.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    return a.window.startMs - b.window.startMs;
  });
}

/** The points whose window starts in consecutive whole-day ranges of `days`, as a store query returns them. */
function* dayChunks(points: MetricPoint[], days: number): Generator<MetricPoint[]> {
  for (let from = T0; from < T0 + DAYS * DAY; from += days * DAY)
    yield points.filter((p) => p.window.startMs >= from && p.window.startMs < from + days * DAY);
}

const escalation: EscalationPolicy = {
  id: 'default',
  levels: [{ targets: ['log'], timeoutMs: HOUR }, { targets: ['log'] }],
};
const options = {
  rules: defaultRules({ id: 'm' }),
  inhibitRules: defaultInhibitRules,
  escalationPolicies: [escalation],
  grouping: {},
};

describe('backtestAlertsChunked', () => {
  const points = demoLikePoints(7);
  const whole = backtestAlerts({ ...options, points });

  it('the seeded points fire several rules (the comparison below is not between two empty results)', () => {
    const rules = new Set(whole.alerts.map((a) => a.rule.split(':').pop()));
    expect(whole.alerts.length).toBeGreaterThanOrEqual(5);
    expect(rules.size).toBeGreaterThanOrEqual(4);
    expect(whole.notifications.length).toBeGreaterThan(0);
    expect(whole.steps).toBe(DAYS * 24);
  });

  it.each([1, 3, 7, 40])(
    'gives results identical to the whole-array backtest, %i-day chunks',
    async (days) => {
      const chunked = await backtestAlertsChunked(options, dayChunks(points, days));
      expect(chunked).toEqual(whole);
    },
  );

  it('keeps the range filter (window starts in [fromMs, toMs)) chunk by chunk', async () => {
    const range = { fromMs: T0 + 10 * DAY, toMs: T0 + 27 * DAY };
    const chunked = await backtestAlertsChunked({ ...options, ...range }, dayChunks(points, 4));
    expect(chunked).toEqual(backtestAlerts({ ...options, ...range, points }));
    expect(chunked.steps).toBe(17 * 24);
  });

  it('differs when the chunks are fed out of order, and throws on a point ending before an evaluated step', () => {
    const b = createBacktest(options);
    const chunks = [...dayChunks(points, 5)];
    b.push(chunks[1]);
    expect(() => b.push(chunks[0])).toThrow(RangeError);
    // a day split by hour: the day window and the last hour of the day end together
    const split = createBacktest(options);
    const day0 = chunks[0].filter((p) => p.window.startMs < T0 + DAY);
    const early = day0.filter((p) => p.window.size === 'hour');
    split.push(early);
    expect(() => split.push(day0.filter((p) => p.window.size === 'day'))).toThrow(/ends at/);
  });
});
