import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/demo/scenario.js';
import {
  hasMoved,
  incidentSignals,
  matchStrength,
  monthRows,
  withHistoryBaselines,
} from '../../src/demo/summary.js';
import type { MetricPoint } from '../../src/store/store.js';

const day = Date.UTC(2001, 2, 10);
const point = (over: Partial<MetricPoint>): MetricPoint => ({
  model: 'm',
  version: '*',
  window: { size: 'day', startMs: day },
  segment: 'all',
  metric: 'roc_auc',
  value: 0.6,
  ciLow: 0.58,
  ciHigh: 0.62,
  n: 1000,
  status: 'ok',
  estimated: false,
  ...over,
});
const common = { from: '2001-03-10', to: '2001-03-12', fraction: 1 };
const scale: Incident = {
  ...common,
  kind: 'scale',
  feature: 'distance',
  factor: 1.6,
  tags: { pipeline: 'v2' },
};
const flip: Incident = { ...common, kind: 'label-flip', fromLabel: 0, toLabel: 1, where: { origin: 'ORD' } };
const latency: Incident = { ...common, kind: 'latency', addMs: 60, factor: 1, version: 'v1.1' };

describe('matchStrength', () => {
  it.each<[string, Incident, Partial<MetricPoint>, number]>([
    ['drift of the feature', scale, { metric: 'drift.distance' }, 2],
    ['quality of the feature', scale, { metric: 'missing_rate.distance' }, 2],
    ['another feature', scale, { metric: 'drift.weekday' }, 0],
    ['the stamped tag as segment', scale, { metric: 'roc_auc', segment: 'tags.pipeline=v2' }, 1],
    ['another tag value', scale, { metric: 'roc_auc', segment: 'tags.pipeline=v1' }, 0],
    ['label metric for a label flip', flip, { metric: 'roc_auc' }, 2],
    ['estimated metric for a label flip', flip, { metric: 'cbpe.roc_auc' }, 0],
    ['the where segment', flip, { metric: 'cbpe.roc_auc', segment: 'origin=ORD' }, 1],
    ['latency for a latency incident', latency, { metric: 'latency_p95' }, 2],
    ['the stamped version', latency, { metric: 'throughput', version: 'v1.1' }, 1],
  ])('%s', (_name, incident, p, expected) => {
    expect(matchStrength(incident, point(p))).toBe(expected);
  });
});

describe('hasMoved', () => {
  it.each<[string, Partial<MetricPoint>, boolean]>([
    ['flagged significant', { significant: true }, true],
    [
      'significant test below the materiality floor',
      { significant: false, detail: { significantTest: true } },
      true,
    ],
    ['judged not significant', { significant: false, baseline: 0.9 }, false],
    ['no verdict, baseline outside the interval', { baseline: 0.7 }, true],
    ['no verdict, baseline inside the interval', { baseline: 0.61 }, false],
    ['no verdict, no baseline', {}, false],
    ['insufficient data', { status: 'insufficient_data', significant: true }, false],
    ['no value', { value: null, significant: true }, false],
  ])('%s → %s', (_name, p, expected) => {
    expect(hasMoved(point(p))).toBe(expected);
  });
});

describe('withHistoryBaselines', () => {
  const hist = (v: number, d: number, over: Partial<MetricPoint> = {}) =>
    point({
      metric: 'latency_p50',
      value: v,
      ciLow: null,
      ciHigh: null,
      window: { size: 'day', startMs: day - d * 86_400_000 },
      ...over,
    });
  const history = [hist(8, 1), hist(8.2, 2), hist(7.9, 3), hist(8.1, 4)];

  it('gives a median baseline and flags values outside the robust interval', () => {
    const [jump, calm] = withHistoryBaselines(
      [hist(68, 0), hist(8.15, 0, { window: { size: 'day', startMs: day + 86_400_000 } })],
      history,
    );
    expect(jump.baseline).toBeCloseTo(8.05, 12);
    expect(jump.significant).toBe(true);
    expect(jump.detail).toMatchObject({ baselineFrom: 'history' });
    expect(incidentSignals(latency, [jump])[0]).toMatchObject({
      baselineFrom: 'history',
      matchesIncident: true,
    });
    expect(calm.significant).toBe(false);
  });

  it('keeps points that have a baseline, and needs 3 earlier points of the same series', () => {
    const own = point({ metric: 'latency_p50', baseline: 1, significant: false });
    expect(withHistoryBaselines([own], history)[0]).toBe(own);
    const other = hist(68, 0, { segment: 'origin=ORD' });
    expect(withHistoryBaselines([other], history)[0]).toBe(other);
    expect(withHistoryBaselines([hist(68, 0)], history.slice(0, 2))[0].baseline).toBeUndefined();
  });

  it('leaves hourly throughput alone (it follows the time of day)', () => {
    const h = (v: number, k: number) =>
      point({ metric: 'throughput', value: v, window: { size: 'hour', startMs: day - k * 3_600_000 } });
    const p = h(5000, 0);
    expect(withHistoryBaselines([p], [h(10, 1), h(12, 2), h(11, 3)])[0]).toBe(p);
  });
});

describe('incidentSignals', () => {
  it('keeps moved series, matching ones first, flagged before immaterial, all before segments, one per series', () => {
    const points = [
      point({ metric: 'drift.weekday', significant: true, baseline: 0.1, value: 0.5 }),
      point({
        metric: 'drift.distance',
        significant: false,
        baseline: 0.1,
        value: 0.03,
        detail: { significantTest: true },
      }),
      point({
        metric: 'roc_auc',
        segment: 'tags.pipeline=v2',
        significant: true,
        baseline: 0.67,
        value: 0.62,
      }),
      point({
        metric: 'drift.distance',
        segment: 'origin=ORD',
        significant: true,
        baseline: 0.1,
        value: 0.4,
      }),
      point({
        metric: 'drift.distance',
        significant: true,
        baseline: 0.1,
        value: 0.2,
        window: { size: 'hour', startMs: day },
      }),
      point({ metric: 'drift.distance', significant: true, baseline: 0.1, value: 0.2 }),
      point({
        metric: 'drift.distance',
        significant: true,
        baseline: 0.1,
        value: 0.3,
        window: { size: 'day', startMs: day + 86_400_000 },
      }),
      point({ metric: 'drift.distance', version: 'v1', significant: true, baseline: 0.1, value: 0.9 }),
      point({ metric: 'roc_auc', significant: false, baseline: 0.67 }),
    ];
    const s = incidentSignals(scale, points);
    expect(s.map((x) => `${x.metric} ${x.segment} ${x.window} ${x.significant} ${x.windowsMoved}`)).toEqual([
      // the larger of the two flagged days, counting the immaterial one too
      'drift.distance all day 2001-03-11 true 3',
      'drift.distance all hour 2001-03-10T00 true 1',
      'drift.distance origin=ORD day 2001-03-10 true 1',
      'roc_auc tags.pipeline=v2 day 2001-03-10 true 1',
      'drift.weekday all day 2001-03-10 true 1',
    ]);
    expect(s.map((x) => x.matchesIncident)).toEqual([true, true, true, true, false]);
    expect(incidentSignals(scale, points, 2)).toHaveLength(2);
  });

  it('keeps the version an incident stamps', () => {
    const p = point({ metric: 'latency_p95', version: 'v1.1', significant: true, baseline: 14, value: 74 });
    expect(incidentSignals(latency, [p])).toMatchObject([{ version: 'v1.1', matchesIncident: true }]);
    expect(incidentSignals(scale, [p])).toEqual([]);
  });
});

describe('monthRows', () => {
  it('sums days into months', () => {
    const w = (start: string, events: number, rocAuc: number | null) => ({
      window: 'day' as const,
      start,
      events,
      labelled: events,
      positives: events / 4,
      predictedPositive: events / 2,
      meanScore: 0.2,
      rocAuc,
      affected: 0,
      flagged: start.endsWith('28') ? ['drift.weekday', 'ece'] : start.endsWith('27') ? ['ece'] : [],
    });
    expect(
      monthRows([w('2001-02-27', 100, 0.6), w('2001-02-28', 300, 0.7), w('2001-03-01', 200, null)]),
    ).toEqual([
      ['2001-02', '400', '400', '25.0%', '50.0%', '0.200', '0.675', '0', 'ece (2), drift.weekday (1)'],
      ['2001-03', '200', '200', '25.0%', '50.0%', '0.200', '—', '0', '—'],
    ]);
  });
});
