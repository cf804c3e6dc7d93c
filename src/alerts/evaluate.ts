/**
 * `evaluateAlerts`: the alert engine as one pure function (langfuse's `applyStateMachine` style).
 * Rules are applied to every new window of every matching series (points with a window start after
 * the series' last evaluated window), then silences, inhibition, escalation and grouping run at
 * wall-clock `now`. The returned state is the next call's `previous`.
 */
import { windowMs } from '../monitor/windows.js';
import type { MetricPoint } from '../store/store.js';
import { checkPoint } from './conditions.js';
import { fingerprintOf, globMatch } from './labels.js';
import {
  escalate,
  flushGroups,
  groupingDefaults,
  groupKeyOf,
  inhibitorsOf,
  isNotifiable,
  policyOf,
  silencesFor,
  targetsOf,
  toNotified,
} from './routing.js';
import { defaultInhibitRules } from './rules.js';
import { applyVerdict, expireAlert, newAlert, pushCapped } from './state-machine.js';
import type {
  AlertInstance,
  AlertRule,
  AlertState,
  EscalationPolicy,
  GroupingOptions,
  InhibitRule,
  Notification,
  Silence,
  Transition,
} from './types.js';

/** Input of {@link evaluateAlerts}. */
export interface EvaluateAlertsArgs {
  rules: AlertRule[];
  /** Metric points; those at or before a series' last evaluated window are ignored. */
  points: MetricPoint[];
  /** State returned by the previous call (default: empty). */
  previous?: AlertState;
  /** Wall-clock time of this evaluation (epoch ms) for silences, escalation and grouping. */
  now: number;
  silences?: Silence[];
  /** Inhibit rules. Default {@link defaultInhibitRules}. */
  inhibitRules?: InhibitRule[];
  escalationPolicies?: EscalationPolicy[];
  grouping?: GroupingOptions;
}

/** Output of {@link evaluateAlerts}. */
export interface EvaluateAlertsResult {
  state: AlertState;
  /** Status changes, by time. */
  transitions: Transition[];
  notifications: Notification[];
}

/** An empty alert state. */
export const emptyAlertState = (): AlertState => ({ version: 1, alerts: {}, groups: {}, sequence: 0 });

/** True when a point belongs to a rule's scope. */
export function inScope(rule: AlertRule, p: MetricPoint): boolean {
  return (
    p.model === rule.model &&
    p.window.size === rule.window &&
    (rule.version === undefined || p.version === rule.version) &&
    (rule.segment === undefined || globMatch(rule.segment, p.segment)) &&
    rule.metrics.some((m) => globMatch(m, p.metric))
  );
}

/** The labels of a rule's alert on one series (scope, rule, severity, feature, routing labels). */
export function alertLabels(
  rule: AlertRule,
  p: Pick<MetricPoint, 'model' | 'version' | 'segment' | 'metric'>,
) {
  const labels: Record<string, string> = {
    ...rule.labels,
    alertname: rule.id,
    kind: rule.kind,
    model: p.model,
    version: p.version,
    segment: p.segment,
    metric: p.metric,
    severity: rule.severity,
  };
  const dot = p.metric.indexOf('.');
  // drift.<f>, missing_rate.<f>, … name a feature; cbpe.<metric> does not.
  if (dot > 0 && !p.metric.startsWith('cbpe.')) labels.feature = p.metric.slice(dot + 1);
  return labels;
}

/**
 * Points that repeat a wider series of the same window: a version carrying every event of the
 * window (its points equal the all-versions `*` ones) or a segment holding every row (equal to
 * `all`). Rules that watch every version or segment skip them, so that one problem raises one alert.
 */
export function duplicatePoints(
  points: readonly MetricPoint[],
): Map<MetricPoint, { version: boolean; segment: boolean }> {
  const key = (p: MetricPoint, version: string, segment: string) =>
    `${p.model}\u0000${p.window.size}\u0000${p.window.startMs}\u0000${p.metric}\u0000${version}\u0000${segment}`;
  const index = new Map<string, MetricPoint>();
  for (const p of points) index.set(key(p, p.version, p.segment), p);
  const same = (p: MetricPoint, q: MetricPoint | undefined) =>
    q !== undefined && q !== p && q.n === p.n && q.value === p.value && q.status === p.status;
  const out = new Map<MetricPoint, { version: boolean; segment: boolean }>();
  for (const p of points) {
    const version = p.version !== '*' && same(p, index.get(key(p, '*', p.segment)));
    const segment = p.segment !== 'all' && same(p, index.get(key(p, p.version, 'all')));
    if (version || segment) out.set(p, { version, segment });
  }
  return out;
}

/** Evaluates rules over new points and advances silences, inhibition, escalation and grouping to `now`. */
export function evaluateAlerts(args: EvaluateAlertsArgs): EvaluateAlertsResult {
  const { rules, points, now } = args;
  if (!Number.isFinite(now)) throw new RangeError(`invalid now: ${now} (expected epoch milliseconds)`);
  const prev = args.previous ?? emptyAlertState();
  const state: AlertState = { ...prev, alerts: { ...prev.alerts }, groups: { ...prev.groups } };
  const policies = args.escalationPolicies ?? [];
  const grouping = { ...groupingDefaults, ...args.grouping };
  const inhibitRules = args.inhibitRules ?? defaultInhibitRules;
  const transitions: Transition[] = [];

  //// conditions and state machine, window by window ////
  const duplicates = duplicatePoints(points);
  for (const rule of rules) {
    const series = new Map<string, MetricPoint[]>();
    const labelsOf = new Map<string, Record<string, string>>();
    for (const p of points) {
      if (!inScope(rule, p)) continue;
      const dup = duplicates.get(p);
      if (dup && ((dup.version && rule.version === undefined) || (dup.segment && rule.segment !== p.segment)))
        continue;
      const fp = fingerprintOf(rule.id, {
        model: p.model,
        version: p.version,
        segment: p.segment,
        metric: p.metric,
      });
      if (!series.has(fp)) {
        series.set(fp, []);
        labelsOf.set(fp, alertLabels(rule, p));
      }
      series.get(fp)?.push(p);
    }
    for (const [fp, list] of series) {
      let a = state.alerts[fp] ?? newAlert(rule, fp, labelsOf.get(fp) as Record<string, string>);
      a = { ...a, labels: labelsOf.get(fp) as Record<string, string>, runbook: rule.runbook };
      if (rule.runbook === undefined) delete a.runbook;
      list.sort((x, y) => x.window.startMs - y.window.startMs);
      for (const p of list) {
        // Windows up to the last one with a verdict are done. A later window seen before without
        // one (labels not in yet) is looked at again: the monitor rewrites it when labels arrive.
        if (a.lastOkWindowMs !== null && p.window.startMs <= a.lastOkWindowMs) continue;
        const seen = a.lastWindowMs !== null && p.window.startMs <= a.lastWindowMs;
        const { verdict, memory } = checkPoint(rule, p, a, a.status === 'firing');
        if (seen && verdict.kind === 'insufficient') continue;
        const atMs = p.window.startMs + windowMs[rule.window];
        const step = applyVerdict({ alert: a, rule, verdict, atMs });
        a = {
          ...step.alert,
          ...memory,
          lastWindowMs: Math.max(p.window.startMs, a.lastWindowMs ?? Number.NEGATIVE_INFINITY),
          lastOkWindowMs: verdict.kind === 'ok' ? p.window.startMs : a.lastOkWindowMs,
        };
        if (verdict.kind === 'ok')
          a.evidence = {
            windowStartMs: p.window.startMs,
            value: p.value,
            smoothed: verdict.smoothed,
            baseline: verdict.baseline,
            ciLow: p.ciLow,
            ciHigh: p.ciHigh,
            n: p.n,
            reason: verdict.reason,
          };
        for (const t of step.transitions) {
          transitions.push(t);
          if (t.to === 'firing') {
            const policy = policyOf(rule.escalation, policies);
            a.escalation = { policy: policy?.id ?? null, level: 0, sinceMs: now };
            const last = a.episodes[a.episodes.length - 1];
            a.episodes = [
              ...a.episodes.slice(0, -1),
              { ...last, escalations: pushCapped(last.escalations, { level: 0, atMs: now }) },
            ];
          }
        }
      }
      state.alerts[fp] = a;
    }
    // A series that stopped reporting (a cohort gone, a segment out of the top N) cannot stay
    // firing forever on its last verdict: after keepFiringFor plus three windows without a point,
    // it resolves (or leaves pending) as "no data".
    const staleMs = rule.keepFiringForMs + 3 * windowMs[rule.window];
    for (const [fp, a] of Object.entries(state.alerts)) {
      if (a.ruleId !== rule.id || series.has(fp) || a.lastWindowMs === null) continue;
      if (a.status !== 'firing' && a.status !== 'pending') continue;
      const lastEnd = a.lastWindowMs + windowMs[rule.window];
      if (now - lastEnd < staleMs) continue;
      const step = expireAlert(a, lastEnd + staleMs, `no data since ${new Date(lastEnd).toISOString()}`);
      state.alerts[fp] = step.alert;
      transitions.push(...step.transitions);
    }
  }

  //// silences and inhibition at now ////
  const same = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  const firing = Object.values(state.alerts).filter((a) => a.status === 'firing');
  for (const [fp, a] of Object.entries(state.alerts)) {
    const silencedBy = silencesFor(a.labels, args.silences ?? [], now);
    const inhibitedBy = a.status === 'firing' ? inhibitorsOf(a, firing, inhibitRules) : [];
    // Copy only what changed: backtests call this once per window over thousands of series.
    if (!same(silencedBy, a.silencedBy) || !same(inhibitedBy, a.inhibitedBy))
      state.alerts[fp] = { ...a, silencedBy, inhibitedBy };
  }

  //// escalation and grouping ////
  const nextId = () => `n-${++state.sequence}`;
  const notifications: Notification[] = [];
  for (const fp of Object.keys(state.alerts).sort()) {
    if (state.alerts[fp].status !== 'firing') continue;
    const r = escalate(state.alerts[fp], policies, grouping.groupBy, now, nextId);
    state.alerts[fp] = r.alert;
    notifications.push(...r.notifications);
  }
  notifications.push(...flushGroups(state, grouping, policies, now, nextId));
  transitions.sort((x, y) => x.atMs - y.atMs);
  return { state, transitions, notifications };
}

/** Input of {@link acknowledgeAlert}. */
export interface AcknowledgeArgs {
  state: AlertState;
  fingerprint: string;
  by: string;
  note?: string;
  now: number;
  escalationPolicies?: EscalationPolicy[];
  grouping?: GroupingOptions;
}

/**
 * Acknowledges a pending or firing alert: escalation stops, and everyone told so far hears of it.
 * Returns `undefined` for an unknown fingerprint and `'not_active'` for an inactive or resolved alert.
 */
export function acknowledgeAlert(
  args: AcknowledgeArgs,
): { state: AlertState; notifications: Notification[] } | undefined | 'not_active' {
  const a = args.state.alerts[args.fingerprint];
  if (!a) return undefined;
  if (a.status !== 'firing' && a.status !== 'pending') return 'not_active';
  const grouping = { ...groupingDefaults, ...args.grouping };
  const state: AlertState = { ...args.state, alerts: { ...args.state.alerts } };
  const ack = { by: args.by, atMs: args.now, ...(args.note !== undefined ? { note: args.note } : {}) };
  const last = a.episodes[a.episodes.length - 1];
  const episodes =
    a.status === 'firing' && last && last.acknowledgedAtMs === null
      ? [...a.episodes.slice(0, -1), { ...last, acknowledgedAtMs: args.now }]
      : a.episodes;
  const t: Transition = {
    fingerprint: a.fingerprint,
    ruleId: a.ruleId,
    from: a.status,
    to: a.status,
    atMs: args.now,
    reason: `acknowledged by ${args.by}${args.note ? `: ${args.note}` : ''}`,
  };
  const acked: AlertInstance = { ...a, ack, episodes, history: pushCapped(a.history, t) };
  state.alerts[a.fingerprint] = acked;
  const notifications: Notification[] = [];
  if (isNotifiable(acked)) {
    notifications.push({
      id: `n-${++state.sequence}`,
      atMs: args.now,
      reason: 'acknowledged',
      groupKey: groupKeyOf(acked.labels, grouping.groupBy),
      status: 'acknowledged',
      targets: targetsOf(acked, args.escalationPolicies ?? [], grouping.receivers),
      alerts: [toNotified(acked, 'acknowledged')],
    });
  }
  return { state, notifications };
}
