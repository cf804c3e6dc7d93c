/**
 * One call that evaluates a binary classifier with confidence intervals: what the
 * report and the monitor show for a window.
 *
 * Intervals: Wilson for the proportions (accuracy, precision, recall, specificity),
 * DeLong for ROC-AUC, and seeded percentile bootstraps stratified by class for F1 and
 * average precision.
 * - F1 depends on the rows only through the confusion counts, so its stratified bootstrap
 *   is drawn on the counts: tp* ~ Bin(P, tp/P) among the P positives, fp* ~ Bin(N, fp/N)
 *   among the N negatives (exact binomial sampler of drift/multinomial.ts). That is the
 *   same distribution as resampling all n rows within class, at O(resamples · log n).
 * - Average precision resamples rows; above `bootstrapSampleSize` rows (default 20 000)
 *   m-out-of-n: resamples of that size, deviations scaled by √(m/n) (see
 *   `bootstrapInterval`), so it costs the same at 1 M rows as at 20 k.
 * - Log loss and Brier score are means of per-row losses: by default the normal (CLT)
 *   interval mean ± z·s/√n, s the sample standard deviation (ddof 1), z = Φ⁻¹(1 − α/2)
 *   (Wasserman, All of Statistics, 2004, §6.3.2; the `t`-free large-sample interval),
 *   clipped to the metric's range (log loss ≥ 0, Brier in [0, 1]), O(n);
 *   `lossInterval: 'bootstrap'` resamples them with the AP bootstrap instead.
 * Predictions: `yPred` if given, else score ≥ `threshold` (the ROC convention).
 * An undefined metric (e.g. precision with no predicted positives, AUC with one
 * class) has `value: null` and `ci: null` rather than scikit-learn's 0.
 */

import { sampleBinomial } from '../drift/multinomial.js';
import { type BootstrapInterval, bootstrapIntervals, percentileInterval } from '../stats/bootstrap.js';
import { normalQuantile } from '../stats/distributions.js';
import { type InsufficientData, insufficientData } from '../stats/insufficient-data.js';
import { createRng } from '../stats/random.js';
import { sortFloat64InPlace } from '../stats/sort.js';
import { checkConfidence, wilsonInterval } from '../stats/wilson.js';
import { averagePrecisionFromCurve, averagePrecisionFromSplit } from './average-precision.js';
import {
  type BinaryCurve,
  binaryCurveFromSplit,
  lowerBound,
  type SplitScores,
  splitScores,
} from './binary-curve.js';
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
  /** Interval of log loss and Brier: 'normal' (CLT, default) or 'bootstrap'. */
  lossInterval?: 'normal' | 'bootstrap';
}

/** A metric with its interval; `value` and `ci` are null when the metric is undefined. */
export interface MetricEstimate {
  value: number | null;
  ci: { low: number; high: number } | null;
  method: 'wilson' | 'delong' | 'bootstrap' | 'normal';
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
  lossInterval: 'normal',
} as const;

/** Evaluates a binary classifier: threshold metrics, score metrics, calibration, all with intervals. */
export function evaluateBinary(input: EvaluateBinaryInput): BinaryEvaluation | InsufficientData {
  const o = { ...defaults, ...input };
  checkConfidence(o.confidence);
  if (Number.isNaN(o.threshold)) throw new RangeError('invalid threshold: NaN (expected a number)');
  if (o.lossInterval !== 'normal' && o.lossInterval !== 'bootstrap')
    throw new RangeError(
      `invalid lossInterval: ${String(o.lossInterval)} (expected 'normal' or 'bootstrap')`,
    );
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
    f1: f1Estimate(tp, fp, positives, n - positives, o),
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
  if (!scores) return result;
  const statistics: Record<string, (idx: Int32Array) => number> = {};
  const sampleSize = Math.min(n, o.bootstrapSampleSize);
  {
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
    const ap = averagePrecisionFromCurve(curve);
    if (o.lossInterval === 'normal' && curve.thresholds.length > 4 * sampleSize)
      result.averagePrecision = averagePrecisionBootstrap(split, ap, sampleSize, o);
    else
      statistics.averagePrecision = averagePrecisionOfRows(
        scores,
        isPositive,
        curve.thresholds,
        sampleSize,
        ap,
      );
    const losses = new Float64Array(n);
    const squared = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      losses[i] = pointLogLoss(isPositive[i], scores[i], Number.EPSILON, i);
      squared[i] = (scores[i] - isPositive[i]) ** 2;
    }
    if (o.lossInterval === 'bootstrap') {
      statistics.logLoss = (idx) => meanOfRows(idx, losses);
      statistics.brier = (idx) => meanOfRows(idx, squared);
    } else {
      result.logLoss = normalMeanEstimate(losses, o.confidence, Number.POSITIVE_INFINITY);
      result.brier = normalMeanEstimate(squared, o.confidence, 1);
    }
  }
  const boot =
    Object.keys(statistics).length === 0
      ? undefined
      : bootstrapIntervals(n, statistics, {
          resamples: o.bootstrapResamples,
          confidence: o.confidence,
          seed: o.seed,
          strata: isPositive,
          sampleSize,
        });
  if (boot && !('status' in boot)) {
    if (boot.averagePrecision)
      result.averagePrecision = bootstrapEstimate(boot.averagePrecision, 'no positives');
    if (o.lossInterval === 'bootstrap') {
      result.logLoss = bootstrapEstimate(boot.logLoss, 'no rows');
      result.brier = bootstrapEstimate(boot.brier, 'no rows');
    }
  }
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

// F1 = 2tp/(2tp + fp + fn) = 2tp/(predicted + positives): 0 when nothing is predicted or nothing is
// positive (as scikit-learn), undefined (NaN) only when both are empty.
function f1Of(tp: number, fp: number, positives: number): number {
  const denominator = tp + fp + positives;
  return denominator === 0 ? Number.NaN : (2 * tp) / denominator;
}

// F1 with its stratified bootstrap drawn on the confusion counts (see the module comment).
function f1Estimate(
  tp: number,
  fp: number,
  positives: number,
  negatives: number,
  o: { seed: number; bootstrapResamples: number; confidence: number },
): MetricEstimate {
  const estimate = f1Of(tp, fp, positives);
  if (Number.isNaN(estimate)) return undefinedMetric('bootstrap', 'no positives and no predicted positives');
  if (!(Number.isInteger(o.bootstrapResamples) && o.bootstrapResamples >= 1))
    throw new RangeError(`invalid resamples: ${o.bootstrapResamples} (expected a positive integer)`);
  const rng = createRng(o.seed);
  const recall = positives > 0 ? tp / positives : 0;
  const falsePositiveRate = negatives > 0 ? fp / negatives : 0;
  const values = new Float64Array(o.bootstrapResamples);
  let valid = 0;
  for (let b = 0; b < values.length; b++) {
    const v = f1Of(
      sampleBinomial(rng, positives, recall),
      sampleBinomial(rng, negatives, falsePositiveRate),
      positives,
    );
    if (!Number.isNaN(v)) values[valid++] = v;
  }
  const n = positives + negatives;
  const b = percentileInterval(values.subarray(0, valid), estimate, o.confidence, n, n);
  return bootstrapEstimate(b, 'no positives and no predicted positives');
}

// AP's stratified (m-out-of-n) bootstrap drawn on positions in the class-split sorted scores.
// A resample's positions are drawn already sorted: the order statistics of k uniforms are
// S_1/S_{k+1} … S_k/S_{k+1} with S_j partial sums of Exp(1) variables (Devroye, Non-Uniform
// Random Variate Generation, 1986, §V.2), and ⌊U·len⌋ of sorted uniforms are sorted uniform
// positions. So no sort at all, reads in ascending order, scores already sorted. Same
// distribution and sizes as resampling the rows within class (bootstrapIntervals with strata).
function averagePrecisionBootstrap(
  split: SplitScores,
  estimate: number,
  m: number,
  o: { seed: number; bootstrapResamples: number; confidence: number },
): MetricEstimate {
  const n = split.positives.length + split.negatives.length;
  const size = (len: number) => (len === 0 ? 0 : m === n ? len : Math.max(1, Math.round((len * m) / n)));
  const rng = createRng(o.seed);
  const draw = (sorted: Float64Array) => {
    const k = size(sorted.length);
    const sums = new Float64Array(k);
    const out = new Float64Array(k);
    return () => {
      let sum = 0;
      for (let t = 0; t < k; t++) {
        sum -= Math.log(1 - rng.next());
        sums[t] = sum;
      }
      const scale = sorted.length / (sum - Math.log(1 - rng.next()));
      for (let t = 0; t < k; t++) out[t] = sorted[Math.min(sorted.length - 1, Math.floor(sums[t] * scale))];
      return out;
    };
  };
  const positives = draw(split.positives);
  const negatives = draw(split.negatives);
  const values = new Float64Array(o.bootstrapResamples);
  let valid = 0;
  for (let b = 0; b < values.length; b++) {
    const v = averagePrecisionFromSplit({ positives: positives(), negatives: negatives() });
    if (!Number.isNaN(v)) values[valid++] = v;
  }
  const sampleSize = size(split.positives.length) + size(split.negatives.length);
  const interval = percentileInterval(values.subarray(0, valid), estimate, o.confidence, sampleSize, n);
  return bootstrapEstimate(interval, 'no positives');
}

// Mean of per-row values in [0, max] with its normal (CLT) interval mean ± z·s/√n (s with ddof 1;
// two passes), clipped to [0, max].
function normalMeanEstimate(values: Float64Array, confidence: number, max: number): MetricEstimate {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n < 2) return { value: mean, ci: null, method: 'normal', reason: 'needs 2 rows' };
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - mean) ** 2;
  const halfWidth = (normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt(squares / (n - 1))) / Math.sqrt(n);
  const ci = { low: Math.max(0, mean - halfWidth), high: Math.min(max, mean + halfWidth) };
  return { value: mean, ci, method: 'normal' };
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
// `full` is the AP of all n rows, returned for the bootstrap's full-data evaluation without recomputing.
function averagePrecisionOfRows(
  scores: ArrayLike<number>,
  isPositive: Uint8Array,
  thresholds: Float64Array,
  m: number,
  full: number,
): (idx: Int32Array) => number {
  const distinct = thresholds.length;
  const n = isPositive.length;
  if (distinct > 4 * m) {
    const resampled = averagePrecisionBySorting(scores, isPositive);
    // distinct ≤ n, so this path means m < n/4: only the full-data evaluation has n indices
    return (idx) => (idx.length === n ? full : resampled(idx));
  }
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
      positives: sortFloat64InPlace(positives.subarray(0, p)),
      negatives: sortFloat64InPlace(negatives.subarray(0, q)),
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
