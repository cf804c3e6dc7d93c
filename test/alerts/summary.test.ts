import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/alerts/evaluate.js';
import { type AlertRecord, alertRecords, matchIncident, summarizeAlerts } from '../../src/alerts/summary.js';
import { point, rule, T0 } from './helpers.js';

const rec = (
  over: Omit<Partial<AlertRecord>, 'scope'> & { scope?: Partial<AlertRecord['scope']> },
): AlertRecord => ({
  fingerprint: 'f',
  rule: 'r',
  kind: 'feature_drift',
  severity: 'warning',
  firedAt: '2001-03-11T00:00:00.000Z',
  resolvedAt: null,
  escalation: [],
  acknowledgedAt: null,
  notified: true,
  ...over,
  scope: { metric: 'drift.x', segment: 'all', version: '*', ...over.scope },
});

describe('matchIncident (table)', () => {
  const rows: [string, AlertRecord, Parameters<typeof matchIncident>[1], string | null][] = [
    [
      'feature drift on the feature',
      rec({ scope: { metric: 'drift.dep', feature: 'dep' } }),
      { index: 0, kind: 'scale', from: '2001-03-10', to: '2001-03-12', feature: 'dep' },
      'feature',
    ],
    [
      'drift on another feature',
      rec({ scope: { metric: 'drift.dist', feature: 'dist' } }),
      { index: 0, kind: 'scale', from: '2001-03-10', to: '2001-03-12', feature: 'dep' },
      null,
    ],
    [
      'missing values on the nulled feature',
      rec({ kind: 'data_quality', scope: { metric: 'missing_rate.dep', feature: 'dep' } }),
      { index: 0, kind: 'nulls', from: '2001-03-10', to: '2001-03-12', feature: 'dep' },
      'feature',
    ],
    [
      'latency alert for a latency incident',
      rec({ kind: 'latency', scope: { metric: 'latency_p99', version: 'v2' } }),
      { index: 0, kind: 'latency', from: '2001-03-10', to: '2001-03-12' },
      'latency',
    ],
    [
      'segment alert on the touched segment',
      rec({ kind: 'performance', scope: { metric: 'roc_auc', segment: 'origin=ORD' } }),
      { index: 0, kind: 'label-flip', from: '2001-03-10', to: '2001-03-12', where: { origin: 'ORD' } },
      'segment',
    ],
    [
      'tag segment',
      rec({ kind: 'performance', scope: { metric: 'roc_auc', segment: 'tags.pipeline=2.1' } }),
      {
        index: 0,
        kind: 'scale',
        from: '2001-03-10',
        to: '2001-03-12',
        feature: 'dep',
        tags: { pipeline: '2.1' },
      },
      'segment',
    ],
    [
      'segment alert on another segment',
      rec({ kind: 'performance', scope: { metric: 'roc_auc', segment: 'origin=ATL' } }),
      { index: 0, kind: 'label-flip', from: '2001-03-10', to: '2001-03-12', where: { origin: 'ORD' } },
      null,
    ],
    [
      'version alert',
      rec({ kind: 'prediction_drift', scope: { metric: 'positive_rate', version: 'v2' } }),
      { index: 0, kind: 'scale', from: '2001-03-10', to: '2001-03-12', feature: 'dep', version: 'v2' },
      'version',
    ],
    [
      'model-wide performance',
      rec({ kind: 'performance', scope: { metric: 'roc_auc' } }),
      { index: 0, kind: 'label-flip', from: '2001-03-10', to: '2001-03-12' },
      'model-wide',
    ],
    [
      'model-wide performance never explains latency',
      rec({ kind: 'performance', scope: { metric: 'roc_auc' } }),
      { index: 0, kind: 'latency', from: '2001-03-10', to: '2001-03-12' },
      null,
    ],
    [
      'model-wide drift of another feature is no match',
      rec({ scope: { metric: 'drift.other', feature: 'other' } }),
      { index: 0, kind: 'label-flip', from: '2001-03-10', to: '2001-03-12' },
      null,
    ],
  ];
  for (const [name, a, i, expected] of rows) it(name, () => expect(matchIncident(a, i)).toBe(expected));
});

describe('summarizeAlerts', () => {
  const incidents = [
    { index: 0, kind: 'nulls', from: '2001-03-10', to: '2001-03-12', feature: 'dep' },
    { index: 1, kind: 'latency', from: '2001-04-01', to: '2001-04-02', version: 'v2' },
  ];
  it('detection delay, undetected incidents and false alarms', () => {
    const alerts = [
      rec({
        rule: 'q',
        kind: 'data_quality',
        firedAt: '2001-03-11T00:00:00.000Z',
        resolvedAt: '2001-03-14T00:00:00.000Z',
        scope: { metric: 'missing_rate.dep', feature: 'dep' },
      }),
      rec({
        rule: 'd',
        firedAt: '2001-03-12T00:00:00.000Z',
        resolvedAt: '2001-03-13T00:00:00.000Z',
        scope: { metric: 'drift.dep', feature: 'dep' },
      }),
      rec({ rule: 'x', firedAt: '2001-02-01T00:00:00.000Z', resolvedAt: '2001-02-02T00:00:00.000Z' }),
      rec({
        rule: 'y',
        kind: 'performance',
        firedAt: '2001-04-01T12:00:00.000Z',
        resolvedAt: null,
        scope: { metric: 'roc_auc' },
      }),
    ];
    const s = summarizeAlerts(alerts, incidents);
    expect(
      s.incidents.map((i) => [
        i.index,
        i.detected,
        i.detectionDelayMinutes,
        i.firstAlert?.rule,
        i.matchingAlerts,
      ]),
    ).toEqual([
      [0, true, 24 * 60, 'q', 2],
      [1, false, null, undefined, 0],
    ]);
    expect(s.incidents[0].firstAlert?.matchedBy).toBe('feature');
    expect(s.incidents[0].specificDelayMinutes).toBe(24 * 60);
    // A model-wide alert first, a specific one later: both reported.
    const mixed = summarizeAlerts(
      [
        rec({
          rule: 'p',
          kind: 'performance',
          firedAt: '2001-03-10T06:00:00.000Z',
          scope: { metric: 'roc_auc' },
        }),
        rec({
          rule: 'q',
          kind: 'data_quality',
          firedAt: '2001-03-11T00:00:00.000Z',
          scope: { metric: 'missing_rate.dep', feature: 'dep' },
        }),
      ],
      [{ index: 0, kind: 'nulls', from: '2001-03-10', to: '2001-03-12', feature: 'dep' }],
    );
    expect(mixed.incidents[0]).toMatchObject({ detectionDelayMinutes: 360, specificDelayMinutes: 1440 });
    expect([
      mixed.incidents[0].firstAlert?.matchedBy,
      mixed.incidents[0].firstSpecificAlert?.matchedBy,
    ]).toEqual(['model-wide', 'feature']);
    expect(s.alerts.map((a) => [a.rule, a.incidents])).toEqual([
      ['q', [0]],
      ['d', [0]],
      ['x', []],
      ['y', [1]],
    ]);
    expect(s.falseAlarms).toBe(1);
    expect(s.falseAlarmsNotified).toBe(1);
    const quiet = summarizeAlerts(
      alerts.map((a) => (a.rule === 'x' ? { ...a, notified: false } : a)),
      incidents,
    );
    expect([quiet.falseAlarms, quiet.falseAlarmsNotified]).toEqual([1, 0]);
  });
  it('a firing after end + grace is no detection; epoch ms ranges work', () => {
    const late = rec({ firedAt: '2001-03-14T00:00:00.000Z', scope: { metric: 'drift.dep', feature: 'dep' } });
    expect(summarizeAlerts([late], incidents).incidents[0].detected).toBe(false);
    const ms = [
      { index: 0, kind: 'nulls', from: Date.UTC(2001, 2, 13), to: Date.UTC(2001, 2, 13, 12), feature: 'dep' },
    ];
    expect(summarizeAlerts([late], ms).incidents[0].detectionDelayMinutes).toBe(24 * 60);
    expect(summarizeAlerts([late], ms, { graceMs: 0 }).incidents[0].detected).toBe(false);
  });
  it('rejects bad days', () => {
    expect(() =>
      summarizeAlerts([], [{ index: 0, kind: 'nulls', from: '10/03/2001', to: '2001-03-12' }]),
    ).toThrow(RangeError);
  });
  it('alertRecords flattens episodes of an evaluated state', () => {
    const pts = [0.6, 0.8, 0.6].map((v, day) => point({ day, value: v }));
    const { state } = evaluateAlerts({ rules: [rule()], points: pts, now: T0 + 3 * 86_400_000 });
    const records = alertRecords(state);
    expect(records.map((r) => [r.firedAt, r.resolvedAt])).toEqual([
      ['2001-01-02T00:00:00.000Z', '2001-01-03T00:00:00.000Z'],
      ['2001-01-04T00:00:00.000Z', null],
    ]);
    expect(records[0]).toMatchObject({
      rule: 'auc',
      kind: 'performance',
      severity: 'critical',
      scope: { metric: 'roc_auc', segment: 'all', version: '*' },
    });
  });
});
