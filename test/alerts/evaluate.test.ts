import { describe, expect, it } from 'vitest';
import { acknowledgeAlert, emptyAlertState, evaluateAlerts } from '../../src/alerts/evaluate.js';
import { fingerprintOf, parseMatcher } from '../../src/alerts/labels.js';
import type { AlertRule, AlertState, EscalationPolicy, Silence } from '../../src/alerts/types.js';
import type { MetricPoint } from '../../src/store/store.js';
import { DAY, HOUR, point, rule, series, T0 } from './helpers.js';

const noWait = { groupWaitMs: 0, groupIntervalMs: 0, repeatIntervalMs: 1000 * DAY };

/** Runs evaluateAlerts one day at a time (now = window end), like a backtest. */
function replay(
  rules: AlertRule[],
  points: MetricPoint[],
  days: number,
  extra: Partial<Parameters<typeof evaluateAlerts>[0]> = {},
) {
  let state: AlertState | undefined;
  const log: { day: number; transitions: string[]; notifications: string[] }[] = [];
  for (let d = 0; d < days; d++) {
    const now = T0 + (d + 1) * DAY;
    const r = evaluateAlerts({
      rules,
      points: points.filter((p) => p.window.startMs < now),
      previous: state,
      now,
      grouping: noWait,
      ...extra,
    });
    state = r.state;
    log.push({
      day: d,
      transitions: r.transitions.map((t) => `${t.from}>${t.to}`),
      notifications: r.notifications.map((n) => `${n.reason}:${n.status}:${n.alerts.length}`),
    });
  }
  return { state: state as AlertState, log };
}

describe('evaluateAlerts over a series', () => {
  // Each row: daily roc_auc values (null = insufficient) and rule timing → the status after each day.
  const rows: {
    name: string;
    values: (number | null)[];
    forD?: number;
    keepD?: number;
    statuses: string[];
  }[] = [
    {
      name: 'fires and resolves',
      values: [0.8, 0.6, 0.6, 0.8],
      statuses: ['inactive', 'firing', 'firing', 'resolved'],
    },
    {
      name: 'for 1d: a one-day dip never fires',
      values: [0.8, 0.6, 0.8, 0.8],
      forD: 1,
      statuses: ['inactive', 'pending', 'inactive', 'inactive'],
    },
    {
      name: 'for 1d: two bad days fire',
      values: [0.6, 0.6, 0.8],
      forD: 1,
      statuses: ['pending', 'firing', 'resolved'],
    },
    {
      name: 'keepFiringFor 2d rides out a flap; resolves 2d after the condition clears',
      values: [0.6, 0.8, 0.6, 0.8, 0.8, 0.8],
      keepD: 2,
      statuses: ['firing', 'firing', 'firing', 'firing', 'firing', 'resolved'],
    },
    {
      name: 'keepFiringFor 1d: one good day does not resolve, two do',
      values: [0.6, 0.8, 0.6, 0.8, 0.8],
      keepD: 1,
      statuses: ['firing', 'firing', 'firing', 'firing', 'resolved'],
    },
    {
      name: 'no data keeps firing',
      values: [0.6, null, null, 0.8],
      statuses: ['firing', 'firing', 'firing', 'resolved'],
    },
    {
      name: 'no data keeps pending',
      values: [0.6, null, 0.6],
      forD: 2,
      statuses: ['pending', 'pending', 'firing'],
    },
    {
      name: 'no data never fires',
      values: [null, null, null],
      statuses: ['inactive', 'inactive', 'inactive'],
    },
    {
      name: 'fires again after resolving',
      values: [0.6, 0.8, 0.6],
      statuses: ['firing', 'resolved', 'firing'],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const rules = [rule({ forMs: (r.forD ?? 0) * DAY, keepFiringForMs: (r.keepD ?? 0) * DAY })];
      const statuses: string[] = [];
      let state: AlertState | undefined;
      const pts = series(r.values);
      for (let d = 0; d < r.values.length; d++) {
        const now = T0 + (d + 1) * DAY;
        state = evaluateAlerts({
          rules,
          points: pts.filter((p) => p.window.startMs < now),
          previous: state,
          now,
        }).state;
        statuses.push(Object.values(state.alerts)[0]?.status ?? 'none');
      }
      expect(statuses).toEqual(r.statuses);
    });
  }

  it('evaluating all points at once gives the same state as day by day', () => {
    const rules = [rule({ keepFiringForMs: DAY })];
    const pts = series([0.8, 0.6, 0.8, 0.8, 0.6, 0.6]);
    const once = evaluateAlerts({ rules, points: pts, now: T0 + 6 * DAY });
    const daily = replay(rules, pts, 6, { grouping: undefined });
    // Only wall-clock fields (escalation start = now) may differ.
    const strip = (st: AlertState) =>
      Object.values(st.alerts).map((a) => ({
        ...a,
        escalation: null,
        episodes: a.episodes.map((e) => ({ ...e, escalations: [], notifiedAtMs: null })),
      }));
    expect(strip(once.state)).toEqual(strip(daily.state));
    expect(once.transitions.map((t) => t.to)).toEqual(['pending', 'firing', 'resolved', 'pending', 'firing']);
  });

  it('ignores points already evaluated (idempotent re-run)', () => {
    const rules = [rule()];
    const pts = series([0.6, 0.6]);
    const a = evaluateAlerts({ rules, points: pts, now: T0 + 2 * DAY });
    const b = evaluateAlerts({ rules, points: pts, previous: a.state, now: T0 + 2 * DAY });
    expect(b.transitions).toEqual([]);
    expect(b.state.alerts).toEqual(a.state.alerts);
  });

  it('deduplicates by fingerprint: one alert per rule and series', () => {
    const pts = [
      ...series([0.6, 0.6]),
      ...series([0.6], { segment: 'origin=ORD', n: 300 }),
      ...series([0.6], { version: 'v2', n: 200 }),
    ];
    const { state } = evaluateAlerts({ rules: [rule()], points: pts, now: T0 + 2 * DAY });
    expect(Object.keys(state.alerts)).toHaveLength(3);
    const fp = fingerprintOf('auc', { model: 'm', version: '*', segment: 'all', metric: 'roc_auc' });
    expect(state.alerts[fp].labels).toMatchObject({ alertname: 'auc', segment: 'all', version: '*' });
  });

  it('resolves a firing series that stopped reporting after keepFiringFor + 3 windows; insufficient points keep it', () => {
    const r = rule({ window: 'hour', keepFiringForMs: HOUR });
    const at = (h: number, value: number | null, segment = 'tags.pipeline=v2') =>
      point(
        value === null
          ? { hour: h, value: null, status: 'insufficient_data', n: 3, segment }
          : { hour: h, value, segment },
      );
    let state = evaluateAlerts({ rules: [r], points: [at(0, 0.5)], now: T0 + HOUR }).state;
    const fp = Object.keys(state.alerts)[0];
    expect(state.alerts[fp].status).toBe('firing');
    // 4 h after the last window's end: still firing (keepFiringFor 1 h + 3 windows = 4 h not yet passed)
    state = evaluateAlerts({
      rules: [r],
      points: [at(4, 0.9, 'all')],
      previous: state,
      now: T0 + 4 * HOUR,
    }).state;
    expect(state.alerts[fp].status).toBe('firing');
    // an insufficient point is a report: the clock restarts from it
    state = evaluateAlerts({ rules: [r], points: [at(4, null)], previous: state, now: T0 + 5 * HOUR }).state;
    state = evaluateAlerts({ rules: [r], points: [], previous: state, now: T0 + 8 * HOUR }).state;
    expect(state.alerts[fp].status).toBe('firing');
    const done = evaluateAlerts({ rules: [r], points: [], previous: state, now: T0 + 9 * HOUR });
    expect(done.state.alerts[fp].status).toBe('resolved');
    expect(done.state.alerts[fp].resolvedAtMs).toBe(T0 + 9 * HOUR);
    expect(done.state.alerts[fp].episodes[0].resolvedAtMs).toBe(T0 + 9 * HOUR);
    expect(done.transitions[0].reason).toMatch(/^no data since/);
  });

  it('skips a version or segment that repeats the wider series (same n and value), unless named', () => {
    const pts = [
      ...series([0.6]),
      ...series([0.6], { version: 'v1' }), // the only version: every event
      ...series([0.6], { segment: 'tags.pipeline=v1' }), // the only tag value: every row
      ...series([0.6], { segment: 'origin=ORD', n: 300 }),
    ];
    const all = evaluateAlerts({ rules: [rule()], points: pts, now: T0 + DAY });
    expect(
      Object.values(all.state.alerts)
        .map((a) => `${a.labels.version} ${a.labels.segment}`)
        .sort(),
    ).toEqual(['* all', '* origin=ORD']);
    const named = evaluateAlerts({ rules: [rule({ version: 'v1' })], points: pts, now: T0 + DAY });
    expect(Object.values(named.state.alerts).map((a) => a.labels.version)).toEqual(['v1']);
    const glob = evaluateAlerts({ rules: [rule({ segment: 'tags.*' })], points: pts, now: T0 + DAY });
    expect(Object.keys(glob.state.alerts)).toHaveLength(0);
    const exact = evaluateAlerts({
      rules: [rule({ segment: 'tags.pipeline=v1' })],
      points: pts,
      now: T0 + DAY,
    });
    expect(Object.keys(exact.state.alerts)).toHaveLength(1);
  });

  it('scopes rules by version, segment glob, window and metric glob', () => {
    const pts = [
      point({ metric: 'drift.a', value: 1, significant: true }),
      point({ metric: 'drift.b', value: 1, significant: true, segment: 'origin=ORD' }),
      point({ metric: 'drift.c', value: 1, significant: true, version: 'v2' }),
      point({ metric: 'missing_rate.a', value: 1, significant: true }),
      point({ metric: 'drift.d', value: 1, significant: true, hour: 3 }),
    ];
    const r = rule({
      metrics: ['drift.*'],
      segment: 'all',
      version: '*',
      condition: { kind: 'significant', direction: 'any' },
    });
    const { state } = evaluateAlerts({ rules: [r], points: pts, now: T0 + DAY });
    expect(Object.values(state.alerts).map((a) => a.labels.feature)).toEqual(['a']);
  });
});

describe('silences and inhibition', () => {
  const drift = rule({
    id: 'drift',
    kind: 'feature_drift',
    metrics: ['drift.*'],
    condition: { kind: 'significant', direction: 'any' },
  });
  const quality = rule({
    id: 'quality',
    kind: 'data_quality',
    metrics: ['missing_rate.*'],
    condition: { kind: 'significant', direction: 'up' },
  });
  const bad = (metric: string, extra: Partial<MetricPoint> = {}) =>
    point({ metric, value: 0.5, baseline: 0.01, significant: true, ...extra });

  // Each row: firing series → which alerts are inhibited (by feature / segment).
  const rows: { name: string; rules: AlertRule[]; points: MetricPoint[]; inhibited: string[] }[] = [
    {
      name: 'missing values inhibit drift on the same feature',
      rules: [drift, quality],
      points: [bad('drift.dep'), bad('missing_rate.dep')],
      inhibited: ['drift.dep'],
    },
    {
      name: 'but not drift on another feature',
      rules: [drift, quality],
      points: [bad('drift.dist'), bad('missing_rate.dep')],
      inhibited: [],
    },
    {
      name: 'nor drift of another version',
      rules: [drift, quality],
      points: [bad('drift.dep', { version: 'v2' }), bad('missing_rate.dep')],
      inhibited: [],
    },
    {
      name: 'a model-wide alert inhibits its segment alerts',
      rules: [rule()],
      points: [point({ value: 0.6 }), point({ value: 0.5, segment: 'origin=ORD' })],
      inhibited: ['roc_auc/origin=ORD'],
    },
    {
      name: 'a segment alert alone is not inhibited',
      rules: [rule()],
      points: [point({ value: 0.8 }), point({ value: 0.5, segment: 'origin=ORD' })],
      inhibited: [],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const { state, notifications } = evaluateAlerts({
        rules: r.rules,
        points: r.points,
        now: T0 + DAY,
        grouping: noWait,
      });
      const inhibited = Object.values(state.alerts)
        .filter((a) => a.inhibitedBy.length > 0)
        .map((a) =>
          a.labels.segment === 'all' ? a.labels.metric : `${a.labels.metric}/${a.labels.segment}`,
        );
      expect(inhibited).toEqual(r.inhibited);
      const notified = notifications.flatMap((n) => n.alerts.map((a) => a.fingerprint));
      for (const a of Object.values(state.alerts))
        expect(notified.includes(a.fingerprint)).toBe(a.status === 'firing' && a.inhibitedBy.length === 0);
    });
  }

  it('configurable inhibit rules replace the defaults', () => {
    const inhibitRules = [
      {
        source: [parseMatcher('severity=critical')],
        target: [parseMatcher('severity=warning')],
        equal: ['model'],
      },
    ];
    const w = rule({ id: 'w', severity: 'warning' });
    const c = rule({ id: 'c', severity: 'critical' });
    const { state } = evaluateAlerts({ rules: [w, c], points: series([0.6]), now: T0 + DAY, inhibitRules });
    const byRule = Object.fromEntries(
      Object.values(state.alerts).map((a) => [a.ruleId, a.inhibitedBy.length]),
    );
    expect(byRule).toEqual({ w: 1, c: 0 });
  });

  // Each row: a silence window and matchers → whether the alert is notified at now = T0 + 1d.
  const silenceRows: { name: string; matchers: string[]; from: number; to: number; muted: boolean }[] = [
    {
      name: 'matching, active silence mutes',
      matchers: ['alertname=auc'],
      from: 0,
      to: 2 * DAY,
      muted: true,
    },
    { name: 'regex matcher', matchers: ['metric=~roc_.*'], from: 0, to: 2 * DAY, muted: true },
    { name: 'expired silence does not mute', matchers: ['alertname=auc'], from: 0, to: DAY, muted: false },
    {
      name: 'future silence does not mute yet',
      matchers: ['alertname=auc'],
      from: 2 * DAY,
      to: 3 * DAY,
      muted: false,
    },
    {
      name: 'non-matching silence',
      matchers: ['alertname=auc', 'segment!=all'],
      from: 0,
      to: 2 * DAY,
      muted: false,
    },
  ];
  for (const r of silenceRows) {
    it(r.name, () => {
      const silences: Silence[] = [
        {
          id: 's1',
          matchers: r.matchers.map(parseMatcher),
          startsAtMs: T0 + r.from,
          endsAtMs: T0 + r.to,
          createdBy: 't',
          comment: '',
        },
      ];
      const { state, notifications } = evaluateAlerts({
        rules: [rule()],
        points: series([0.6]),
        now: T0 + DAY,
        silences,
        grouping: noWait,
      });
      const a = Object.values(state.alerts)[0];
      expect(a.status).toBe('firing'); // silences mute notifications, not evaluation
      expect(a.silencedBy).toEqual(r.muted ? ['s1'] : []);
      expect(notifications).toHaveLength(r.muted ? 0 : 1);
    });
  }
});

describe('grouping', () => {
  const many = (n: number, day: number) =>
    Array.from({ length: n }, (_, i) => point({ day, metric: `drift.f${i}`, value: 1, significant: true }));
  const drift = rule({
    id: 'drift',
    metrics: ['drift.*'],
    condition: { kind: 'significant', direction: 'any' },
    keepFiringForMs: 10 * DAY,
  });

  it('a storm of 20 drift alerts is one notification after group wait', () => {
    const grouping = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * HOUR };
    const now = T0 + DAY;
    const first = evaluateAlerts({ rules: [drift], points: many(20, 0), now, grouping });
    expect(first.notifications).toEqual([]);
    const later = evaluateAlerts({
      rules: [drift],
      points: [],
      previous: first.state,
      now: now + 30_000,
      grouping,
    });
    expect(later.notifications).toHaveLength(1);
    expect(later.notifications[0]).toMatchObject({
      reason: 'new',
      status: 'firing',
      groupKey: 'model=m,alertname=drift',
    });
    expect(later.notifications[0].alerts).toHaveLength(20);
  });

  // Each row: evaluation times (ms after the first) and new series at each → notification reasons.
  const g = { groupWaitMs: 10, groupIntervalMs: 100, repeatIntervalMs: 1000 };
  const rows: {
    name: string;
    steps: { at: number; add?: number; resolve?: boolean }[];
    expected: string[][];
  }[] = [
    {
      name: 'waits group_wait, then notifies',
      steps: [{ at: 0, add: 1 }, { at: 5 }, { at: 10 }],
      expected: [[], [], ['new']],
    },
    {
      name: 'a new alert in the group waits for group_interval',
      steps: [{ at: 0, add: 1 }, { at: 10 }, { at: 50, add: 1 }, { at: 110 }],
      expected: [[], ['new'], [], ['changed']],
    },
    {
      name: 'unchanged: nothing until repeat_interval',
      steps: [{ at: 0, add: 1 }, { at: 10 }, { at: 500 }, { at: 1010 }],
      expected: [[], ['new'], [], ['repeat']],
    },
    {
      name: 'resolution is notified',
      steps: [{ at: 0, add: 1 }, { at: 10 }, { at: 200, resolve: true }],
      expected: [[], ['new'], ['resolved']],
    },
    {
      name: 'resolved within group_wait: never notified',
      steps: [{ at: 0, add: 1 }, { at: 5, resolve: true }, { at: 20 }],
      expected: [[], [], []],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const rules = [
        rule({ id: 'drift', metrics: ['drift.*'], condition: { kind: 'significant', direction: 'any' } }),
      ];
      let state: AlertState | undefined;
      let count = 0;
      let day = 0;
      const got: string[][] = [];
      for (const s of r.steps) {
        const pts: MetricPoint[] = [];
        if (s.add)
          for (let i = 0; i < s.add; i++)
            pts.push(point({ day, metric: `drift.f${count++}`, value: 1, significant: true }));
        if (s.resolve)
          for (let i = 0; i < count; i++)
            pts.push(point({ day, metric: `drift.f${i}`, value: 0, significant: false }));
        if (s.add || s.resolve) day++;
        const res = evaluateAlerts({ rules, points: pts, previous: state, now: T0 + s.at, grouping: g });
        state = res.state;
        got.push(res.notifications.map((n) => n.reason));
      }
      expect(got).toEqual(r.expected);
    });
  }
});

describe('escalation', () => {
  const policy: EscalationPolicy = {
    id: 'default',
    levels: [
      { targets: ['slack'], timeoutMs: 30 * 60_000 },
      { targets: ['pagerduty'], timeoutMs: HOUR },
      { targets: ['manager'] },
    ],
  };
  const fire = () =>
    evaluateAlerts({
      rules: [rule()],
      points: series([0.6]),
      now: T0,
      escalationPolicies: [policy],
      grouping: noWait,
    });

  // Each row: minutes after firing (optionally acked at some minute) → level reached and escalation targets.
  const rows: { name: string; minutes: number[]; ackAt?: number; level: number; escalatedTo: string[] }[] = [
    { name: 'stays at level 0 before the timeout', minutes: [29], level: 0, escalatedTo: [] },
    { name: 'moves to level 1 at the timeout', minutes: [30], level: 1, escalatedTo: ['pagerduty'] },
    {
      name: 'moves to level 2 after both timeouts',
      minutes: [30, 90],
      level: 2,
      escalatedTo: ['pagerduty', 'manager'],
    },
    {
      name: 'a late evaluation climbs several levels at once',
      minutes: [200],
      level: 2,
      escalatedTo: ['pagerduty', 'manager'],
    },
    {
      name: 'the last level is final',
      minutes: [30, 90, 1000],
      level: 2,
      escalatedTo: ['pagerduty', 'manager'],
    },
    { name: 'acknowledgement stops escalation', minutes: [10, 100], ackAt: 10, level: 0, escalatedTo: [] },
    {
      name: 'acknowledgement after a step keeps the level',
      minutes: [30, 40, 500],
      ackAt: 40,
      level: 1,
      escalatedTo: ['pagerduty'],
    },
  ];
  for (const r of rows) {
    it(r.name, () => {
      let state = fire().state;
      const fp = Object.keys(state.alerts)[0];
      const escalatedTo: string[] = [];
      for (const m of r.minutes) {
        if (r.ackAt === m) {
          const acked = acknowledgeAlert({
            state,
            fingerprint: fp,
            by: 'ana',
            now: T0 + m * 60_000,
            escalationPolicies: [policy],
          });
          if (!acked || acked === 'not_active') throw new Error('ack failed');
          state = acked.state;
        }
        const res = evaluateAlerts({
          rules: [rule()],
          points: [],
          previous: state,
          now: T0 + m * 60_000,
          escalationPolicies: [policy],
          grouping: noWait,
        });
        state = res.state;
        escalatedTo.push(
          ...res.notifications.filter((n) => n.reason === 'escalated').flatMap((n) => n.targets),
        );
      }
      expect(state.alerts[fp].escalation?.level).toBe(r.level);
      expect(escalatedTo).toEqual(r.escalatedTo);
      expect(state.alerts[fp].episodes[0].escalations.map((e) => e.level)).toEqual(
        Array.from({ length: r.level + 1 }, (_, i) => i),
      );
    });
  }

  it('the first notification goes to level 0; resolution reaches every level told', () => {
    const first = fire();
    expect(first.notifications.map((n) => n.targets)).toEqual([['slack']]);
    const up = evaluateAlerts({
      rules: [rule()],
      points: [],
      previous: first.state,
      now: T0 + HOUR,
      escalationPolicies: [policy],
      grouping: noWait,
    });
    const res = evaluateAlerts({
      rules: [rule()],
      points: [point({ day: 1, value: 0.8 })],
      previous: up.state,
      now: T0 + 2 * DAY,
      escalationPolicies: [policy],
      grouping: noWait,
    });
    const resolved = res.notifications.find((n) => n.reason === 'resolved');
    expect(resolved?.targets).toEqual(['pagerduty', 'slack']);
  });

  it('acknowledging sends an acknowledgement; unknown and resolved alerts are refused', () => {
    const { state } = fire();
    const fp = Object.keys(state.alerts)[0];
    const acked = acknowledgeAlert({
      state,
      fingerprint: fp,
      by: 'ana',
      note: 'on it',
      now: T0 + 1,
      escalationPolicies: [policy],
    });
    if (!acked || acked === 'not_active') throw new Error('ack failed');
    expect(acked.notifications.map((n) => [n.reason, n.targets])).toEqual([['acknowledged', ['slack']]]);
    expect(acked.state.alerts[fp].ack).toEqual({ by: 'ana', atMs: T0 + 1, note: 'on it' });
    expect(acknowledgeAlert({ state, fingerprint: 'nope', by: 'a', now: T0 })).toBeUndefined();
    expect(acknowledgeAlert({ state: emptyAlertState(), fingerprint: fp, by: 'a', now: T0 })).toBeUndefined();
    const resolved = evaluateAlerts({
      rules: [rule()],
      points: [point({ day: 1, value: 0.8 })],
      previous: state,
      now: T0 + 2 * DAY,
    }).state;
    expect(acknowledgeAlert({ state: resolved, fingerprint: fp, by: 'a', now: T0 })).toBe('not_active');
  });
});

describe('replay', () => {
  it('records transitions and notifications day by day', () => {
    const { log } = replay([rule()], series([0.8, 0.6, 0.8]), 3);
    expect(log.map((l) => l.transitions)).toEqual([
      [],
      ['inactive>pending', 'pending>firing'],
      ['firing>resolved'],
    ]);
    expect(log.map((l) => l.notifications)).toEqual([[], ['new:firing:1'], ['resolved:resolved:1']]);
  });
  it('rejects a non-finite now', () => {
    expect(() => evaluateAlerts({ rules: [], points: [], now: Number.NaN })).toThrow(RangeError);
  });
});

describe('late labels', () => {
  it('a window first seen without data is evaluated when the monitor rewrites it', () => {
    const rules = [rule()];
    const d0 = point({ day: 0, value: 0.8 });
    const first = evaluateAlerts({
      rules,
      points: [d0, point({ day: 1, value: null, status: 'insufficient_data', n: 0 })],
      now: T0 + 2 * DAY,
    });
    expect(Object.values(first.state.alerts)[0].status).toBe('inactive');
    // Labels arrive: day 1 is rewritten with a value, day 2 is still unlabelled.
    const pts = [
      d0,
      point({ day: 1, value: 0.6 }),
      point({ day: 2, value: null, status: 'insufficient_data', n: 0 }),
    ];
    const second = evaluateAlerts({ rules, points: pts, previous: first.state, now: T0 + 3 * DAY });
    expect(second.transitions.map((t) => [t.to, t.atMs])).toEqual([
      ['pending', T0 + 2 * DAY],
      ['firing', T0 + 2 * DAY],
    ]);
    // Re-reading the same points changes nothing.
    const third = evaluateAlerts({ rules, points: pts, previous: second.state, now: T0 + 3 * DAY });
    expect(third.transitions).toEqual([]);
    expect(third.state.alerts).toEqual(second.state.alerts);
  });
  it('a rewrite of a window older than the last verdict is ignored', () => {
    const rules = [rule()];
    const first = evaluateAlerts({ rules, points: series([0.8, 0.8]), now: T0 + 2 * DAY });
    const second = evaluateAlerts({
      rules,
      points: series([0.6, 0.8]),
      previous: first.state,
      now: T0 + 2 * DAY,
    });
    expect(second.transitions).toEqual([]);
  });
});

describe('acknowledgement across episodes', () => {
  const rules = [rule({ forMs: DAY })];
  it('an ack while pending carries into firing; a new episode starts unacknowledged', () => {
    const pending = evaluateAlerts({ rules, points: series([0.6]), now: T0 + DAY }).state;
    const fp = Object.keys(pending.alerts)[0];
    const acked = acknowledgeAlert({ state: pending, fingerprint: fp, by: 'ana', now: T0 + DAY });
    if (!acked || acked === 'not_active') throw new Error('ack failed');
    expect(acked.notifications).toEqual([]); // nothing was notified yet
    const pts = series([0.6, 0.6, 0.8, 0.6, 0.6]);
    const fired = evaluateAlerts({
      rules,
      points: pts.slice(1, 2),
      previous: acked.state,
      now: T0 + 2 * DAY,
    }).state;
    expect(fired.alerts[fp]).toMatchObject({ status: 'firing', ack: { by: 'ana' } });
    expect(fired.alerts[fp].episodes[0].acknowledgedAtMs).toBe(T0 + DAY);
    const again = evaluateAlerts({ rules, points: pts.slice(2), previous: fired, now: T0 + 5 * DAY }).state;
    expect(again.alerts[fp]).toMatchObject({ status: 'firing', ack: null });
    expect(again.alerts[fp].episodes.map((e) => e.acknowledgedAtMs)).toEqual([T0 + DAY, null]);
  });
});

describe('notified episodes', () => {
  it('marks episodes a notification carried; inhibited and silenced ones stay unnotified', () => {
    const pts = [
      point({ value: 0.6 }),
      point({ value: 0.5, segment: 'origin=ORD' }),
      point({ value: 0.5, segment: 'origin=ATL', metric: 'roc_auc', version: 'v2' }),
    ];
    const silences: Silence[] = [
      {
        id: 's',
        matchers: [parseMatcher('version=v2')],
        startsAtMs: T0,
        endsAtMs: T0 + 10 * DAY,
        createdBy: 'a',
        comment: '',
      },
    ];
    const { state } = evaluateAlerts({
      rules: [rule()],
      points: pts,
      now: T0 + DAY,
      grouping: noWait,
      silences,
    });
    const bySegment = Object.fromEntries(
      Object.values(state.alerts).map((a) => [a.labels.segment, a.episodes[0].notifiedAtMs]),
    );
    expect(bySegment).toEqual({ all: T0 + DAY, 'origin=ORD': null, 'origin=ATL': null });
  });
});
