/**
 * Assembles the `plumbline report` JSON (see ./types.ts) from columns already
 * in memory: drift per feature (detectDrift), drift of the score and of the
 * label, data quality (checkQuality) and performance with confidence
 * intervals on both sides (evaluateBinary). Pure: no I/O, no clock.
 */
import {
  type ColumnDriftResult,
  type DriftColumn,
  type DriftReport,
  type DriftTests,
  detectDrift,
} from '../drift/detect-drift.js';
import { type PreparedReference, prepareReference } from '../drift/prepare.js';
import { type Counts, checkQuality, type QualityColumn } from '../drift/quality.js';
import { driftTests } from '../drift/registry.js';
import { errors } from '../errors.js';
import { type BinaryEvaluation, evaluateBinary, type MetricEstimate } from '../metrics/evaluate.js';
import { type CategoryCounts, categoryCounts } from '../stats/histogram.js';
import { categoricalDistribution, type Distribution, numericDistribution } from './distributions.js';
import type { ColumnType } from './infer-types.js';
import type { FeatureReport, MetricValue, PerformanceSide, Report, ReportDetails } from './types.js';

/** One feature column of both samples (numeric: NaN missing; categorical/boolean: null missing). */
export type ReportColumn =
  | { name: string; type: 'numeric'; reference: Float64Array; current: Float64Array; invalid?: Counts }
  | {
      name: string;
      type: Exclude<ColumnType, 'numeric' | 'datetime'>;
      reference: (string | null)[];
      current: (string | null)[];
      invalid?: Counts;
    };

/** Everything a report is computed from. */
export interface BuildReportInput {
  rows: Counts;
  features: ReportColumn[];
  /** The true class, as category labels. */
  label?: { name: string; reference: (string | null)[]; current: (string | null)[] };
  /** P(positive class). */
  score?: { name: string; reference: Float64Array; current: Float64Array };
  /** The predicted class, as category labels. */
  prediction?: { name: string; reference: (string | null)[]; current: (string | null)[] };
  /** Exact-duplicate rows per side (counted by the reader). */
  duplicateRows?: Counts;
}

/** Options of `buildReport`. */
export interface BuildReportOptions {
  /** Decision threshold on the score when no prediction column is given. Default 0.5. */
  threshold?: number;
  /**
   * The positive class. Default: '1' if present, else 'true', else the larger of the two
   * classes (numeric order when both are numbers, else code-unit order).
   */
  positive?: string;
  /** Confidence level of the metric intervals. Default 0.95. */
  confidence?: number;
  /** Seed of every resampling (null thresholds, bootstrap intervals). Default 0. */
  seed?: number;
  /** Significance level per feature and false discovery rate across features. Default 0.05. */
  alpha?: number;
  /**
   * Largest bootstrap resample for the F1 / AP / log-loss / Brier intervals (m-out-of-n above it,
   * see evaluateBinary). Default 20 000: at 1 M rows the intervals then cost ~0.1 s per side.
   */
  bootstrapSampleSize?: number;
  /** Reuse the reference side across calls that share it (see `createReportCache`). */
  cache?: ReportCache;
  /** Called as each stage starts ('drift', 'performance'), for progress bars. */
  onStage?: (stage: string) => void;
}

const defaults = { threshold: 0.5, confidence: 0.95, seed: 0, alpha: 0.05, bootstrapSampleSize: 20_000 };

/**
 * Holds what depends only on the reference (prepared drift references, the reference's
 * performance), keyed by the reference arrays' identity, so that comparing many windows with
 * one reference (the demo's months) prepares it once. Results are identical with or without it.
 */
export interface ReportCache {
  prepared: WeakMap<object, PreparedReference>;
  counts: WeakMap<object, CategoryCounts>;
  performance: Map<string, WeakMap<object, EvaluatedSide>>;
}

/** Creates an empty cache for `buildReport`'s `cache` option. */
export function createReportCache(): ReportCache {
  return { prepared: new WeakMap(), counts: new WeakMap(), performance: new Map() };
}

interface EvaluatedSide {
  n: number;
  evaluation: BinaryEvaluation | undefined;
}

/** The distinct non-missing classes of a label over both samples, sorted (numeric when all are numbers). */
export function labelClasses(...samples: readonly (readonly (string | null)[])[]): string[] {
  const seen = new Set<string>();
  for (const s of samples) for (const v of s) if (v !== null) seen.add(v);
  const all = [...seen];
  const numeric = all.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return numeric ? all.sort((a, b) => Number(a) - Number(b)) : all.sort();
}

/** Picks the positive class (see `BuildReportOptions.positive`); throws if `positive` is not a class. */
export function choosePositive(classes: readonly string[], positive?: string, column = 'label'): string {
  if (positive !== undefined) {
    if (!classes.includes(positive)) {
      throw errors.invalidInput(`--positive ${JSON.stringify(positive)} is not a class of ${column}`, [
        {
          field: '--positive',
          value: positive,
          expected: `one of ${classes.map((c) => JSON.stringify(c)).join(', ')}`,
        },
      ]);
    }
    return positive;
  }
  for (const p of ['1', 'true', 'True', 'TRUE', '1.0']) if (classes.includes(p)) return p;
  return classes[classes.length - 1];
}

/** NaN → undefined-free number for JSON: non-finite values become null when serialised. */
export function toJson(report: Report): string {
  return JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}

function toFeatureReport(column: ReportColumn, result: ColumnDriftResult, missing: Counts): FeatureReport {
  const type = column.type === 'numeric' ? 'numeric' : 'categorical';
  const nan = Number.NaN;
  // insufficient data: the contract's fields are still there, as NaN (null in JSON)
  const t: Partial<DriftTests> = result.status === 'ok' ? result.tests : {};
  const test = (r?: { statistic: number; pValue: number }) => ({
    statistic: r?.statistic ?? nan,
    pValue: r?.pValue ?? nan,
  });
  const tests: FeatureReport['tests'] =
    type === 'numeric'
      ? {
          ks: test(t.ks),
          wasserstein: { value: t.wasserstein?.value ?? nan, normalized: t.wasserstein?.normalized ?? nan },
          psi: { value: t.psi?.value ?? nan },
          jensenShannon: { value: t.jensenShannon?.value ?? nan },
        }
      : {
          chiSquare: test(t.chiSquare),
          psi: { value: t.psi?.value ?? nan },
          jensenShannon: { value: t.jensenShannon?.value ?? nan },
        };
  return {
    name: column.name,
    type,
    status: result.status === 'ok' ? 'ok' : 'insufficient_data',
    tests,
    drifted: result.drifted,
    reason: result.reason,
    missing,
  };
}

// Share of missing values per side: NaN in a numeric column, null in a categorical one
// (one monomorphic loop per kind: a million rows per column).
function missingShares(column: ReportColumn): Counts {
  const nanShare = (values: Float64Array) => {
    let k = 0;
    for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) k++;
    return values.length === 0 ? 0 : k / values.length;
  };
  const nullShare = (values: readonly (string | null)[]) => {
    let k = 0;
    for (let i = 0; i < values.length; i++) if (values[i] === null) k++;
    return values.length === 0 ? 0 : k / values.length;
  };
  return column.type === 'numeric'
    ? { reference: nanShare(column.reference), current: nanShare(column.current) }
    : { reference: nullShare(column.reference), current: nullShare(column.current) };
}

/**
 * Validates the label (exactly two classes), the score (probabilities) and the prediction (only
 * label classes) before anything is computed; returns the positive class.
 */
function checkOutputs(
  input: BuildReportInput & { label: NonNullable<BuildReportInput['label']> },
  positiveOption?: string,
): string {
  const classes = labelClasses(input.label.reference, input.label.current);
  if (classes.length !== 2) {
    throw errors.invalidInput(
      `label column ${JSON.stringify(input.label.name)} has ${classes.length} class${classes.length === 1 ? '' : 'es'} (${classes
        .slice(0, 10)
        .map((c) => JSON.stringify(c))
        .join(', ')}${classes.length > 10 ? ', …' : ''}); a binary report needs exactly 2`,
      [{ field: '--label', value: input.label.name, expected: 'a column with exactly 2 distinct classes' }],
    );
  }
  const positive = choosePositive(classes, positiveOption, input.label.name);
  if (input.score) {
    for (const which of ['reference', 'current'] as const) {
      const values = input.score[which];
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v < 0 || v > 1 || v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY) {
          throw errors.invalidInput(
            `score column ${JSON.stringify(input.score.name)} is not a probability: row ${i + 1} of the ${which} is ${v}`,
            [{ field: '--score', value: v, expected: 'P(positive class), a number in [0, 1]', index: i }],
          );
        }
      }
    }
  }
  if (input.prediction) {
    const unknown = labelClasses(input.prediction.reference, input.prediction.current).filter(
      (c) => !classes.includes(c),
    );
    if (unknown.length > 0) {
      throw errors.invalidInput(
        `prediction column ${JSON.stringify(input.prediction.name)} has values that are not classes of ${JSON.stringify(input.label.name)}: ${unknown
          .slice(0, 5)
          .map((c) => JSON.stringify(c))
          .join(', ')}`,
        [
          {
            field: '--prediction',
            value: unknown[0],
            expected: `one of ${classes.map((c) => JSON.stringify(c)).join(', ')}`,
          },
        ],
      );
    }
  }
  return positive;
}

/** Builds the report and the extra details the HTML draws. */
export function buildReport(
  input: BuildReportInput,
  options: BuildReportOptions = {},
): { report: Report; details: ReportDetails } {
  const o = resolveOptions(options);
  const profile = profileReport(input, o);
  o.onStage?.('drift');
  const drift = detectDrift(driftColumns(profile.withOutputs, o.cache), { seed: o.seed, alpha: o.alpha });
  return assembleReport(input, o, profile, drift);
}

type ResolvedOptions = typeof defaults & BuildReportOptions;

/** Options with their defaults, checked. */
export function resolveOptions(options: BuildReportOptions): ResolvedOptions {
  const o = { ...defaults, ...options };
  if (!(o.threshold > 0 && o.threshold < 1)) {
    throw new RangeError(`invalid threshold: ${o.threshold} (expected a number in (0, 1))`);
  }
  return o;
}

/** What the report needs besides drift: the columns drift is run on, distributions, quality, the positive class. */
export interface ReportProfile {
  withOutputs: ReportColumn[];
  distributions: Map<string, Distribution>;
  quality: ReturnType<typeof checkQuality>;
  positive: string;
  /** Missing share of each of `withOutputs`, per side. */
  missing: Counts[];
}

/** The features plus the score (numeric) and the label (categorical): the columns drift is tested on. */
export function columnsWithOutputs(input: BuildReportInput): ReportColumn[] {
  const withOutputs: ReportColumn[] = [...input.features];
  if (input.score) withOutputs.push({ ...input.score, type: 'numeric' });
  if (input.label) withOutputs.push({ ...input.label, type: 'categorical' });
  return withOutputs;
}

/** The label, score and prediction checked (throws on a bad one); the positive class, '' without outputs. */
export function checkReportOutputs(input: BuildReportInput, o: ResolvedOptions): string {
  return input.label && (input.score || input.prediction)
    ? checkOutputs({ ...input, label: input.label }, o.positive)
    : '';
}

/** Distributions, category counts and quality of every column (validates the outputs first). */
export function profileReport(
  input: BuildReportInput,
  o: ResolvedOptions,
  // fail fast on a bad label, score or prediction, before the expensive parts
  positive = checkReportOutputs(input, o),
): ReportProfile {
  const distributions = new Map<string, Distribution>();
  const withOutputs = columnsWithOutputs(input);
  const counted = new Map<string, { reference: CategoryCounts; current: CategoryCounts }>();
  for (const c of withOutputs) {
    if (c.type === 'numeric') {
      distributions.set(c.name, numericDistribution(c.reference, c.current));
      continue;
    }
    let reference = o.cache?.counts.get(c.reference);
    if (!reference) {
      reference = categoryCounts(c.reference);
      o.cache?.counts.set(c.reference, reference);
    }
    const counts = { reference, current: categoryCounts(c.current) };
    counted.set(c.name, counts);
    distributions.set(c.name, categoricalDistribution(counts.reference.counts, counts.current.counts));
  }

  const quality = checkQuality({
    columns: input.features.map(
      (c): QualityColumn =>
        c.type === 'numeric'
          ? { name: c.name, type: 'numeric', reference: c.reference, current: c.current, invalid: c.invalid }
          : {
              name: c.name,
              type: 'categorical',
              reference: c.reference,
              current: c.current,
              invalid: c.invalid,
              counts: counted.get(c.name),
            },
    ),
    duplicateRows: input.duplicateRows,
  });
  return { withOutputs, distributions, quality, positive, missing: withOutputs.map(missingShares) };
}

/** detectDrift's input for the report's columns, references prepared once (and cached when a cache is given). */
export function driftColumns(withOutputs: readonly ReportColumn[], cache?: ReportCache): DriftColumn[] {
  const prepare = (c: ReportColumn): PreparedReference => {
    let prepared = cache?.prepared.get(c.reference);
    if (!prepared) {
      prepared =
        c.type === 'numeric'
          ? prepareReference({ type: 'numeric', values: c.reference })
          : prepareReference({ type: 'categorical', values: c.reference });
      cache?.prepared.set(c.reference, prepared);
    }
    return prepared;
  };
  return withOutputs.map((c) => ({
    name: c.name,
    type: c.type === 'numeric' ? 'numeric' : 'categorical',
    reference: prepare(c),
    current: c.current,
  }));
}

/** Puts drift, quality, distributions and the performance of both sides together. */
export function assembleReport(
  input: BuildReportInput,
  o: ResolvedOptions,
  profile: ReportProfile,
  drift: DriftReport,
  performance = evaluatePerformance(input, o, profile.positive),
): { report: Report; details: ReportDetails } {
  const { withOutputs, distributions, quality, missing } = profile;
  const reports = withOutputs.map((c, i) => toFeatureReport(c, drift.columns[i], missing[i]));
  const decidedBy = new Map<string, { significance: string; effect: string }>();
  drift.columns.forEach((r) => {
    if (r.status === 'ok')
      decidedBy.set(r.name, { significance: r.significance.test, effect: r.effect.test });
  });
  const features = reports.slice(0, input.features.length);
  const rest = reports.slice(input.features.length);
  const score = input.score ? rest.shift() : undefined;
  const label = input.label ? rest.shift() : undefined;
  const driftedFeatures = features.filter((f) => f.drifted).length;

  const report: Report = {
    summary: {
      verdict: driftedFeatures > 0 || score?.drifted ? 'drift' : 'stable',
      driftedFeatures,
      nFeatures: features.length,
      rows: input.rows,
    },
    features,
    ...(score ? { score } : {}),
    ...(label ? { label } : {}),
    quality: { issues: quality.issues },
  };
  const details: ReportDetails = {
    distributions,
    decidedBy,
    thresholds: {
      alpha: o.alpha,
      psi: driftTests.psi.materialFloor ?? 0.1,
      wasserstein: driftTests.wasserstein.materialFloor ?? 0.1,
      jensenShannon: driftTests.jensenShannon.materialFloor ?? 0.1,
    },
  };
  if (performance) {
    report.performance = performance.performance;
    if (performance.reliability) details.reliability = performance.reliability;
  }
  return { report, details };
}

/** The performance part of a report (both sides), undefined without a label and a score or prediction. */
export interface ReportPerformance {
  performance: NonNullable<Report['performance']>;
  reliability?: ReportDetails['reliability'];
}

/** Evaluates both sides (evaluateBinary), the reference side cached when a cache is given. */
export function evaluatePerformance(
  input: BuildReportInput,
  o: ResolvedOptions,
  positive: string,
): ReportPerformance | undefined {
  if (!(input.label && (input.score || input.prediction))) return undefined;
  o.onStage?.('performance');
  const side = (which: 'reference' | 'current'): EvaluatedSide => {
    const labels = input.label![which];
    const scores = input.score?.[which];
    const preds = input.prediction?.[which];
    // the rows with a label and a score (or, without scores, a prediction), in one pass into typed arrays
    const n = labels.length;
    const truth = new Float64Array(n);
    const scored = scores ? new Float64Array(n) : undefined;
    const predicted = preds ? new Float64Array(n) : undefined;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] === null) continue;
      if (scores && Number.isNaN(scores[i])) continue;
      if (!scores && preds && preds[i] === null) continue;
      truth[kept] = labels[i] === positive ? 1 : 0;
      if (scored) scored[kept] = scores![i];
      if (predicted) predicted[kept] = preds![i] === positive ? 1 : 0;
      kept++;
    }
    const yTrue = truth.subarray(0, kept);
    const s = scored?.subarray(0, kept);
    const yPred = predicted?.subarray(0, kept);
    const e = evaluateBinary({
      yTrue,
      ...(s ? { scores: s } : {}),
      ...(yPred ? { yPred } : {}),
      threshold: o.threshold,
      confidence: o.confidence,
      seed: o.seed,
      bootstrapSampleSize: o.bootstrapSampleSize,
    });
    return { n: kept, evaluation: e.status === 'ok' ? e : undefined };
  };
  const key = JSON.stringify([
    positive,
    o.threshold,
    o.confidence,
    o.seed,
    o.bootstrapSampleSize,
    input.score?.name,
  ]);
  const anchor: object = input.score?.reference ?? input.prediction?.reference ?? input.label.reference;
  let byAnchor = o.cache?.performance.get(key);
  if (o.cache && !byAnchor) {
    byAnchor = new WeakMap();
    o.cache.performance.set(key, byAnchor);
  }
  let ref = byAnchor?.get(anchor);
  if (!ref) {
    ref = side('reference');
    byAnchor?.set(anchor, ref);
  }
  const cur = side('current');
  const m = (v: MetricEstimate | undefined): MetricValue | undefined =>
    v === undefined
      ? undefined
      : v.ci
        ? { value: v.value, ci: { low: v.ci.low, high: v.ci.high } }
        : { value: v.value };
  const pick = (e: BinaryEvaluation | undefined, n: number): PerformanceSide => {
    const none = { value: null };
    if (!e) return { n, accuracy: none, precision: none, recall: none, f1: none };
    const out: PerformanceSide = {
      n: e.n,
      accuracy: m(e.accuracy)!,
      precision: m(e.precision)!,
      recall: m(e.recall)!,
      f1: m(e.f1)!,
    };
    if (e.rocAuc) out.rocAuc = m(e.rocAuc);
    if (e.averagePrecision) out.averagePrecision = m(e.averagePrecision);
    if (e.logLoss) out.logLoss = m(e.logLoss);
    if (e.brier) out.brier = m(e.brier);
    return out;
  };
  const out: ReportPerformance = {
    performance: {
      positive,
      threshold: o.threshold,
      reference: pick(ref.evaluation, ref.n),
      current: pick(cur.evaluation, cur.n),
    },
  };
  const rr = ref.evaluation?.reliability;
  const cr = cur.evaluation?.reliability;
  if (rr && cr) {
    const curve = (r: typeof rr) =>
      r.bins.map((b) => ({ predicted: b.meanPredicted, observed: b.fractionPositive, count: b.count }));
    out.reliability = { reference: curve(rr), current: curve(cr) };
  }
  return out;
}
