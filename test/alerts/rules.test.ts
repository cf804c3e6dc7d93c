import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/alerts/duration.js';
import { evaluateAlerts } from '../../src/alerts/evaluate.js';
import { globMatch, matches, parseMatcher } from '../../src/alerts/labels.js';
import { defaultRules, parseAlertConfig, parseAlertFile } from '../../src/alerts/rules.js';
import { PlumblineError } from '../../src/errors.js';
import { point, T0 } from './helpers.js';

const issuesOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof PlumblineError) return e.issues.map((i) => `${i.field}: ${i.expected}`);
    throw e;
  }
  throw new Error('expected an error');
};

describe('durations', () => {
  const rows: [unknown, number | undefined][] = [
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['0s', 0],
    ['500ms', 500],
    ['1w', 604_800_000],
    ['1d12h', 129_600_000],
    [1500, 1500],
    ['2 hours', undefined],
    ['h', undefined],
    ['-1h', undefined],
    ['', undefined],
    [-5, undefined],
    [null, undefined],
  ];
  for (const [text, ms] of rows)
    it(`${JSON.stringify(text)} → ${ms}`, () => expect(parseDuration(text)).toBe(ms));
  it('formats back', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(0)).toBe('0s');
    expect(parseDuration(formatDuration(129_600_123))).toBe(129_600_123);
  });
});

describe('matchers and globs', () => {
  const rows: [string, Record<string, string>, boolean][] = [
    ['feature=dep', { feature: 'dep' }, true],
    ['feature="dep"', { feature: 'dep' }, true],
    ['feature!=dep', { feature: 'dep' }, false],
    ['feature=~de.*', { feature: 'dep' }, true],
    ['feature=~e', { feature: 'dep' }, false], // anchored
    ['feature!~x|y', { feature: 'dep' }, true],
    ['feature=', {}, true], // missing label is ''
  ];
  for (const [m, labels, expected] of rows)
    it(`${m} on ${JSON.stringify(labels)}`, () => expect(matches(labels, parseMatcher(m))).toBe(expected));
  it('rejects bad matchers', () => {
    expect(() => parseMatcher('no operator')).toThrow(RangeError);
    expect(() => parseMatcher('a=~(')).toThrow(/regular expression/);
  });
  it('globs', () => {
    expect(globMatch('drift.*', 'drift.dep_delay')).toBe(true);
    expect(globMatch('drift.*', 'missing_rate.x')).toBe(false);
    expect(globMatch('origin=*', 'origin=ORD')).toBe(true);
    expect(globMatch('a.b', 'axb')).toBe(false); // '.' is literal
    expect(globMatch('all', 'all')).toBe(true);
  });
});

describe('parseAlertConfig', () => {
  const good = `
rules:
  - id: auc-drop
    metric: roc_auc
    window: day
    condition: { kind: significant, direction: down }
    for: 2d
    keepFiringFor: 1d
    severity: critical
    runbook: https://wiki/auc
    labels: { team: ml }
    escalation: oncall
  - id: latency
    metrics: [latency_p99]
    window: hour
    smoothing: { kind: ewma, alpha: 0.3 }
    condition: { kind: threshold, op: ">", value: 800, clear: 600 }
inhibitRules:
  - source: ["severity=critical"]
    target: ["severity=warning"]
    equal: [model]
escalationPolicies:
  - id: oncall
    levels:
      - { targets: [slack], timeout: 30m }
      - { targets: [pagerduty] }
grouping: { groupBy: [model], groupWait: 1m, groupInterval: 10m, repeatInterval: 12h, receivers: [log] }
`;
  it('reads a valid YAML file with defaults filled', () => {
    const c = parseAlertFile(good, { model: 'flights' });
    expect(c.rules[0]).toMatchObject({
      id: 'auc-drop',
      model: 'flights',
      metrics: ['roc_auc'],
      forMs: 2 * 86_400_000,
      keepFiringForMs: 86_400_000,
      severity: 'critical',
      labels: { team: 'ml' },
    });
    expect(c.rules[1]).toMatchObject({
      severity: 'warning',
      minSamples: 0,
      forMs: 0,
      smoothing: { kind: 'ewma', alpha: 0.3 },
    });
    expect(c.inhibitRules[0].source).toEqual([{ name: 'severity', op: '=', value: 'critical' }]);
    expect(c.escalationPolicies[0].levels).toEqual([
      { targets: ['slack'], timeoutMs: 1_800_000 },
      { targets: ['pagerduty'] },
    ]);
    expect(c.grouping).toEqual({
      groupBy: ['model'],
      receivers: ['log'],
      groupWaitMs: 60_000,
      groupIntervalMs: 600_000,
      repeatIntervalMs: 43_200_000,
    });
  });
  it('reads JSON too', () => {
    const c = parseAlertFile(
      JSON.stringify({
        rules: [{ id: 'x', model: 'm', metric: 'f1', condition: { kind: 'threshold', op: '<', value: 0.5 } }],
      }),
    );
    expect(c.rules).toHaveLength(1);
  });
  it('reports every problem with its path', () => {
    const doc = {
      rules: [
        { id: 'ok', metric: 'a', condition: { kind: 'threshold', op: '<', value: 1 } },
        { id: 'ok', metric: 'a', condition: { kind: 'threshold', op: '<', value: 1 } },
        { id: 'x', metric: 'a', for: 'two hours', condition: { kind: 'threshold', op: '=', value: 'high' } },
        { id: 'y', metric: [], window: 'week', severity: 'page', condition: { kind: 'magic' } },
        {
          id: 'z',
          model: 'other',
          metric: 'a',
          condition: { kind: 'relative', op: '<', factor: -1 },
          smoothing: { kind: 'ewma', alpha: 2 },
        },
      ],
      inhibitRules: [{ source: ['bad'], target: [], equal: 'model' }],
    };
    expect(issuesOf(() => parseAlertConfig(doc, { model: 'm' }))).toEqual([
      'rules[1].id: a unique rule id',
      'rules[2].condition.op: one of >, >=, <, <=',
      'rules[2].condition.value: a finite number',
      'rules[2].for: a duration like "2h"',
      'rules[3].metric: a metric name or pattern (e.g. "roc_auc", "drift.*") or a list of them',
      'rules[3].window: one of hour, day',
      'rules[3].condition.kind: one of threshold, relative, significant, cusum, ewma',
      'rules[3].severity: one of info, warning, critical',
      'rules[4].model: the model m',
      'rules[4].condition.factor: a number > 0',
      'rules[4].smoothing.alpha: a number in (0, 1]',
      'inhibitRules[0].equal: a list of label names',
    ]);
  });
  it('rejects a document without rules and unparsable text', () => {
    expect(issuesOf(() => parseAlertConfig({}))).toEqual(['rules: a list of rules']);
    expect(issuesOf(() => parseAlertFile('rules: [unclosed'))).toEqual(['(file): YAML or JSON']);
  });
  it('requires model when none is given', () => {
    expect(
      issuesOf(() =>
        parseAlertConfig({ rules: [{ id: 'a', metric: 'x', condition: { kind: 'significant' } }] }),
      ),
    ).toEqual(['rules[0].model: a string']);
  });
});

describe('defaultRules', () => {
  const rules = defaultRules({ id: 'flights' });
  it('covers the documented kinds, each a valid rule', () => {
    expect(rules.map((r) => r.kind)).toEqual([
      'performance',
      'estimated_performance',
      'feature_drift',
      'feature_drift',
      'data_quality',
      'data_quality',
      'prediction_drift',
      'latency',
      'latency',
      'throughput',
      'throughput',
      'label_lag',
      'ingest',
    ]);
    // Round trip through the validator (what PUT /rules and files accept).
    const asInput = rules.map(({ metrics, forMs, keepFiringForMs, ...r }) => ({
      ...r,
      metrics,
      for: forMs,
      keepFiringFor: keepFiringForMs,
    }));
    expect(parseAlertConfig({ rules: asInput }, { model: 'flights' }).rules).toEqual(rules);
  });
  it('fire on what the monitor emits: its flag decides, day and hour rules apart', () => {
    const pts = [
      // the monitor's day-level verdict: below the reference days' prediction interval
      point({ model: 'flights', metric: 'accuracy_gap', value: -0.3, baseline: 0.01, significant: true }),
      // an interval that excludes the reference but no flag from the day-level baseline: quiet
      point({
        model: 'flights',
        metric: 'roc_auc',
        value: 0.7,
        ciLow: 0.68,
        ciHigh: 0.72,
        baseline: 0.78,
        significant: false,
      }),
      point({
        model: 'flights',
        metric: 'drift.dep_delay',
        value: 0.3,
        baseline: 0.1,
        significant: true,
        n: 5000,
      }),
      point({
        model: 'flights',
        metric: 'missing_rate.distance',
        value: 0.4,
        baseline: 0,
        significant: true,
      }),
      point({
        model: 'flights',
        metric: 'missing_rate.distance',
        value: 0.4,
        baseline: 0,
        significant: true,
        n: 60,
        hour: 3,
      }),
      point({
        model: 'flights',
        metric: 'cohort_drift.distance',
        segment: 'tags.pipeline=v2',
        value: 0.8,
        baseline: 0.1,
        significant: true,
        n: 80,
        hour: 3,
      }),
      point({ model: 'flights', metric: 'positive_rate', value: 0.5, baseline: 0.3, significant: true }),
    ];
    const { state } = evaluateAlerts({ rules, points: pts, now: T0 + 86_400_000 });
    const firing = Object.values(state.alerts)
      .filter((a) => a.status === 'firing')
      .map((a) => a.ruleId);
    // prediction drift waits for a second day (for: 1d); the rest fire at once
    expect(firing.sort()).toEqual([
      'flights:cohort_drift',
      'flights:data_quality',
      'flights:data_quality_daily',
      'flights:feature_drift',
      'flights:performance',
    ]);
  });
});
