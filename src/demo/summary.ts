/**
 * The demo's `summary.json` and its text rendering (pure): per-day windows, per-month totals,
 * and, per incident, the monitor signals that moved during it.
 */

import type { MetricPoint } from '../store/store.js';
import type { DemoAlert, DemoAlerting, DemoDetection } from './alerting.js';
import type { IncidentRca } from './diagnose.js';
import type { Incident, Scenario } from './scenario.js';

/** One day of the replay. */
export interface SummaryWindow {
  window: 'day';
  /** The day, `YYYY-MM-DD`. */
  start: string;
  /** Predictions stored by the server (its counters). */
  events: number;
  /** Of them, with a label. */
  labelled: number;
  /** Labels equal to the positive class (delayed) among the sent labels. */
  positives: number;
  /** Events predicted positive. */
  predictedPositive: number;
  /** Mean score. */
  meanScore: number;
  /** ROC-AUC of the sent scores against the sent labels (NaN → null). */
  rocAuc: number | null;
  /** Events touched by an incident. */
  affected: number;
  /** Metrics the monitor flagged significant on this day (segment `all`, all versions). */
  flagged: string[];
}

/** A monitor signal kept for an incident. */
export interface SummarySignal {
  metric: string;
  segment: string;
  version: string;
  window: string;
  value: number | null;
  baseline: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  significant: boolean;
  /** Where the baseline comes from: the monitor's reference, or the series' own recent history. */
  baselineFrom: 'monitor' | 'history';
  /** Windows of the incident's days in which this series (metric, segment, version, window size) moved. */
  windowsMoved: number;
  /** True when the signal names the incident's feature, segment, tag or version ({@link matchStrength} > 0). */
  matchesIncident: boolean;
}

/** One incident with what the monitor saw during it. */
export interface SummaryIncident {
  index: number;
  kind: Incident['kind'];
  from: string;
  to: string;
  feature: string | null;
  /** Events the incident changed. */
  affected: number;
  /** Moved signals, those matching the incident first, then by size of the move. */
  signals: SummarySignal[];
  /** RCA of the incident's first matching alert, compact (`src/demo/diagnose.ts`); null when none fired. */
  rca?: IncidentRca | null;
  /** Whether the RCA's top hypothesis names the injected cause. */
  diagnosed?: boolean;
  /** Whether an alert whose scope matches the incident fired (`src/demo/alerting.ts`). */
  detected?: boolean;
  /** Incident start to that alert's firing, in minutes. */
  detectionDelayMinutes?: number | null;
  /** The first matching alert (a specific match — feature, latency, segment, version — preferred). */
  firstAlert?: DemoDetection['firstAlert'];
}

/** The whole `summary.json`. */
export interface DemoSummary {
  scenario: Scenario & { file: string };
  model: {
    id: string;
    version: string;
    contentHash: string;
    threshold: number;
    trainRows: number;
    trainAuc: number;
    referenceRows: number;
    referenceAuc: number;
    snapshotId: string;
  };
  /** Seconds per stage. */
  timings: Record<string, number>;
  replay: { events: number; labels: number; requests: number; eventsPerSecond: number };
  /** Metric points the monitor wrote, those read back for the incidents, and the monitor's notes. */
  monitor: { status: 'ok' | 'unavailable'; points: number; incidentPoints: number; notes: string[] };
  windows: SummaryWindow[];
  incidents: SummaryIncident[];
  /** Alert episodes of the replay (`src/demo/alerting.ts`). */
  alerts?: DemoAlert[];
  /** Alert episodes that overlap no incident. */
  falseAlarms?: number;
  /** Totals of the alerting stage. */
  alerting?: DemoAlerting;
}

const labelMetrics =
  /^(roc_auc|accuracy|precision|recall|f1|log_loss|brier|ece|calibration|positive_label_rate)/;

/**
 * How directly a signal points at an incident: 2 when its metric is about the incident's own
 * feature (`drift.distance`, `missing_rate.destination`), latency for a latency incident, or a
 * label-based model metric for a label flip; 1 when its segment or version is the incident's
 * (`where`, stamped tags or version); 0 otherwise.
 */
export function matchStrength(
  incident: Incident,
  p: Pick<MetricPoint, 'metric' | 'segment' | 'version'>,
): number {
  if ('feature' in incident && (p.metric.endsWith(`.${incident.feature}`) || p.metric === incident.feature))
    return 2;
  if (incident.kind === 'latency' && p.metric.includes('latency')) return 2;
  if (incident.kind === 'label-flip' && labelMetrics.test(p.metric)) return 2;
  const segments = [
    ...Object.entries(incident.where ?? {}).map(([k, v]) => `${k}=${v}`),
    ...Object.entries(incident.tags ?? {}).map(([k, v]) => `tags.${k}=${v}`),
  ];
  if (segments.includes(p.segment) || (incident.version !== undefined && p.version === incident.version))
    return 1;
  return 0;
}

const seasonal = /^(throughput|label_coverage|label_delay)/;
const pointKey = (p: MetricPoint) => `${p.metric}\u0000${p.segment}\u0000${p.version}\u0000${p.window.size}`;

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/**
 * Gives points the monitor left without a baseline (e.g. latency, throughput) one from their own
 * history: the median of the same series (metric, segment, version, window size) over `history`
 * (the days before the incident; hourly throughput and label series excepted, as they follow the
 * time of day), with a robust interval median ± max(4 · 1.4826 · MAD, 10 % of
 * |median|). Needs at least 3 earlier points; the result is marked `detail.baselineFrom = 'history'`.
 */
export function withHistoryBaselines(points: MetricPoint[], history: MetricPoint[]): MetricPoint[] {
  const series = new Map<string, number[]>();
  for (const h of history) {
    if (h.status !== 'ok' || h.value === null || !Number.isFinite(h.value)) continue;
    const k = pointKey(h);
    const list = series.get(k);
    if (list) list.push(h.value);
    else series.set(k, [h.value]);
  }
  return points.map((p) => {
    if (p.baseline !== undefined && p.baseline !== null) return p;
    // hourly volume follows the time of day: its own recent history is no baseline
    if (p.window.size === 'hour' && seasonal.test(p.metric)) return p;
    const values = series.get(pointKey(p));
    if (!values || values.length < 3) return p;
    values.sort((a, b) => a - b);
    const med = median(values);
    const mad = median(values.map((v) => Math.abs(v - med)).sort((a, b) => a - b));
    const half = Math.max(4 * 1.4826 * mad, 0.1 * Math.abs(med));
    const moved = p.value !== null && Math.abs(p.value - med) > half;
    return {
      ...p,
      baseline: med,
      significant: p.significant ?? moved,
      detail: { ...p.detail, baselineFrom: 'history', baselineLow: med - half, baselineHigh: med + half },
    };
  });
}

/**
 * A point moved when the monitor flagged it `significant`, when its test was significant but the
 * effect below the materiality floor (`detail.significantTest`, kept with `significant: false`), or,
 * without a verdict, when its baseline lies outside its interval.
 */
export function hasMoved(p: MetricPoint): boolean {
  if (p.status !== 'ok' || p.value === null) return false;
  if (p.significant === true || p.detail?.significantTest === true) return true;
  if (p.significant === false) return false;
  if (p.baseline === undefined || p.ciLow === null || p.ciHigh === null) return false;
  return p.baseline < p.ciLow || p.baseline > p.ciHigh;
}

/**
 * The moved signals of an incident's points (all versions, or the version it stamped), one per
 * series (its strongest window, with the count of windows that moved), ordered by
 * {@link matchStrength}, then flagged, segment `all` and day windows first, then relative move; at most `limit`.
 */
export function incidentSignals(incident: Incident, points: MetricPoint[], limit = 20): SummarySignal[] {
  // per-version copies of an all-versions point repeat it, unless the incident stamped that version
  const relevant = points.filter((p) => hasMoved(p) && (p.version === '*' || p.version === incident.version));
  const moved = relevant.map((p): SummarySignal & { size: number; strength: number } => {
    const strength = matchStrength(incident, p);
    const base = p.baseline ?? null;
    return {
      metric: p.metric,
      segment: p.segment,
      version: p.version,
      window: `${p.window.size} ${new Date(p.window.startMs).toISOString().slice(0, p.window.size === 'day' ? 10 : 13)}`,
      value: p.value,
      baseline: base,
      ciLow: p.ciLow,
      ciHigh: p.ciHigh,
      significant: p.significant === true,
      baselineFrom: p.detail?.baselineFrom === 'history' ? 'history' : 'monitor',
      matchesIncident: strength > 0,
      windowsMoved: 1,
      strength,
      size: base === null || p.value === null ? 0 : Math.abs(p.value - base) / (Math.abs(base) + 1e-12),
    };
  });
  moved.sort(
    (a, b) =>
      b.strength - a.strength ||
      Number(b.significant) - Number(a.significant) ||
      Number(b.segment === 'all') - Number(a.segment === 'all') ||
      Number(b.window.startsWith('day')) - Number(a.window.startsWith('day')) ||
      b.size - a.size,
  );
  // one entry per series (its strongest window), counting the windows in which it moved
  const series = new Map<string, SummarySignal>();
  for (const { size: _s, strength: _m, ...signal } of moved) {
    const key = `${signal.metric}\u0000${signal.segment}\u0000${signal.version}\u0000${signal.window.split(' ')[0]}`;
    const first = series.get(key);
    if (first) first.windowsMoved++;
    else series.set(key, signal);
  }
  return [...series.values()].slice(0, limit);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

const fmt = (x: number | null, digits = 3): string =>
  x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
const int = (x: number): string => x.toLocaleString('en-US');

/** The metrics flagged on most days, as `metric (days)`, at most three. */
function topFlagged(ws: SummaryWindow[]): string {
  const days = new Map<string, number>();
  for (const w of ws) for (const m of w.flagged) days.set(m, (days.get(m) ?? 0) + 1);
  const top = [...days.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
  return top.length === 0 ? '—' : top.map(([m, d]) => `${m} (${d})`).join(', ');
}

/** Per-month totals of the day windows (AUC as the event-weighted mean of daily AUCs). */
export function monthRows(windows: SummaryWindow[]): string[][] {
  const months = new Map<string, SummaryWindow[]>();
  for (const w of windows) {
    const m = w.start.slice(0, 7);
    months.set(m, [...(months.get(m) ?? []), w]);
  }
  return [...months.entries()].map(([month, ws]) => {
    const sum = (f: (w: SummaryWindow) => number) => ws.reduce((s, w) => s + f(w), 0);
    const events = sum((w) => w.events);
    const labelled = sum((w) => w.labelled);
    const withAuc = ws.filter((w) => w.rocAuc !== null);
    const aucWeight = withAuc.reduce((s, w) => s + w.events, 0);
    const auc =
      aucWeight > 0 ? withAuc.reduce((s, w) => s + (w.rocAuc as number) * w.events, 0) / aucWeight : null;
    return [
      month,
      int(events),
      int(labelled),
      `${((100 * sum((w) => w.positives)) / Math.max(1, labelled)).toFixed(1)}%`,
      `${((100 * sum((w) => w.predictedPositive)) / Math.max(1, events)).toFixed(1)}%`,
      fmt(sum((w) => w.meanScore * w.events) / Math.max(1, events)),
      fmt(auc),
      int(sum((w) => w.affected)),
      topFlagged(ws),
    ];
  });
}

/** The readable summary printed after a run. */
export function formatSummary(s: DemoSummary): string {
  const out: string[] = [];
  out.push(
    `Model ${s.model.id} ${s.model.version} (sha256 ${s.model.contentHash.slice(0, 12)}…): trained on ${int(s.model.trainRows)} flights, ` +
      `train AUC ${fmt(s.model.trainAuc)}, reference AUC ${fmt(s.model.referenceAuc)} on ${int(s.model.referenceRows)}, threshold ${fmt(s.model.threshold)}`,
  );
  out.push(
    `Replay (${s.scenario.replay.source}, ${s.scenario.replay.from} to ${s.scenario.replay.to}): ${int(s.replay.events)} predictions and ` +
      `${int(s.replay.labels)} labels in ${int(s.replay.requests)} requests, ${int(Math.round(s.replay.eventsPerSecond))} events/s\n`,
  );
  out.push(
    table(
      [
        'month',
        'events',
        'labelled',
        'delay rate',
        'predicted +',
        'mean score',
        'ROC AUC',
        'incident events',
        'most flagged (days)',
      ],
      monthRows(s.windows),
    ),
  );
  out.push(`\nMonitor: ${s.monitor.status}, ${int(s.monitor.points)} metric points`);
  for (const note of s.monitor.notes.slice(0, 5)) out.push(`  note: ${note}`);
  for (const inc of s.incidents) {
    out.push(
      `\nIncident ${inc.index} ${inc.kind}${inc.feature ? ` on ${inc.feature}` : ''}, ${inc.from} to ${inc.to}: ${int(inc.affected)} events changed, ${inc.signals.length} signal(s) moved`,
    );
    if (inc.signals.length > 0)
      out.push(
        table(
          ['metric', 'segment', 'version', 'window', 'value', 'baseline', 'windows', 'matches'],
          inc.signals
            .slice(0, 10)
            .map((g) => [
              g.metric,
              g.segment,
              g.version,
              g.window,
              fmt(g.value),
              fmt(g.baseline),
              String(g.windowsMoved),
              g.matchesIncident ? 'yes' : '',
            ]),
        ),
      );
  }
  const timings = Object.entries(s.timings)
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
    .join(', ');
  out.push(`\nTimings: ${timings}`);
  return out.join('\n');
}
