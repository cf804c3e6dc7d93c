/**
 * RCA at the edge: runs `runRcaOnStore` for a request and stores the report (`insertRcaReport`),
 * and turns a firing alert into such a request (`planAlertRca`): which window, which baseline,
 * which metric, which segment. `createAlertRcaRunner` is the `AlertManager` `onFiring` hook.
 *
 * Baselines. The error rate at a fixed threshold follows the calendar: in the flights demo the
 * predicted-positive rate is 12.7 % on a Saturday and 49.6 % on the Friday before (2001-05-11/12),
 * and the January reference has a 31.9 % error rate against 19–21 % on spring days, so comparing a
 * day with the reference or with the days just before it measures the calendar, not the incident
 * (every error-based analysis then sees no rise). The default baseline is therefore `seasonal`: the
 * same window (same weekday, same hours) one, two and three weeks earlier, as the design's "compare
 * like with like" asks; a week, not a day, for hour windows too, as weekday is a model feature. `reference` (the model's reference events) and
 * `preceding` (the span just before) remain available.
 */
import { randomUUID } from 'node:crypto';
import { type AlertConfig, defaultRules } from '../alerts/rules.js';
import type { AlertInstance } from '../alerts/types.js';
import { runRcaOnStore } from '../cli/commands/rca.js';
import { storedReportOf } from '../rca/charts.js';
import type { RcaTrigger } from '../rca/hypotheses.js';
import type { RcaResult } from '../rca/run-rca.js';
import type { RcaReportRow, Store, TimeRange, WindowSize } from '../store/store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const lengthOf: Record<WindowSize, number> = { hour: HOUR, day: DAY };

/** Everything one stored RCA needs. */
export interface RcaRunRequest {
  model: string;
  window: TimeRange;
  /** One or several baseline ranges, read as one baseline. */
  baselines: TimeRange[];
  baselineKind: NonNullable<RcaTrigger['baseline']>['kind'];
  /** `error_rate`, a latency metric, or the alert's metric (`drift.<f>`, `missing_rate.<f>`, …). */
  metric: string;
  segment?: Record<string, string>;
  feature?: string;
  /** Tag names analysed (default: the schema's `tags.*` segments). */
  tags?: string[];
  seed?: number;
  alertId?: string;
  text?: string;
}

/** Runs the analysis of a request on the store's events and stores the report; returns both. */
export async function runAndStoreRca(
  store: Store,
  req: RcaRunRequest,
  nowMs: number,
  id: string = randomUUID(),
): Promise<{ row: RcaReportRow; result: RcaResult }> {
  const result = await runRcaOnStore(store, {
    model: req.model,
    db: '',
    from: req.window.fromMs,
    to: req.window.toMs,
    baselineRanges: req.baselines,
    metric: req.metric,
    ...(req.feature !== undefined ? { feature: req.feature } : {}),
    segment:
      req.segment === undefined
        ? undefined
        : Object.entries(req.segment)
            .map(([k, v]) => `${k}=${v}`)
            .join(','),
    tags: req.tags?.join(','),
    seed: req.seed ?? 0,
    format: 'json',
  });
  result.trigger = {
    ...result.trigger,
    ...(req.alertId !== undefined ? { alertId: req.alertId } : {}),
    ...(req.text !== undefined ? { text: req.text } : {}),
    baseline: { kind: req.baselineKind, ranges: req.baselines },
  };
  const report = storedReportOf(result);
  const row: RcaReportRow = {
    id,
    model: req.model,
    createdAtMs: nowMs,
    trigger: report.trigger as unknown as Record<string, unknown>,
    window: req.window,
    baseline: {
      fromMs: Math.min(...req.baselines.map((b) => b.fromMs)),
      toMs: Math.max(...req.baselines.map((b) => b.toMs)),
    },
    report: report as unknown as Record<string, unknown>,
  };
  await store.insertRcaReport(row);
  return { row, result };
}

/** What `planAlertRca` needs to know about a fired alert. */
export interface FiredAlert {
  fingerprint: string;
  labels: Record<string, string>;
  /** Window-end time of the point that made it fire. */
  firedAtMs: number;
  /** Window-end time the condition started to hold. */
  activeAtMs: number | null;
  /** Window size of its rule. */
  windowSize: WindowSize;
}

/** Options of {@link planAlertRca}. */
export interface AlertRcaOptions {
  /** `seasonal` (default), `reference` (falls back to seasonal without reference events) or `preceding`. */
  baseline?: 'seasonal' | 'reference' | 'preceding';
  /** Earlier periods in a seasonal baseline. Default 3. */
  seasons?: number;
  /** Longest RCA window of an hourly alert (from the first window the condition held). Default 6 h. */
  maxHourSpanMs?: number;
  /** The model's reference events, if any. */
  reference?: TimeRange;
}

const planDefaults = { baseline: 'seasonal' as const, seasons: 3, maxHourSpanMs: 6 * HOUR };

/** Alert kinds an RCA has nothing to say about (volume, label delay, rejected requests). */
export const RCA_SKIPPED_KINDS: ReadonlySet<string> = new Set(['throughput', 'label_lag', 'ingest']);

/** Parses an alert's segment label (`all`, `<feature>=<v>`, `tags.<name>=<v>`) into an RCA segment. */
export function segmentOfLabel(label: string | undefined): Record<string, string> | undefined {
  if (label === undefined || label === 'all' || label === '') return undefined;
  const i = label.indexOf('=');
  if (i <= 0) return undefined;
  const key = label.slice(0, i);
  return { [key.startsWith('tags.') ? key.slice(5) : key]: label.slice(i + 1) };
}

/**
 * The RCA of a fired alert: the window is the one that made it fire (hourly alerts: back to the
 * first window in which the condition held, at most `maxHourSpanMs`, as an hour holds few events);
 * the metric is the latency metric for latency alerts, the alert's own metric for alerts that name
 * a feature (drift, data quality, cohorts), else `error_rate`; the segment is the alert's unless `all`.
 */
export function planAlertRca(alert: FiredAlert, options: AlertRcaOptions = {}): Omit<RcaRunRequest, 'seed'> {
  const o = { ...planDefaults, ...options };
  const len = lengthOf[alert.windowSize];
  const to = alert.firedAtMs;
  let from = to - len;
  if (alert.windowSize === 'hour' && alert.activeAtMs !== null)
    from = Math.max(to - o.maxHourSpanMs, Math.min(from, alert.activeAtMs - len));
  const window = { fromMs: from, toMs: to };
  const kind = alert.labels.kind ?? '';
  const metricLabel = alert.labels.metric ?? '';
  const latency = kind === 'latency' || metricLabel.includes('latency');
  // Drift, data-quality and cohort alerts name a feature (`drift.<f>`, `missing_rate.<f>`, …).
  const featureAlert = alert.labels.feature !== undefined && !latency;
  const metric = latency ? metricLabel || 'latency_p99' : featureAlert ? metricLabel : 'error_rate';
  let baselineKind: RcaRunRequest['baselineKind'] = o.baseline;
  let baselines: TimeRange[];
  if (o.baseline === 'reference' && o.reference !== undefined) baselines = [o.reference];
  else if (o.baseline === 'preceding') baselines = [{ fromMs: from - (to - from), toMs: from }];
  else {
    baselineKind = 'seasonal';
    const period = 7 * DAY;
    baselines = Array.from({ length: o.seasons }, (_, k) => ({
      fromMs: from - (k + 1) * period,
      toMs: to - (k + 1) * period,
    }));
  }
  const segment = segmentOfLabel(alert.labels.segment);
  return {
    model: alert.labels.model,
    window,
    baselines,
    baselineKind,
    metric,
    ...(segment ? { segment } : {}),
    ...(featureAlert && alert.labels.feature ? { feature: alert.labels.feature } : {}),
    alertId: alert.fingerprint,
    text: `${alert.labels.alertname ?? 'alert'} fired on ${metricLabel} (${alert.labels.segment ?? 'all'}, version ${alert.labels.version ?? '*'})`,
  };
}

/** Fewest stored events a baseline needs before {@link withStoredBaseline} replaces it. */
const MIN_BASELINE_EVENTS = 200;

/**
 * Keeps a plan's baseline when the store holds events in it (at least 200, by the hourly counters);
 * otherwise (a seasonal baseline reaching before the first events) uses the model's reference
 * events, else the span just before the window.
 */
export async function withStoredBaseline<
  T extends Pick<RcaRunRequest, 'model' | 'window' | 'baselines' | 'baselineKind'>,
>(store: Store, plan: T, reference: TimeRange | undefined): Promise<T> {
  let events = 0;
  for (const b of plan.baselines)
    for (const h of await store.queryHourlyAggregates(plan.model, b)) events += h.count;
  if (events >= MIN_BASELINE_EVENTS) return plan;
  const span = plan.window.toMs - plan.window.fromMs;
  return reference !== undefined
    ? { ...plan, baselines: [reference], baselineKind: 'reference' }
    : {
        ...plan,
        baselines: [{ fromMs: plan.window.fromMs - span, toMs: plan.window.fromMs }],
        baselineKind: 'preceding',
      };
}

/** Fewest stored events an RCA window should hold before {@link withEnoughEvents} extends it. */
const MIN_WINDOW_EVENTS = 500;

/**
 * Extends a short window (an hourly alert at night holds a few dozen events) back by whole hours,
 * up to `maxSpanMs` in all, until it holds at least 500 stored events (by the hourly counters);
 * baselines that follow the window (seasonal, preceding) are extended by as much. The earlier hours
 * may predate the incident: the comparisons inside vs outside a tag value or version still hold.
 */
export async function withEnoughEvents<
  T extends Pick<RcaRunRequest, 'model' | 'window' | 'baselines' | 'baselineKind'>,
>(store: Store, plan: T, maxSpanMs = planDefaults.maxHourSpanMs): Promise<T> {
  const earliest = plan.window.toMs - maxSpanMs;
  if (plan.window.fromMs <= earliest) return plan;
  const perHour = new Map<number, number>();
  for (const h of await store.queryHourlyAggregates(plan.model, { fromMs: earliest, toMs: plan.window.toMs }))
    perHour.set(h.hourMs, (perHour.get(h.hourMs) ?? 0) + h.count);
  let events = 0;
  for (const [hour, n] of perHour) if (hour >= plan.window.fromMs) events += n;
  let from = plan.window.fromMs;
  while (events < MIN_WINDOW_EVENTS && from - HOUR >= earliest) {
    from -= HOUR;
    events += perHour.get(from) ?? 0;
  }
  const by = plan.window.fromMs - from;
  if (by === 0) return plan;
  const span = plan.window.toMs - from;
  const baselines =
    plan.baselineKind === 'seasonal'
      ? plan.baselines.map((b) => ({ fromMs: b.fromMs - by, toMs: b.toMs }))
      : plan.baselineKind === 'preceding'
        ? [{ fromMs: from - span, toMs: from }]
        : plan.baselines;
  return { ...plan, window: { fromMs: from, toMs: plan.window.toMs }, baselines };
}

/**
 * The RCA plan of a fired alert on this store, as the server runs it: `planAlertRca` with the
 * model's reference, a window extended to enough events, a baseline that holds events.
 */
export async function planStoredAlertRca(
  store: Store,
  alert: FiredAlert,
  options: Omit<AlertRcaOptions, 'reference'> = {},
): Promise<Omit<RcaRunRequest, 'seed'>> {
  const reference = await referenceRangeOf(store, alert.labels.model);
  const planned = planAlertRca(alert, { ...options, reference });
  // An alert about a feature's quality or drift is about its own hour: earlier hours would dilute it.
  const long = planned.feature === undefined ? await withEnoughEvents(store, planned) : planned;
  return withStoredBaseline(store, long, reference);
}

/** Options of {@link createAlertRcaRunner}. */
export interface AlertRcaRunnerOptions extends Omit<AlertRcaOptions, 'reference'> {
  seed?: number;
}

/** The model's reference events range, when its reference was frozen from stored events. */
export async function referenceRangeOf(store: Store, model: string): Promise<TimeRange | undefined> {
  const ref = await store.getReference(model);
  return ref?.source.kind === 'events' ? { fromMs: ref.source.fromMs, toMs: ref.source.toMs } : undefined;
}

/** The window size of an alert's rule (stored configuration, else the default rules; `day` when unknown). */
export async function windowSizeOf(store: Store, model: string, ruleId: string): Promise<WindowSize> {
  const config = (await store.getAlertConfig(model)) as AlertConfig | undefined;
  const rules = config?.rules ?? defaultRules({ id: model });
  return rules.find((r) => r.id === ruleId)?.window ?? 'day';
}

/**
 * The `onFiring` hook of `AlertManager`: plans and runs the RCA of each alert that fires and stores
 * it. Alerts firing together on the same window, segment and metric share one report.
 */
export function createAlertRcaRunner(
  store: Store,
  options: AlertRcaRunnerOptions = {},
): (alert: AlertInstance, now: number) => Promise<{ rcaId: string } | undefined> {
  const shared = new Map<string, string>();
  return async (alert, now) => {
    if (RCA_SKIPPED_KINDS.has(alert.labels.kind ?? '') || alert.firedAtMs === null) return undefined;
    const model = alert.labels.model;
    if (model === undefined) return undefined;
    const plan = await planStoredAlertRca(
      store,
      {
        fingerprint: alert.fingerprint,
        labels: alert.labels,
        firedAtMs: alert.firedAtMs,
        activeAtMs: alert.activeAtMs,
        windowSize: await windowSizeOf(store, model, alert.ruleId),
      },
      options,
    );
    const key = JSON.stringify([plan.model, plan.window, plan.baselines, plan.metric, plan.segment ?? null]);
    const known = shared.get(key);
    if (known !== undefined) return { rcaId: known };
    const { row } = await runAndStoreRca(store, { ...plan, seed: options.seed ?? 0 }, now);
    if (shared.size > 500) shared.clear();
    shared.set(key, row.id);
    return { rcaId: row.id };
  };
}
