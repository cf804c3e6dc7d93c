/**
 * The signals of one window, version and segment, as metric points. Pure: columns in, points out.
 *
 * | group  | metrics | windows, segments |
 * |--------|---------|-------------------|
 * | infra  | throughput, latency_p50/p95/p99 (ms) | every window and segment |
 * | labels | label_coverage (Wilson), label_delay_p50/p95 (ms) | every window and segment |
 * | model  | accuracy, precision, recall, specificity, f1, roc_auc, log_loss, brier, ece (labelled rows, ≥ minLabelled); cbpe.accuracy/precision/recall/f1/roc_auc (estimated, all rows); positive_rate (two-proportion test vs reference); score_drift | day windows, every segment (score_drift: segment 'all') |
 * | data   | drift.<feature> (detectDrift's rule with cached nulls, window-drift.ts: significant AND material, BH across features); missing_rate.<f>, new_category_rate.<f>, out_of_range_rate.<f> | day windows, segment 'all' |
 *
 * Like is compared with like (DESIGN.md): drift and model metrics on day windows against the whole
 * reference; hour windows carry only volume, latency and label signals.
 */
import { calibrateAll, estimatePerformance } from '../metrics/cbpe.js';
import { twoProportionZTest } from '../stats/two-proportion.js';
import { wilsonInterval } from '../stats/wilson.js';
import type { DictionaryColumn, EventColumns, MetricPoint, Model, WindowSize } from '../store/store.js';
import { dayDistanceLimit, dayPredictionInterval, minReferenceDays } from './day-baseline.js';
import { dictionaryValues, type QualityProfile, type ReferenceProfile } from './reference-profile.js';
import { finiteQuantilesInPlace } from './select-quantiles.js';
import { detectWindowDrift, type WindowDriftColumn } from './window-drift.js';
import { computeWindowMetrics } from './window-metrics.js';

/** Thresholds of the signals; every field documented with its default. */
export interface SignalOptions {
  /** Fewest non-missing values for a drift verdict (features and score). Default 200. */
  minDriftSamples?: number;
  /** Fewest labelled rows for model metrics. Default 100. */
  minLabelled?: number;
  /** Fewest rows for CBPE and the positive-rate test. Default 100. */
  minRows?: number;
  /** Significance level / false discovery rate. Default 0.05. */
  alpha?: number;
  /** Smallest positive-rate change (absolute) that is material. Default 0.02. */
  positiveRateFloor?: number;
  /** Smallest ECE increase over the reference ECE that is material. Default 0.02. */
  eceFloor?: number;
  /** A missing-rate increase (absolute) that is significant. Default 0.05. */
  missingIncrease?: number;
  /** A share of new categories or out-of-range values that is significant. Default 0.01. */
  unexpectedShare?: number;
  /** Seed of every resampling. Default 0. */
  seed?: number;
  /**
   * Level of the day-level prediction intervals (day-baseline.ts) of segment 'all'; a segment's
   * is divided by its window's family size (Bonferroni over segments × metrics). Default 0.01.
   */
  dayAlpha?: number;
  /** Smallest change of accuracy, ROC-AUC or their CBPE estimates that is material. Default 0.02. */
  metricFloor?: number;
}

/** Defaults of {@link SignalOptions}. */
export const signalDefaults: Required<SignalOptions> = {
  minDriftSamples: 200,
  minLabelled: 100,
  minRows: 100,
  alpha: 0.05,
  positiveRateFloor: 0.02,
  eceFloor: 0.02,
  missingIncrease: 0.05,
  unexpectedShare: 0.01,
  seed: 0,
  dayAlpha: 0.01,
  metricFloor: 0.02,
};

/** Input of {@link computeWindowSignals}. */
export interface WindowSignalsInput {
  model: Model;
  columns: EventColumns;
  /** Row indices of this window, version and segment. */
  rows: Int32Array;
  window: { size: WindowSize; startMs: number };
  version: string;
  segment: string;
  profile?: ReferenceProfile;
  /** Accepted events of the window from the 100 % counters (throughput), when known. */
  events?: number;
  /** Tests of the window's family for Bonferroni (segment series × day-tested metrics). Default 1. */
  family?: number;
  /** The whole window's `accuracy_gap` (segments are also compared with it). */
  parentGap?: number;
  options?: SignalOptions;
}

/** The values of `source` at `rows`, as float64 (a plain loop: Array.from with a mapper is slow). */
function gather(source: ArrayLike<number>, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = source[rows[k]];
  return out;
}

type PointFields = Omit<MetricPoint, 'model' | 'version' | 'window' | 'segment'>;

/** Quantiles (type 7) of the finite values, by selection (select-quantiles.ts). */
const msQuantiles = finiteQuantilesInPlace;

/** Computes every signal of one window, version and segment (see the module table). */
export function computeWindowSignals(input: WindowSignalsInput): MetricPoint[] {
  const o = { ...signalDefaults, ...input.options };
  const { model, columns: c, rows, profile } = input;
  const n = rows.length;
  const out: MetricPoint[] = [];
  const emit = (f: PointFields) =>
    out.push({ model: model.id, version: input.version, window: input.window, segment: input.segment, ...f });
  const ok = (metric: string, value: number | null, count: number, extra: Partial<PointFields> = {}) =>
    emit({ metric, value, ciLow: null, ciHigh: null, n: count, status: 'ok', estimated: false, ...extra });
  const insufficient = (metric: string, count: number, estimated = false) =>
    emit({
      metric,
      value: null,
      ciLow: null,
      ciHigh: null,
      n: count,
      status: 'insufficient_data',
      estimated,
    });

  // Day windows are compared with the reference's days (day-baseline.ts) when it has them.
  const dayMetrics = input.window.size === 'day' ? profile?.days?.metrics.get(input.segment) : undefined;
  const byDays = input.window.size === 'day' && (profile?.days?.days ?? 0) >= minReferenceDays;
  const alphaDay = input.segment === 'all' ? o.dayAlpha : o.dayAlpha / Math.max(1, input.family ?? 1);
  /** The day-level verdict of a metric, or undefined when the reference has no such days. */
  const dayVerdict = (metric: string, value: number | null): Partial<PointFields> | undefined => {
    const values = dayMetrics?.[metric];
    if (!values || value === null) return undefined;
    const eq = input.segment.indexOf('=');
    const prior =
      eq > 0 ? profile?.days?.priors.get(`${input.segment.slice(0, eq)}\u0000${metric}`) : undefined;
    const pi = dayPredictionInterval(values, alphaDay, prior);
    if (pi.status !== 'ok') return undefined;
    const outside = value < pi.low || value > pi.high;
    return {
      baseline: pi.mean,
      significant: outside && Math.abs(value - pi.mean) >= o.metricFloor,
      detail: {
        dayBaseline: { days: pi.k, mean: pi.mean, sd: pi.sd, low: pi.low, high: pi.high, alpha: alphaDay },
      },
    };
  };
  /** Drift also beyond every reference day's own distance (day windows). */
  const beyondDays = (name: string, test: string, value: number) => {
    const d = input.window.size === 'day' ? profile?.days?.drift.get(name) : undefined;
    const limit = d && d.test === test ? dayDistanceLimit(d.values) : null;
    return { limit, beyond: limit === null || value > limit };
  };

  //// infra ////
  ok(
    'throughput',
    input.events ?? n,
    input.events ?? n,
    input.events !== undefined ? { detail: { storedRows: n } } : {},
  );
  const latency = msQuantiles(gather(c.latencyMs, rows), [0.5, 0.95, 0.99]);
  ['latency_p50', 'latency_p95', 'latency_p99'].forEach((m, k) => {
    if (latency.n === 0) insufficient(m, 0);
    else ok(m, latency.q[k], latency.n);
  });

  //// labels ////
  let labelled = 0;
  for (let k = 0; k < n; k++) if (c.label[rows[k]] >= 0) labelled++;
  const cov = wilsonInterval(labelled, n);
  if ('status' in cov) insufficient('label_coverage', n);
  else
    emit({
      metric: 'label_coverage',
      value: labelled / n,
      ciLow: cov.low,
      ciHigh: cov.high,
      n,
      status: 'ok',
      estimated: false,
    });
  const delay = msQuantiles(gather(c.labelDelayMs, rows), [0.5, 0.95]);
  ['label_delay_p50', 'label_delay_p95'].forEach((m, k) => {
    if (delay.n === 0) insufficient(m, 0);
    else ok(m, delay.q[k], delay.n);
  });
  if (input.window.size !== 'day') {
    // Data quality needs no like-with-like slice (the reference rates hold at any hour): hourly.
    // All versions only: a version's hourly rows are a share of the same hour's (and these points
    // are most of an hour's).
    if (input.segment === 'all' && input.version === '*' && profile)
      for (const [name, ref] of profile.features) {
        const col = c.features[name];
        if (!col) continue;
        const current = col.kind === 'numeric' ? gather(col.values, rows) : { col, rows };
        qualityPoints(name, ref.quality, current, n, o, emit);
      }
    return out;
  }

  //// model ////
  const lrows = new Int32Array(labelled);
  let k = 0;
  for (let j = 0; j < n; j++) if (c.label[rows[j]] >= 0) lrows[k++] = rows[j];
  const names = [
    'accuracy',
    'precision',
    'recall',
    'specificity',
    'f1',
    'roc_auc',
    'log_loss',
    'brier',
    'ece',
  ] as const;
  let realizedAccuracy: number | null = null;
  if (lrows.length >= o.minLabelled) {
    const wm = computeWindowMetrics(
      gather(c.label, lrows),
      gather(c.score, lrows),
      gather(c.predicted, lrows),
    );
    for (const m of names) {
      const v = wm.metrics[m];
      const baseline = profile?.metrics?.metrics[m].value ?? undefined;
      const extra: Partial<PointFields> = { ciLow: v.ciLow, ciHigh: v.ciHigh };
      const day = m === 'accuracy' || m === 'roc_auc' ? dayVerdict(m, v.value) : undefined;
      if (day) Object.assign(extra, day);
      else if (byDays && (m === 'accuracy' || m === 'roc_auc')) {
        // No days of this segment in the reference: nothing like-with-like to compare with.
      } else if (baseline !== undefined && baseline !== null) {
        extra.baseline = baseline;
        if (m === 'ece' && v.value !== null) extra.significant = v.value - baseline >= o.eceFloor;
        else if (v.ciLow !== null && v.ciHigh !== null)
          // The reference value lies outside this window's interval.
          extra.significant = baseline < v.ciLow || baseline > v.ciHigh;
      }
      ok(m, v.value, lrows.length, extra);
    }
    realizedAccuracy = wm.metrics.accuracy.value;
  } else for (const m of names) insufficient(m, lrows.length);

  // The window's scores, gathered once for CBPE and the score drift.
  let windowScores: Float64Array | undefined;
  const scoresOf = () => (windowScores ??= gather(c.score, rows));
  const cbpeNames = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'] as const;
  const cbpeMetric = (m: (typeof cbpeNames)[number]) => `cbpe.${m === 'rocAuc' ? 'roc_auc' : m}`;
  if (profile?.calibrator && n >= o.minRows) {
    const scores = scoresOf();
    const est = estimatePerformance(scores, calibrateAll(profile.calibrator, scores), {
      yPred: gather(c.predicted, rows),
      interval: 'analytic',
    });
    // Realized minus expected accuracy: what the labels say beyond what the scores predicted
    // (weekday and traffic-mix effects cancel; label problems and concept shift remain).
    const expected = est.metrics.accuracy.value;
    if (realizedAccuracy !== null && expected !== null) {
      const gap = realizedAccuracy - expected;
      const verdict = dayVerdict('accuracy_gap', gap);
      // A segment is judged by its gap beyond the whole window's (against the reference days of
      // that difference): a storm everywhere (a national delay wave) is the model-wide alert's.
      const vsAll =
        input.parentGap !== undefined ? dayVerdict('accuracy_gap_vs_all', gap - input.parentGap) : undefined;
      if (verdict && vsAll) {
        // The segment's own verdict is its gap beyond the whole window's: what is wrong everywhere
        // is the model-wide series' alert.
        verdict.significant = vsAll.significant === true;
        verdict.detail = {
          ...verdict.detail,
          vsAll: { value: gap - (input.parentGap as number), ...vsAll.detail },
        };
      }
      ok('accuracy_gap', gap, lrows.length, verdict ?? {});
    } else insufficient('accuracy_gap', lrows.length);
    for (const m of cbpeNames) {
      const e = est.metrics[m];
      const baseline = profile.metrics?.metrics[m === 'rocAuc' ? 'roc_auc' : m].value;
      // Against the reference days when it has them; else the whole reference's value.
      const verdict =
        dayVerdict(cbpeMetric(m), e.value) ??
        (byDays || baseline === null || baseline === undefined
          ? {}
          : { baseline, significant: e.ci !== null && (baseline < e.ci.low || baseline > e.ci.high) });
      emit({
        metric: cbpeMetric(m),
        value: e.value,
        ciLow: e.ci?.low ?? null,
        ciHigh: e.ci?.high ?? null,
        n,
        status: 'ok',
        estimated: true,
        ...verdict,
      });
    }
  } else if (profile?.calibrator) for (const m of cbpeNames) insufficient(cbpeMetric(m), n, true);

  let positive = 0;
  for (let k = 0; k < n; k++) positive += c.predicted[rows[k]];
  if (n >= o.minRows) {
    const ci = wilsonInterval(positive, n);
    const extra: Partial<PointFields> = 'status' in ci ? {} : { ciLow: ci.low, ciHigh: ci.high };
    const ref = profile?.positiveRate;
    const day = dayVerdict('positive_rate', positive / n);
    if (day) Object.assign(extra, day);
    else if (byDays) {
      // no days of this segment in the reference
    } else if (ref && ref.n > 0) {
      const t = twoProportionZTest(positive, n, Math.round(ref.value * ref.n), ref.n);
      extra.baseline = ref.value;
      if (t.status === 'ok') {
        extra.significant = t.pValue <= o.alpha && Math.abs(t.difference) >= o.positiveRateFloor;
        extra.detail = { test: 'two-proportion z', statistic: t.statistic, pValue: t.pValue };
      }
    }
    ok('positive_rate', positive / n, n, extra);
  } else insufficient('positive_rate', n);

  // Segments differ from the whole reference by construction: the score is compared on 'all' only.
  if (profile?.score && input.segment === 'all') {
    const [r] = detectWindowDrift(
      [{ name: `score\u0000${input.version}`, reference: profile.score, current: scoresOf() }],
      profile.nullCache,
      { alpha: o.alpha, minSamples: o.minDriftSamples, seed: o.seed },
    ).columns;
    if (r.status === 'ok') {
      const days = beyondDays('score', r.effect.test, r.effect.value);
      ok('score_drift', r.effect.value, r.n, {
        baseline: r.effect.floor,
        significant: r.drifted && days.beyond,
        detail: {
          test: r.significance.test,
          pValue: r.significance.pValue,
          effect: r.effect,
          reason: r.reason,
          dayLimit: days.limit,
        },
      });
    } else insufficient('score_drift', r.n);
  }
  if (input.segment !== 'all' || !profile) return out;

  //// data ////
  const driftColumns: WindowDriftColumn[] = [];
  for (const [name, ref] of profile.features) {
    const col = c.features[name];
    if (!col) continue;
    const current = col.kind === 'numeric' ? gather(col.values, rows) : dictionaryValues(col, rows);
    driftColumns.push({ name, reference: ref.prepared, current });
    qualityPoints(name, ref.quality, current, n, o, emit);
  }
  const report = detectWindowDrift(driftColumns, profile.nullCache, {
    alpha: o.alpha,
    minSamples: o.minDriftSamples,
    seed: o.seed,
  });
  for (const r of report.columns) {
    if (r.status !== 'ok') {
      insufficient(`drift.${r.name}`, r.n);
      continue;
    }
    const days = beyondDays(r.name, r.effect.test, r.effect.value);
    ok(`drift.${r.name}`, r.effect.value, r.n, {
      baseline: r.effect.floor,
      significant: r.drifted && days.beyond,
      detail: {
        dayLimit: days.limit,
        test: r.significance.test,
        pValue: r.significance.pValue,
        adjustedPValue: r.significance.adjustedPValue,
        effect: r.effect.test,
        debiased: r.effect.debiased,
        significantTest: r.significant,
        material: r.material,
        reason: r.reason,
      },
    });
  }
  return out;
}

/** True for the hourly data-quality points, which only the all-versions series carries. */
export const allVersionsOnly = (p: Pick<MetricPoint, 'metric' | 'window'>): boolean =>
  p.window.size === 'hour' && /^(missing_rate|new_category_rate|out_of_range_rate)\./.test(p.metric);

/** Per dictionary (one per column and chunk): 1 where the code is a reference category. */
const knownCodes = new WeakMap<string[], Uint8Array>();

/**
 * Missing, new-category and out-of-range rates with Wilson intervals; significant when the
 * interval's lower bound clears the reference rate by the floor (`missingIncrease`,
 * `unexpectedShare`): surely material at this sample size, so a few rows of a quiet hour cannot fire.
 */
function qualityPoints(
  name: string,
  q: QualityProfile,
  current: Float64Array | (string | null)[] | { col: DictionaryColumn; rows: Int32Array },
  n: number,
  o: Required<SignalOptions>,
  emit: (f: PointFields) => void,
): void {
  if (n === 0) return;
  let missing = 0;
  let unexpected = 0;
  const examples = new Set<string>();
  if ('col' in current) {
    // Dictionary codes against the reference categories, flagged once per dictionary (hourly windows).
    const { col, rows } = current;
    let known = knownCodes.get(col.dictionary);
    if (!known) {
      known = Uint8Array.from(col.dictionary, (v) => (q.categories?.has(v) ? 1 : 0));
      knownCodes.set(col.dictionary, known);
    }
    for (let k = 0; k < n; k++) {
      const code = col.codes[rows[k]];
      if (code < 0) missing++;
      else if (q.categories && known[code] === 0) {
        unexpected++;
        if (examples.size < 5) examples.add(col.dictionary[code]);
      }
    }
  } else
    for (let k = 0; k < n; k++) {
      const v = current[k];
      if (v === null || (typeof v === 'number' && Number.isNaN(v))) missing++;
      else if (typeof v === 'number') {
        if (q.min !== undefined && q.max !== undefined && (v < q.min || v > q.max)) unexpected++;
      } else if (q.categories && !q.categories.has(v)) {
        unexpected++;
        if (examples.size < 5) examples.add(v);
      }
    }
  const rate = (
    metric: string,
    count: number,
    total: number,
    baseline: number,
    floor: number,
    detail?: Record<string, unknown>,
  ) => {
    const ci = wilsonInterval(count, total);
    if ('status' in ci) return;
    emit({
      metric,
      value: count / total,
      ciLow: ci.low,
      ciHigh: ci.high,
      n: total,
      status: 'ok',
      estimated: false,
      baseline,
      significant: ci.low - baseline >= floor,
      ...(detail ? { detail } : {}),
    });
  };
  rate(`missing_rate.${name}`, missing, n, q.missingRate, o.missingIncrease);
  const present = n - missing;
  if (present === 0) return;
  if (q.categories)
    rate(
      `new_category_rate.${name}`,
      unexpected,
      present,
      0,
      o.unexpectedShare,
      examples.size > 0 ? { examples: [...examples] } : undefined,
    );
  else rate(`out_of_range_rate.${name}`, unexpected, present, 0, o.unexpectedShare);
}
