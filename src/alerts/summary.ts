/**
 * Alerts against known incidents (the demo's `summary.json`, backtests): per incident whether an
 * alert whose scope matches it fired, and how long after the incident began; and the false alarms,
 * alerts that overlap no incident at all. Pure.
 *
 * Scope matching (an alert's labels against an incident), strongest first:
 * - `feature`: the alert names the incident's feature (`drift.<f>`, `missing_rate.<f>`, …);
 * - `latency`: a latency incident and a latency alert;
 * - `segment`: the alert's segment is one the incident touched (`<col>=<v>` of `where`,
 *   `tags.<name>=<v>` of `tags`);
 * - `version`: the alert is on the version the incident stamped;
 * - `model-wide`: a model-wide (segment `all`) performance, estimated-performance or
 *   prediction-drift alert, for incidents that change what the model sees or is scored on (every
 *   kind but latency).
 * An alert detects an incident when it matches and fires within [start, end + grace): the last
 * day's window closes at the end of that day, so `grace` defaults to one day.
 */
import type { AlertState, Severity } from './types.js';

/** An incident as the demo describes it; `from`/`to` are inclusive `YYYY-MM-DD` days or epoch ms [from, to). */
export interface SummaryIncidentInput {
  index: number;
  kind: string;
  from: string | number;
  to: string | number;
  feature?: string;
  where?: Record<string, string | number | boolean>;
  tags?: Record<string, string>;
  version?: string;
}

/** One firing episode of one alert, flat (for tables and JSON). */
export interface AlertRecord {
  fingerprint: string;
  rule: string;
  kind: string;
  /** `metric` on `segment` of `version`. */
  scope: { metric: string; segment: string; version: string; feature?: string };
  severity: Severity;
  firedAt: string;
  resolvedAt: string | null;
  /** Escalation levels reached, with when (ISO). */
  escalation: { level: number; at: string }[];
  acknowledgedAt: string | null;
  /** Whether a notification carried it (false: silenced, inhibited, or resolved within group wait). */
  notified: boolean;
}

/** How an alert matched an incident. */
export type MatchKind = 'feature' | 'latency' | 'segment' | 'version' | 'model-wide';

/** Detection of one incident. */
export interface IncidentDetection {
  index: number;
  kind: string;
  detected: boolean;
  /** Incident start to the first matching firing, in minutes; null when undetected. */
  detectionDelayMinutes: number | null;
  firstAlert: (AlertRecord & { matchedBy: MatchKind }) | null;
  /**
   * The first alert that names what the incident touched (feature, latency, segment or version),
   * not merely model-wide performance, which natural drift can also explain; and its delay.
   */
  firstSpecificAlert: (AlertRecord & { matchedBy: MatchKind }) | null;
  specificDelayMinutes: number | null;
  /** Matching alerts fired during the incident. */
  matchingAlerts: number;
}

/** Output of {@link summarizeAlerts}. */
export interface AlertSummary {
  alerts: (AlertRecord & { incidents: number[] })[];
  incidents: IncidentDetection[];
  /** Alerts that overlap no incident in time. */
  falseAlarms: number;
  /** Of them, those that reached someone (not silenced or inhibited). */
  falseAlarmsNotified: number;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Flattens an alert state into its firing episodes, by firing time. */
export function alertRecords(state: AlertState): AlertRecord[] {
  const out: AlertRecord[] = [];
  for (const a of Object.values(state.alerts)) {
    for (const e of a.episodes) {
      out.push({
        fingerprint: a.fingerprint,
        rule: a.ruleId,
        kind: a.labels.kind ?? '',
        scope: {
          metric: a.labels.metric ?? '',
          segment: a.labels.segment ?? '',
          version: a.labels.version ?? '',
          ...(a.labels.feature !== undefined ? { feature: a.labels.feature } : {}),
        },
        severity: e.severity,
        firedAt: iso(e.firedAtMs),
        resolvedAt: e.resolvedAtMs === null ? null : iso(e.resolvedAtMs),
        escalation: e.escalations.map((s) => ({ level: s.level, at: iso(s.atMs) })),
        acknowledgedAt: e.acknowledgedAtMs === null ? null : iso(e.acknowledgedAtMs),
        notified: e.notifiedAtMs !== null,
      });
    }
  }
  return out.sort((x, y) => x.firedAt.localeCompare(y.firedAt) || x.rule.localeCompare(y.rule));
}

function toMs(day: string | number, end: boolean): number {
  if (typeof day === 'number') {
    if (!Number.isFinite(day)) throw new RangeError(`invalid incident time: ${day} (expected epoch ms)`);
    return day;
  }
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms))
    throw new RangeError(`invalid incident day: ${JSON.stringify(day)} (expected YYYY-MM-DD)`);
  return end ? ms + DAY : ms;
}

const modelWideKinds = new Set(['performance', 'estimated_performance', 'prediction_drift']);

/** How an alert's scope matches an incident, or null. */
export function matchIncident(alert: AlertRecord, incident: SummaryIncidentInput): MatchKind | null {
  if (incident.feature !== undefined && alert.scope.feature === incident.feature) return 'feature';
  if (incident.kind === 'latency' && (alert.kind === 'latency' || alert.scope.metric.includes('latency')))
    return 'latency';
  const segments = [
    ...Object.entries(incident.where ?? {}).map(([k, v]) => `${k}=${v}`),
    ...Object.entries(incident.tags ?? {}).map(([k, v]) => `tags.${k}=${v}`),
  ];
  if (segments.includes(alert.scope.segment)) return 'segment';
  if (incident.version !== undefined && alert.scope.version === incident.version) return 'version';
  if (incident.kind !== 'latency' && alert.scope.segment === 'all' && modelWideKinds.has(alert.kind))
    return 'model-wide';
  return null;
}

/** Options of {@link summarizeAlerts}. */
export interface SummarizeOptions {
  /** Time after an incident's end during which a firing still counts as detection. Default one day. */
  graceMs?: number;
  /** End of the evaluated period (for alerts still firing; overlap checks). Default: the last firing. */
  endMs?: number;
}

const defaults = { graceMs: DAY };

/** Detection per incident and false alarms (see the module comment for the matching rules). */
export function summarizeAlerts(
  alerts: AlertRecord[],
  incidents: SummaryIncidentInput[],
  options: SummarizeOptions = {},
): AlertSummary {
  const o = { ...defaults, ...options };
  const spans = incidents.map((i) => ({ i, from: toMs(i.from, false), to: toMs(i.to, true) + o.graceMs }));
  const end = o.endMs ?? Math.max(0, ...alerts.map((a) => Date.parse(a.resolvedAt ?? a.firedAt)));
  const withIncidents = alerts.map((a) => {
    const fired = Date.parse(a.firedAt);
    const resolved = a.resolvedAt === null ? end : Date.parse(a.resolvedAt);
    const overlapping = spans.filter((s) => fired < s.to && resolved >= s.from).map((s) => s.i.index);
    return { ...a, incidents: overlapping };
  });
  const detections = spans.map(({ i, from, to }): IncidentDetection => {
    const matching = alerts
      .map((a) => ({ a, fired: Date.parse(a.firedAt), how: matchIncident(a, i) }))
      .filter((x) => x.how !== null && x.fired >= from && x.fired < to)
      .sort((x, y) => x.fired - y.fired);
    const first = matching[0];
    const specific = matching.find((x) => x.how !== 'model-wide');
    return {
      index: i.index,
      kind: i.kind,
      detected: first !== undefined,
      detectionDelayMinutes: first ? (first.fired - from) / 60_000 : null,
      firstAlert: first ? { ...first.a, matchedBy: first.how as MatchKind } : null,
      firstSpecificAlert: specific ? { ...specific.a, matchedBy: specific.how as MatchKind } : null,
      specificDelayMinutes: specific ? (specific.fired - from) / 60_000 : null,
      matchingAlerts: matching.length,
    };
  });
  return {
    alerts: withIncidents,
    incidents: detections,
    falseAlarms: withIncidents.filter((a) => a.incidents.length === 0).length,
    falseAlarmsNotified: withIncidents.filter((a) => a.incidents.length === 0 && a.notified).length,
  };
}
