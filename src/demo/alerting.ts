/**
 * The demo's alerting stage: after the monitor pass, the model's alert rules (stored, or the
 * defaults) are replayed over the stored metric points window by window (`backtestStoredAlerts`:
 * a week of points read at a time, `now` at each window's end, as a live evaluation would have run),
 * with a demo escalation policy; the result extends `summary.json` (`alerts`, `falseAlarms`,
 * `alerting`, and per incident `detected`, `detectionDelayMinutes`, `firstAlert`) and is persisted
 * as the model's alert state, so that the served dashboard's Alerts page shows what fired.
 */

import { type BacktestResult, backtestAlertsChunked } from '../alerts/backtest.js';
import { formatTable } from '../alerts/format-table.js';
import type { ManagerState } from '../alerts/manager.js';
import type { AlertConfig } from '../alerts/rules.js';
import { defaultInhibitRules, defaultRules } from '../alerts/rules.js';
import {
  type AlertRecord,
  type MatchKind,
  type SummaryIncidentInput,
  summarizeAlerts,
} from '../alerts/summary.js';
import type { EscalationPolicy } from '../alerts/types.js';
import type { MetricPoint, MetricPointQuery, Store } from '../store/store.js';
import type { Scenario } from './scenario.js';

/** One firing episode as `summary.json` lists it, with the incidents it overlaps (empty: a false alarm). */
export type DemoAlert = Omit<AlertRecord, 'fingerprint' | 'acknowledgedAt'> & { incidents: number[] };

/** Detection of one incident. */
export interface DemoDetection {
  detected: boolean;
  /** Incident start to the first firing alert whose scope matches it, in minutes. */
  detectionDelayMinutes: number | null;
  firstAlert: {
    rule: string;
    metric: string;
    segment: string;
    version: string;
    firedAt: string;
    matchedBy: MatchKind;
  } | null;
}

/** Totals of the alerting stage. */
export interface DemoAlerting {
  rules: string[];
  /** Alert episodes, and of them those that overlap no incident (also `falseAlarms`). */
  episodes: number;
  falseAlarms: number;
  /** False alarms that reached someone (not inhibited or silenced). */
  falseAlarmsNotified: number;
  /** False alarms per model-month (30 days) of replay. */
  falseAlarmsPerModelMonth: number;
  /** Median detection delay over the incidents, in minutes (undetected ones excluded), or null. */
  medianDetectionMinutes: number | null;
  notifications: number;
  /** Metric points evaluated, and evaluation steps (window ends). */
  points: number;
  steps: number;
}

/** The summary fields the alerting stage fills (see the module comment). */
export interface DemoAlertFields {
  alerts?: DemoAlert[];
  falseAlarms?: number;
  alerting?: DemoAlerting;
  incidents: ({ index: number; kind?: string } & Partial<DemoDetection>)[];
}

/**
 * The demo's escalation: the on-call (log) first; unacknowledged for an hour, the secondary (log).
 * Both are the log notifier: the demo has no external receivers.
 */
export const demoEscalation: EscalationPolicy = {
  id: 'default',
  levels: [{ targets: ['log'], timeoutMs: 3_600_000 }, { targets: ['log'] }],
};

const DAY = 86_400_000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? null : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * The metric filter of a store query that returns every point the rules can match: exact names,
 * and `prefix*` globs as prefixes; undefined (all metrics) if a rule has another kind of glob.
 */
export function ruleMetricFilter(
  rules: Pick<AlertConfig['rules'][number], 'metrics'>[],
): Pick<MetricPointQuery, 'metrics' | 'metricPrefixes'> | undefined {
  const metrics = new Set<string>();
  const metricPrefixes = new Set<string>();
  for (const m of rules.flatMap((r) => r.metrics)) {
    const star = m.indexOf('*');
    if (star === -1) metrics.add(m);
    else if (star === m.length - 1) metricPrefixes.add(m.slice(0, -1));
    else return undefined;
  }
  return { metrics: [...metrics], metricPrefixes: [...metricPrefixes] };
}

/** Days of metric points read from the store at a time by {@link backtestStoredAlerts}. */
export const BACKTEST_CHUNK_DAYS = 7;

/**
 * Backtests the rules over the model's stored points of [fromMs, toMs) (default: all stored), read
 * {@link BACKTEST_CHUNK_DAYS} whole UTC days of window starts at a time (a day's hourly and daily
 * windows end together, so each evaluation step is within one chunk), only the metrics the rules
 * watch and without `detail` (no condition reads it): the result equals `backtestAlerts` over every
 * point, with a week of points in memory rather than the run's ~180 000 with their details.
 * Also returns the points evaluated and the last window start per window size.
 */
export async function backtestStoredAlerts(
  store: Store,
  model: string,
  config: AlertConfig,
  range: { fromMs?: number; toMs?: number } = {},
): Promise<{ result: BacktestResult; points: number; watermarks: ManagerState['watermarks'] }> {
  let { fromMs, toMs } = range;
  if (fromMs === undefined || toMs === undefined) {
    const span = await store.queryMetricCatalog(model);
    fromMs ??= span.fromMs ?? 0;
    toMs ??= (span.toMs ?? -1) + 1;
  }
  const filter = ruleMetricFilter(config.rules);
  const watermarks: ManagerState['watermarks'] = {};
  let points = 0;
  const step = BACKTEST_CHUNK_DAYS * DAY;
  const first = Math.floor(fromMs / DAY) * DAY;
  const end = toMs;
  const begin = fromMs;
  async function* chunks(): AsyncGenerator<MetricPoint[]> {
    for (let c = first; c < end; c += step) {
      const chunk = await store.queryMetricPoints({
        model,
        fromMs: Math.max(c, begin),
        toMs: Math.min(c + step, end),
        detail: false,
        ...filter,
      });
      points += chunk.length;
      for (const p of chunk)
        watermarks[p.window.size] = Math.max(
          watermarks[p.window.size] ?? Number.NEGATIVE_INFINITY,
          p.window.startMs,
        );
      yield chunk;
    }
  }
  const result = await backtestAlertsChunked(
    {
      rules: config.rules,
      inhibitRules: config.inhibitRules,
      escalationPolicies: config.escalationPolicies,
      grouping: config.grouping,
      fromMs,
      toMs,
    },
    chunks(),
  );
  return { result, points, watermarks };
}

/** Options of {@link evaluateDemoAlerts}. */
export interface DemoAlertsOptions {
  store: Store;
  model: string;
  scenario: Pick<Scenario, 'incidents'>;
  /** Replay range [fromMs, toMs). */
  fromMs: number;
  toMs: number;
}

/**
 * Evaluates the model's rules over the replay's points (see the module comment), persists the
 * alert state, and returns the summary fields.
 */
export async function evaluateDemoAlerts(
  o: DemoAlertsOptions,
): Promise<
  Required<Omit<DemoAlertFields, 'incidents'>> & { incidents: (DemoDetection & { index: number })[] }
> {
  const stored = (await o.store.getAlertConfig(o.model)) as AlertConfig | undefined;
  const config: AlertConfig = stored ?? {
    rules: defaultRules({ id: o.model }),
    inhibitRules: defaultInhibitRules,
    escalationPolicies: [demoEscalation],
    grouping: {},
  };
  const { result, points, watermarks } = await backtestStoredAlerts(o.store, o.model, config, o);
  const incidents: SummaryIncidentInput[] = o.scenario.incidents.map((i, index) => ({ index, ...i }));
  const s = summarizeAlerts(result.alerts, incidents, { endMs: o.toMs });

  const state: ManagerState = {
    alerts: result.state,
    notifications: result.notifications.slice(-200),
    watermarks,
  };
  await o.store.setAlertState(o.model, state);

  const detections = s.incidents.map((d) => {
    const a = d.firstSpecificAlert ?? d.firstAlert;
    const delay = d.firstSpecificAlert ? d.specificDelayMinutes : d.detectionDelayMinutes;
    return {
      index: d.index,
      detected: a !== null,
      detectionDelayMinutes: delay,
      firstAlert: a && {
        rule: a.rule,
        metric: a.scope.metric,
        segment: a.scope.segment,
        version: a.scope.version,
        firedAt: a.firedAt,
        matchedBy: a.matchedBy,
      },
    };
  });
  const months = (o.toMs - o.fromMs) / (30 * DAY);
  return {
    alerts: s.alerts.map(({ fingerprint: _id, acknowledgedAt: _ack, ...alert }) => alert),
    falseAlarms: s.falseAlarms,
    alerting: {
      rules: config.rules.map((r) => r.id),
      episodes: s.alerts.length,
      falseAlarms: s.falseAlarms,
      falseAlarmsNotified: s.falseAlarmsNotified,
      falseAlarmsPerModelMonth: months > 0 ? s.falseAlarms / months : 0,
      medianDetectionMinutes: median(
        detections.flatMap((d) => (d.detectionDelayMinutes === null ? [] : [d.detectionDelayMinutes])),
      ),
      notifications: result.notifications.length,
      points,
      steps: result.steps,
    },
    incidents: detections,
  };
}

/**
 * The demo's alerting stage on a summary, in place: evaluates (see {@link evaluateDemoAlerts}) and
 * sets `alerts`, `falseAlarms`, `alerting` and each incident's detection fields.
 */
export async function addDemoAlerts(summary: DemoAlertFields, o: DemoAlertsOptions): Promise<void> {
  const r = await evaluateDemoAlerts(o);
  summary.alerts = r.alerts;
  summary.falseAlarms = r.falseAlarms;
  summary.alerting = r.alerting;
  for (const inc of summary.incidents) {
    const d = r.incidents.find((x) => x.index === inc.index);
    if (d)
      Object.assign(inc, {
        detected: d.detected,
        detectionDelayMinutes: d.detectionDelayMinutes,
        firstAlert: d.firstAlert,
      });
  }
}

const minutes = (m: number | null) => (m === null ? '-' : m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`);

/** The demo's alert table: detection per incident, then the alerts (false alarms marked), then totals. */
export function formatDemoAlerts(summary: DemoAlertFields): string {
  if (!summary.alerting || !summary.alerts) return '';
  const a = summary.alerting;
  const lines = ['', 'Alerts (default rules replayed over the monitor points, window by window)'];
  if (summary.incidents.length > 0)
    lines.push(
      formatTable(
        ['incident', 'kind', 'detected', 'delay', 'first matching alert', 'matched by'],
        summary.incidents.map((i) => [
          String(i.index),
          i.kind ?? '',
          i.detected ? 'yes' : 'NO',
          minutes(i.detectionDelayMinutes ?? null),
          i.firstAlert
            ? `${i.firstAlert.rule.split(':').pop()} ${i.firstAlert.metric} ${i.firstAlert.segment}`
            : '-',
          i.firstAlert?.matchedBy ?? '-',
        ]),
      ),
    );
  const shown = summary.alerts.slice(0, 40);
  if (shown.length > 0)
    lines.push(
      '',
      formatTable(
        ['fired', 'resolved', 'severity', 'rule', 'scope', 'esc', 'incident'],
        shown.map((x) => [
          x.firedAt.slice(0, 16).replace('T', ' '),
          x.resolvedAt?.slice(0, 16).replace('T', ' ') ?? '(firing)',
          x.severity,
          x.rule.split(':').pop() ?? x.rule,
          `${x.scope.metric} ${x.scope.segment}${x.scope.version === '*' ? '' : ` v=${x.scope.version}`}`,
          `L${Math.max(0, ...x.escalation.map((e) => e.level))}`,
          x.incidents.length > 0 ? x.incidents.join(',') : 'false alarm',
        ]),
      ),
    );
  if (summary.alerts.length > shown.length)
    lines.push(`… ${summary.alerts.length - shown.length} more in summary.json`);
  lines.push(
    '',
    `${a.episodes} alert episode(s); false alarms ${a.falseAlarms} (${a.falseAlarmsPerModelMonth.toFixed(1)} per model-month, ` +
      `${a.falseAlarmsNotified} notified); median detection delay ${minutes(a.medianDetectionMinutes)}; ` +
      `${a.notifications} notification(s)`,
  );
  return lines.join('\n');
}
