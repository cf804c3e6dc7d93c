/**
 * Alert reliability on the flights demo's stored data: false alarms per model-month on the
 * stationary replay (nothing drifts by construction), detection delay per incident and false
 * alarms on the default scenario, for Plumbline's default rules and for the fixed-threshold
 * baseline common tools default to (a two-sample KS test per numeric feature, chi-square per
 * categorical one, p < 0.05, on each day window against the reference; an alert per feature
 * fires on a flagged day and resolves on the first unflagged one). Both read the SAME stored
 * events and metric points.
 *
 *   node --import tsx bench/alert-reliability.ts \
 *     --stationary /tmp/h2-stat/plumbline.duckdb --default /tmp/h2-def/plumbline.duckdb [--monitor]
 *
 * Each DB is a finished demo run (`plumbline demo --no-serve --out DIR [--scenario …]`); its
 * `summary.json` beside it gives the scenario. The DB is copied first (never modified);
 * `--monitor` recomputes the monitor points on the copy (`runMonitor --full`) and times the pass.
 * The KS / chi-square p-values are src/stats' (checked against scipy.stats.ks_2samp and
 * chi2_contingency fixtures in test/stats).
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { backtestAlerts } from '../src/alerts/backtest.js';
import { formatTable } from '../src/alerts/format-table.js';
import { defaultInhibitRules, defaultRules } from '../src/alerts/rules.js';
import {
  type AlertRecord,
  type AlertSummary,
  type SummaryIncidentInput,
  summarizeAlerts,
} from '../src/alerts/summary.js';
import { dayRangeMs, type Scenario } from '../src/demo/scenario.js';
import { runMonitor } from '../src/monitor/run-monitor.js';
import { sliceWindows } from '../src/monitor/windows.js';
import { chiSquareHomogeneity } from '../src/stats/chi-square.js';
import { ks2SampSorted } from '../src/stats/ks.js';
import { sortFloat64 } from '../src/stats/quantile.js';
import { createDuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { DictionaryColumn, EventColumns, NumericColumn, Store } from '../src/store/store.js';

const MODEL = 'flights-delay';
const DAY = 86_400_000;
const MONTH = 30 * DAY;

interface Figures {
  episodes: number;
  falseAlarms: number;
  perModelMonth: number;
  summary: AlertSummary;
}

function figures(
  alerts: AlertRecord[],
  incidents: SummaryIncidentInput[],
  fromMs: number,
  toMs: number,
): Figures {
  const summary = summarizeAlerts(alerts, incidents, { endMs: toMs });
  return {
    episodes: alerts.length,
    falseAlarms: summary.falseAlarms,
    perModelMonth: summary.falseAlarms / ((toMs - fromMs) / MONTH),
    summary,
  };
}

/** Plumbline: the default rules replayed over the stored metric points, window by window. */
async function plumbline(store: Store, fromMs: number, toMs: number) {
  const points = await store.queryMetricPoints({ model: MODEL, fromMs, toMs });
  const r = backtestAlerts({ rules: defaultRules({ id: MODEL }), points, inhibitRules: defaultInhibitRules });
  return r.alerts;
}

const categoryCounts = (col: DictionaryColumn, begin: number, end: number) => {
  const counts = new Map<string, number>();
  for (let i = begin; i < end; i++) {
    const c = col.codes[i];
    if (c < 0) continue;
    const k = col.dictionary[c];
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
};

const finiteSorted = (values: Float64Array, begin: number, end: number) =>
  sortFloat64(values.subarray(begin, end).filter(Number.isFinite));

/** The baseline: per feature and day, KS (numeric) or chi-square (categorical) p < 0.05 vs the reference. */
async function ksBaseline(store: Store, scenario: Scenario, fromMs: number, toMs: number) {
  const ref = await store.queryEventColumns(MODEL, dayRangeMs(scenario.reference), { withLabels: false });
  const cur: EventColumns = await store.queryEventColumns(MODEL, { fromMs, toMs }, { withLabels: false });
  const features = Object.keys(cur.features);
  const refSorted = new Map<string, Float64Array>();
  const refCounts = new Map<string, Map<string, number>>();
  for (const f of features) {
    const col = ref.features[f];
    if (col.kind === 'numeric') refSorted.set(f, finiteSorted(col.values, 0, ref.n));
    else refCounts.set(f, categoryCounts(col, 0, ref.n));
  }
  const days = sliceWindows(cur.timeMs, 'day');
  const flagged = new Map<string, boolean[]>(features.map((f) => [f, []]));
  for (const d of days) {
    for (const f of features) {
      const col = cur.features[f];
      const r =
        col.kind === 'numeric'
          ? ks2SampSorted(
              refSorted.get(f) as Float64Array,
              finiteSorted((col as NumericColumn).values, d.begin, d.end),
            )
          : chiSquareHomogeneity(
              refCounts.get(f) as Map<string, number>,
              categoryCounts(col, d.begin, d.end),
            );
      flagged.get(f)?.push(r.status === 'ok' && r.pValue < 0.05);
    }
  }
  // One alert per feature: fires at the end of a flagged day, resolves at the end of the next unflagged one.
  const alerts: AlertRecord[] = [];
  let flaggedDays = 0;
  for (const f of features) {
    const flags = flagged.get(f) as boolean[];
    flaggedDays += flags.filter(Boolean).length;
    for (let k = 0; k < days.length; k++) {
      if (!flags[k] || (k > 0 && flags[k - 1])) continue;
      let e = k;
      while (e + 1 < days.length && flags[e + 1]) e++;
      alerts.push({
        fingerprint: `ks:${f}:${k}`,
        rule: 'ks-p<0.05',
        kind: 'feature_drift',
        scope: { metric: `drift.${f}`, segment: 'all', version: '*', feature: f },
        severity: 'warning',
        firedAt: new Date(days[k].startMs + DAY).toISOString(),
        resolvedAt: e + 1 < days.length ? new Date(days[e + 1].startMs + DAY).toISOString() : null,
        escalation: [],
        acknowledgedAt: null,
        notified: true,
      });
    }
  }
  return { alerts, flaggedDays, tests: days.length * features.length, days: days.length };
}

async function measure(path: string, monitor: boolean) {
  const summaryJson = JSON.parse(await readFile(join(dirname(path), 'summary.json'), 'utf8')) as {
    scenario: Scenario;
  };
  const scenario = summaryJson.scenario;
  const { fromMs, toMs } = dayRangeMs(scenario.replay);
  const incidents: SummaryIncidentInput[] = scenario.incidents.map((i, index) => ({ index, ...i }));
  const dir = await mkdtemp(join(tmpdir(), 'plb-alert-rel-'));
  const copy = join(dir, 'copy.duckdb');
  await copyFile(path, copy);
  const store = await createDuckDbStore({ path: copy });
  try {
    let monitorSeconds: number | null = null;
    if (monitor) {
      const t = performance.now();
      await runMonitor({
        store,
        model: MODEL,
        fromMs,
        toMs,
        nowMs: toMs + DAY,
        full: true,
        referenceRange: dayRangeMs(scenario.reference),
      });
      monitorSeconds = (performance.now() - t) / 1000;
    }
    const t = performance.now();
    const ours = figures(await plumbline(store, fromMs, toMs), incidents, fromMs, toMs);
    const alertSeconds = (performance.now() - t) / 1000;
    const ks = await ksBaseline(store, scenario, fromMs, toMs);
    const base = figures(ks.alerts, incidents, fromMs, toMs);
    return { scenario, fromMs, toMs, ours, base, ks, monitorSeconds, alertSeconds };
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const minutes = (m: number | null) => (m === null ? 'missed' : `${m} min`);

async function main() {
  const { values } = parseArgs({
    options: {
      stationary: { type: 'string' },
      default: { type: 'string' },
      monitor: { type: 'boolean', default: false },
    },
  });
  const runs: [string, string | undefined][] = [
    ['stationary', values.stationary],
    ['default', values.default],
  ];
  const rows: string[][] = [];
  for (const [name, path] of runs) {
    if (!path) continue;
    const r = await measure(path, values.monitor ?? false);
    const days = Math.round((r.toMs - r.fromMs) / DAY);
    process.stdout.write(
      `\n== ${name}: ${path} (${days} replay days, ${r.scenario.incidents.length} incident(s))\n` +
        (r.monitorSeconds !== null ? `monitor pass (full): ${r.monitorSeconds.toFixed(1)} s\n` : '') +
        `Plumbline default rules: ${r.ours.episodes} episode(s), ${r.ours.falseAlarms} false alarm(s) = ` +
        `${r.ours.perModelMonth.toFixed(2)} per model-month (backtest ${r.alertSeconds.toFixed(1)} s)\n` +
        `KS/chi-square p < 0.05 per feature and day: ${r.ks.flaggedDays} of ${r.ks.tests} feature-days flagged; ` +
        `${r.base.episodes} episode(s), ${r.base.falseAlarms} false alarm(s) = ${r.base.perModelMonth.toFixed(2)} per model-month\n`,
    );
    for (const [k, inc] of r.scenario.incidents.entries()) {
      const a = r.ours.summary.incidents[k];
      const b = r.base.summary.incidents[k];
      const first = a.firstSpecificAlert ?? a.firstAlert;
      rows.push([
        name,
        `${k} ${inc.kind}`,
        minutes(a.firstSpecificAlert ? a.specificDelayMinutes : a.detectionDelayMinutes),
        first
          ? `${first.rule.split(':').pop()} ${first.scope.metric} ${first.scope.segment} (${first.matchedBy})`
          : '-',
        minutes(b.detectionDelayMinutes),
      ]);
    }
    rows.push([
      name,
      'false alarms / model-month',
      r.ours.perModelMonth.toFixed(2),
      '',
      r.base.perModelMonth.toFixed(2),
    ]);
  }
  process.stdout.write(
    `\n${formatTable(['run', 'incident', 'Plumbline delay', 'first matching alert', 'KS p<0.05 delay'], rows)}\n`,
  );
}

await main();
