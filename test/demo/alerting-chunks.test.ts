import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backtestAlerts } from '../../src/alerts/backtest.js';
import { defaultInhibitRules, defaultRules } from '../../src/alerts/rules.js';
import { backtestStoredAlerts, demoEscalation, ruleMetricFilter } from '../../src/demo/alerting.js';
import { createRng } from '../../src/stats/random.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { MetricPoint } from '../../src/store/store.js';
import { point } from '../alerts/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-demo-alerting-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2001-04-01T00:00:00Z');
const DAYS = 20;

/** Hourly and daily points over DAYS days, some watched by the default rules (with bad stretches), some not. */
function points(): MetricPoint[] {
  const rng = createRng(11);
  const out: MetricPoint[] = [];
  const pt = (
    size: 'hour' | 'day',
    startMs: number,
    metric: string,
    value: number,
    more: Partial<MetricPoint>,
  ) => out.push(point({ window: { size, startMs }, metric, value, n: 600, ...more }));
  for (let h = 0; h < DAYS * 24; h++) {
    const t = T0 + h * HOUR;
    const bad = (h >= 100 && h < 130) || (h >= 300 && h < 303) || rng.next() < 0.01;
    pt('hour', t, 'missing_rate.destination', bad ? 0.15 : 0, { baseline: 0, significant: bad });
    pt('hour', t, 'latency_p99', 40 + 2 * rng.normal() + (h >= 200 && h < 230 ? 60 : 0), {});
    // not watched by any rule: left out of the store query, which must not change the result
    pt('hour', t, 'score_mean', 0.2 + 0.01 * rng.normal(), { detail: { bins: [1, 2, 3] } });
  }
  for (let d = 0; d < DAYS; d++) {
    const drift = d >= 8 && d < 11;
    pt('day', T0 + d * DAY, 'drift.distance', drift ? 0.3 : 0.02, {
      baseline: 0.02,
      significant: drift,
      detail: { statistic: 'psi', bins: Array.from({ length: 10 }, (_, i) => i) },
    });
  }
  return out;
}

const config = {
  rules: defaultRules({ id: 'm' }),
  inhibitRules: defaultInhibitRules,
  escalationPolicies: [demoEscalation],
  grouping: {},
};

describe('backtestStoredAlerts', () => {
  it('equals backtestAlerts over every stored point (details included), reading a week at a time', async () => {
    const store = await createDuckDbStore({ path: join(dir, 'chunks.duckdb') });
    try {
      await store.insertMetricPoints(points());
      // a range that starts and ends inside days: the first and last chunks are partial
      const range = { fromMs: T0 + 2 * DAY + 5 * HOUR, toMs: T0 + 19 * DAY + 7 * HOUR };
      const all = await store.queryMetricPoints({ model: 'm', ...range });
      const whole = backtestAlerts({ ...config, ...range, points: all });
      expect(whole.alerts.length).toBeGreaterThanOrEqual(3);
      const stored = await backtestStoredAlerts(store, 'm', config, range);
      expect(stored.result).toEqual(whole);
      // the score_mean points (a third) were never read
      expect(stored.points).toBe(all.filter((p) => p.metric !== 'score_mean').length);
      expect(stored.watermarks).toEqual({ hour: T0 + 19 * DAY + 6 * HOUR, day: T0 + 19 * DAY });
      // without a range: every stored point
      const everything = await backtestStoredAlerts(store, 'm', config);
      expect(everything.result).toEqual(
        backtestAlerts({ ...config, points: await store.queryMetricPoints({ model: 'm' }) }),
      );
      expect(everything.result.steps).toBe(DAYS * 24);
    } finally {
      await store.close();
    }
  });
});

describe('ruleMetricFilter', () => {
  it('lists exact names and trailing-star prefixes; any other glob reads every metric', () => {
    expect(ruleMetricFilter([{ metrics: ['roc_auc', 'drift.*'] }, { metrics: ['throughput'] }])).toEqual({
      metrics: ['roc_auc', 'throughput'],
      metricPrefixes: ['drift.'],
    });
    expect(ruleMetricFilter([{ metrics: ['roc_auc'] }, { metrics: ['*_rate.distance'] }])).toBeUndefined();
  });
});
