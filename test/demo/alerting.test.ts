import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.js';
import { addDemoAlerts, formatDemoAlerts } from '../../src/demo/alerting.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { MetricPoint } from '../../src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-demo-alerting-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOUR = 3_600_000;
const T0 = Date.parse('2001-04-01T00:00:00Z');

/** Hourly missing_rate.destination of model m: 0, except `bad` hours at 0.15 (significant). */
function hours(count: number, bad: (h: number) => boolean): MetricPoint[] {
  return Array.from({ length: count }, (_, h) => ({
    model: 'm',
    version: '*',
    window: { size: 'hour' as const, startMs: T0 + h * HOUR },
    segment: 'all',
    metric: 'missing_rate.destination',
    value: bad(h) ? 0.15 : 0,
    ciLow: bad(h) ? 0.1 : 0,
    ciHigh: bad(h) ? 0.2 : 0.01,
    n: 600,
    status: 'ok' as const,
    estimated: false,
    baseline: 0,
    significant: bad(h),
  }));
}

describe('addDemoAlerts', () => {
  it('detects the incident by its feature, counts the false alarm, escalates and persists the state', async () => {
    const store = await createDuckDbStore({ path: join(dir, 'a.duckdb') });
    try {
      // incident 0: nulls on 2001-04-05 (hours 96–119); a stray bad stretch on 04-02 03:00–05:00
      await store.insertMetricPoints(hours(10 * 24, (h) => (h >= 96 && h < 120) || (h >= 27 && h < 30)));
      const summary = {
        incidents: [{ index: 0, kind: 'nulls' }],
      } as Parameters<typeof addDemoAlerts>[0];
      await addDemoAlerts(summary, {
        store,
        model: 'm',
        scenario: {
          incidents: [
            { kind: 'nulls', feature: 'destination', fraction: 0.15, from: '2001-04-05', to: '2001-04-05' },
          ],
        },
        fromMs: T0,
        toMs: T0 + 10 * 24 * HOUR,
      });
      const inc = summary.incidents[0];
      expect(inc).toMatchObject({ detected: true, detectionDelayMinutes: 60 });
      expect(inc.firstAlert).toMatchObject({ rule: 'm:data_quality', matchedBy: 'feature', segment: 'all' });
      expect(summary.falseAlarms).toBe(1);
      expect(summary.alerts?.map((a) => a.incidents)).toEqual([[], [0]]);
      // the incident's alert fired for 24 h unacknowledged: the demo policy moved it to level 1 after an hour
      const real = summary.alerts?.[1];
      expect(real?.escalation.map((e) => e.level)).toEqual([0, 1]);
      expect(Date.parse(real?.escalation[1].at ?? '') - Date.parse(real?.escalation[0].at ?? '')).toBe(HOUR);
      expect(summary.alerting).toMatchObject({ episodes: 2, falseAlarms: 1, medianDetectionMinutes: 60 });
      expect(summary.alerting?.falseAlarmsPerModelMonth).toBeCloseTo(3, 12); // 1 in 10 days
      // persisted: the served Alerts page reads the same state
      const alerts = await new AlertManager({ store }).queryAlerts(['m']);
      expect(alerts.filter((a) => a.episodes.length > 0)).toHaveLength(1);
      expect(alerts[0].episodes).toHaveLength(2);
      const table = formatDemoAlerts(summary);
      expect(table).toContain('false alarm');
      expect(table).toMatch(/0\s+nulls\s+yes\s+60 min/);
    } finally {
      await store.close();
    }
  });
});
