/**
 * One call that evaluates a binary classifier with confidence intervals: what the
 * report and the monitor show for a window.
 *
 * Intervals: Wilson for the proportions (accuracy, precision, recall, specificity),
 * DeLong for ROC-AUC, a seeded percentile bootstrap stratified by class for F1,
 * average precision, log loss and Brier score. Above `bootstrapSampleSize` rows
 * (default 20 000) the bootstrap is m-out-of-n: resamples of that size, deviations
 * scaled by √(m/n) (see `bootstrapInterval`): the bootstrap then costs the same at
 * 1 M rows as at 20 k, and what remains is O(n log n) sorting (about 2–3 s for 1 M rows
 * on this project's loaded 2-core machine).
 * Predictions: `yPred` if given, else score ≥ `threshold` (the ROC convention).
 * An undefined metric (e.g. precision with no predicted positives, AUC with one
 * class) has `value: null` and `ci: null` rather than scikit-learn's 0.
 */

import { type BootstrapInterval, bootstrapIntervals } from '../stats/bootstrap.js';
import { type InsufficientData, insufficientData } from '../stats/insufficient-data.js';
import { checkConfidence, wilsonInterval } from '../stats/wilson.js';
import { averagePrecisionFromCurve, averagePrecisionFromSplit } from './average-precision.js';
import { type BinaryCurve, binaryCurveFromSplit, lowerBound, splitScores } from './binary-curve.js';
import { calibrationBinary, eceFromCurve, type ReliabilityBin } from './calibration.js';
import { delongComponentsSorted, delongIntervalFromComponents } from './delong.js';
import { pointLogLoss } from './log-loss.js';
import { rocAucFromCurve } from './roc-auc.js';

/** Input of {@link evaluateBinary}. */
export interface EvaluateBinaryInput {
  /** True classes, 0 or 1. */
  yTrue: ArrayLike<number>;
  /** P(positive) per row, in [0, 1]; without it the score metrics are omitted. */
  scores?: ArrayLike<number>;
  /** Predicted classes, 0 or 1; default: score ≥ threshold. */
  yPred?: ArrayLike<number>;
  /** Decision threshold on scores when `yPred` is absent; default 0.5. */
  threshold?: number;
  /** Two-sided confidence level of every interval; default 0.95. */
  confidence?: number;
  /** Bootstrap seed; default 0. */
  seed?: number;
  /** Bootstrap resamples; default 200. */
  bootstrapResamples?: number;
  /** Largest bootstrap resample (m-out-of-n above it); default 20 000. */
  bootstrapSampleSize?: number;
  /** Uniform bins of the reliability curve and the ECE; default 10. */
  calibrationBins?: number;
}

/** A metric with its interval; `value` and `ci` are null when the metric is undefined. */
export interface MetricEstimate {
  value: number | null;
  ci: { low: number; high: number } | null;
  method: 'wilson' | 'delong' | 'bootstrap';
  /** Why the metric or its interval is undefined (when `value` or `ci` is null), e.g. "no predicted positives". */
  reason?: string;
}

/** The evaluation of a binary classifier on one set of rows. */
export interface BinaryEvaluation {
  status: 'ok';
  n: number;
  positives: number;
  accuracy: MetricEstimate;
  precision: MetricEstimate;
  recall: MetricEstimate;
  f1: MetricEstimate;
  specificity: MetricEstimate;
  rocAuc?: MetricEstimate & { se: number | null };
  averagePrecision?: MetricEstimate;
  logLoss?: MetricEstimate;
  brier?: MetricEstimate;
  ece?: number;
  reliability?: { bins: ReliabilityBin[] };
  /** Counts at the threshold; `matrix` is [[tn, fp], [fn, tp]] (rows true 0/1, as scikit-learn). */
  confusion: { tp: number; fp: number; fn: number; tn: number; matrix: number[][] };
}

const defaults = {
  threshold: 0.5,
  confidence: 0.95,
  seed: 0,
  bootstrapResamples: 200,
  bootstrapSampleSize: 20_000,
  calibrationBins: 10,
} as const;

/** Evaluates a binary classifier: threshold metrics, score metrics, calibration, all with intervals. */
export function evaluateBinary(input: EvaluateBinaryInput): BinaryEvaluation | InsufficientData {
  const o = { ...defaults, ...input };
  checkConfidence(o.confidence);
  if (Number.isNaN(o.threshold)) throw new RangeError('invalid threshold: NaN (expected a number)');
  const { yTrue, scores } = input;
  const n = yTrue.length;
  const isPositive = toBinary(yTrue, 'yTrue');
  if (scores) checkScores(scores, n);
  if (input.yPred && input.yPred.length !== n)
    throw new RangeError(`invalid yPred: length ${input.yPred.length} (expected ${n})`);
  if (!input.yPred && !scores)
    throw new TypeError('invalid input: neither yPred nor scores (expected at least one)');
  if (n === 0) return insufficientData(0);
  const yPred = input.yPred ? toBinary(input.yPred, 'yPred') : new Uint8Array(n);
  if (!input.yPred) for (let i = 0; i < n; i++) yPred[i] = scores![i] >= o.threshold ? 1 : 0;

  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    positives += isPositive[i];
    if (yPred[i]) isPositive[i] ? tp++ : fp++;
  }
  const fn = positives - tp;
  const tn = n - positives - fp;
  const wilson = (k: number, total: number, empty: string): MetricEstimate => {
    const ci = wilsonInterval(k, total, { confidence: o.confidence });
    return 'status' in ci ? undefinedMetric('wilson', empty) : { value: k / total, ci, method: 'wilson' };
  };
  const result: BinaryEvaluation = {
    status: 'ok',
    n,
    positives,
    accuracy: wilson(tp + tn, n, 'no rows'),
    precision: wilson(tp, tp + fp, 'no predicted positives'),
    recall: wilson(tp, positives, 'no positives'),
    f1: undefinedMetric('bootstrap', 'no positives and no predicted positives'),
    specificity: wilson(tn, n - positives, 'no negatives'),
    confusion: {
      tp,
      fp,
      fn,
      tn,
      matrix: [
        [tn, fp],
        [fn, tp],
      ],
    },
  };
  const statistics: Record<string, (idx: Int32Array) => number> = {
    f1: (idx) => f1OfRows(idx, isPositive, yPred),
  };
  const sampleSize = Math.min(n, o.bootstrapSampleSize);
  if (scores) {
    const split = splitScores(isPositive, scores);
    const curve = binaryCurveFromSplit(split);
    if (split.positives.length >= 2 && split.negatives.length >= 2) {
      const d = delongIntervalFromComponents(delongComponentsSorted(split), o.confidence);
      result.rocAuc = { value: d.auc, ci: { low: d.low, high: d.high }, method: 'delong', se: d.se };
    } else {
      const auc = rocAucFromCurve(curve);
      const reason = Number.isNaN(auc) ? 'needs both classes' : 'DeLong needs 2 positives and 2 negatives';
      result.rocAuc = { value: Number.isNaN(auc) ? null : auc, ci: null, method: 'delong', se: null, reason };
    }
    statistics.averagePrecision = averagePrecisionOfRows(scores, isPositive, curve.thresholds, sampleSize);
    const losses = new Float64Array(n);
    const squared = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      losses[i] = pointLogLoss(isPositive[i], scores[i], Number.EPSILON, i);
      squared[i] = (scores[i] - isPositive[i]) ** 2;
    }
    statistics.logLoss = (idx) => meanOfRows(idx, losses);
    statistics.brier = (idx) => meanOfRows(idx, squared);
  }
  const boot = bootstrapIntervals(n, statistics, {
    resamples: o.bootstrapResamples,
    confidence: o.confidence,
    seed: o.seed,
    strata: isPositive,
    sampleSize,
  });
  if (!('status' in boot)) {
    result.f1 = bootstrapEstimate(boot.f1, 'no positives and no predicted positives');
    if (scores) {
      result.averagePrecision = bootstrapEstimate(boot.averagePrecision, 'no positives');
      result.logLoss = bootstrapEstimate(boot.logLoss, 'no rows');
      result.brier = bootstrapEstimate(boot.brier, 'no rows');
    }
  }
  if (!scores) return result;
  const reliability = calibrationBinary(isPositive, scores, { nBins: o.calibrationBins });
  result.ece = eceFromCurve(reliability);
  result.reliability = { bins: reliability.bins };
  return result;
}

function undefinedMetric(method: MetricEstimate['method'], reason: string): MetricEstimate {
  return { value: null, ci: null, method, reason };
}

function bootstrapEstimate(b: BootstrapInterval | InsufficientData, reason: string): MetricEstimate {
  if ('status' in b || Number.isNaN(b.estimate)) return undefinedMetric('bootstrap', reason);
  const ci = b.resamples > 0 ? { low: b.low, high: b.high } : null;
  return { value: b.estimate, ci, method: 'bootstrap' };
}

// F1 of the resampled rows.
function f1OfRows(idx: Int32Array, isPositive: Uint8Array, yPred: Uint8Array): number {
  let tp = 0;
  let predicted = 0;
  let actual = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    tp += isPositive[i] & yPred[i];
    predicted += yPred[i];
    actual += isPositive[i];
  }
  // F1 = 2tp/(2tp + fp + fn): 0 when nothing is predicted or nothing is positive (as scikit-learn),
  // undefined only when both are empty.
  const denominator = predicted + actual;
  return denominator === 0 ? Number.NaN : (2 * tp) / denominator;
}

function meanOfRows(idx: Int32Array, values: Float64Array): number {
  let s = 0;
  for (let k = 0; k < idx.length; k++) s += values[idx[k]];
  return s / idx.length;
}

// Index of each row's score among the distinct thresholds (decreasing), by binary search.
function bucketOfRows(scores: ArrayLike<number>, thresholds: Float64Array): Int32Array {
  const ascending = thresholds.slice().reverse();
  const last = thresholds.length - 1;
  const out = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = last - lowerBound(ascending, scores[i]);
  return out;
}

// AP of resampled rows. Few distinct scores: per-threshold counts then cumulative sums, O(m + distinct).
// Many (more than 4m): sort the resample's positive and negative scores, O(m log m), as averagePrecision.
function averagePrecisionOfRows(
  scores: ArrayLike<number>,
  isPositive: Uint8Array,
  thresholds: Float64Array,
  m: number,
): (idx: Int32Array) => number {
  const distinct = thresholds.length;
  if (distinct > 4 * m) return averagePrecisionBySorting(scores, isPositive);
  const buckets = bucketOfRows(scores, thresholds);
  const curve: BinaryCurve = {
    tps: new Float64Array(distinct),
    fps: new Float64Array(distinct),
    thresholds: new Float64Array(0),
  };
  return (idx) => {
    const { tps, fps } = curve;
    tps.fill(0);
    fps.fill(0);
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (isPositive[i]) tps[buckets[i]]++;
      else fps[buckets[i]]++;
    }
    for (let b = 1; b < distinct; b++) {
      tps[b] += tps[b - 1];
      fps[b] += fps[b - 1];
    }
    return averagePrecisionFromCurve(curve);
  };
}

function averagePrecisionBySorting(
  scores: ArrayLike<number>,
  isPositive: Uint8Array,
): (idx: Int32Array) => number {
  let positives = new Float64Array(0);
  let negatives = new Float64Array(0);
  return (idx) => {
    if (positives.length < idx.length) {
      positives = new Float64Array(idx.length);
      negatives = new Float64Array(idx.length);
    }
    let p = 0;
    let q = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (isPositive[i]) positives[p++] = scores[i];
      else negatives[q++] = scores[i];
    }
    return averagePrecisionFromSplit({
      positives: positives.subarray(0, p).sort(),
      negatives: negatives.subarray(0, q).sort(),
    });
  };
}

function toBinary(values: ArrayLike<number>, name: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== 0 && v !== 1) throw new RangeError(`invalid ${name}[${i}]: ${String(v)} (expected 0 or 1)`);
    out[i] = v;
  }
  return out;
}

function checkScores(scores: ArrayLike<number>, n: number): void {
  if (scores.length !== n) throw new RangeError(`invalid scores: length ${scores.length} (expected ${n})`);
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    if (!(s >= 0 && s <= 1))
      throw new RangeError(`invalid scores[${i}]: ${s} (expected a probability in [0, 1])`);
  }
}
