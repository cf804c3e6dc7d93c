/**
 * Model metrics of one labelled window, cheap enough to run for every window, version and
 * segment of six months (evaluateBinary's row bootstrap costs ~0.2 s per 14 k-row window;
 * this costs one sort). Same conventions as evaluateBinary (src/metrics/evaluate.ts):
 * - accuracy, precision, recall, specificity: Wilson score intervals;
 * - ROC-AUC: DeLong (1988) interval;
 * - F1: delta-method normal interval under the multinomial law of the four confusion counts
 *   (Var F1 ≈ (Σ πₖ gₖ² − (Σ πₖ gₖ)²)/n, g the gradient of F1 in the cell shares πₖ), the
 *   large-sample limit of evaluateBinary's row bootstrap, at no resampling cost;
 * - log loss and Brier score: mean of the per-row losses with a normal (CLT) interval;
 * - ECE: 10 uniform bins (calibration.ts).
 * Undefined metrics (no predicted positives, one class) have value null.
 */
import { splitScores } from '../metrics/binary-curve.js';
import { calibrationBinary, eceFromCurve } from '../metrics/calibration.js';
import { delongComponentsSorted, delongIntervalFromComponents } from '../metrics/delong.js';
import { pointLogLoss } from '../metrics/log-loss.js';
import { normalQuantile } from '../stats/distributions.js';
import { wilsonInterval } from '../stats/wilson.js';

/** A metric value with its interval. */
export interface MetricValue {
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** Options of {@link computeWindowMetrics}. */
export interface WindowMetricsOptions {
  /** Two-sided confidence level. Default 0.95. */
  confidence?: number;
}

const defaults = { confidence: 0.95 };

/** The metrics of one labelled window. */
export interface WindowMetrics {
  n: number;
  positives: number;
  metrics: Record<
    'accuracy' | 'precision' | 'recall' | 'specificity' | 'f1' | 'roc_auc' | 'log_loss' | 'brier' | 'ece',
    MetricValue
  >;
}

const none: MetricValue = { value: null, ciLow: null, ciHigh: null };

/** Metrics of labelled rows given as 0/1 labels, P(positive) scores and 0/1 predictions. */
export function computeWindowMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  predicted: ArrayLike<number>,
  options: WindowMetricsOptions = {},
): WindowMetrics {
  const o = { ...defaults, ...options };
  const n = labels.length;
  if (scores.length !== n || predicted.length !== n)
    throw new RangeError(
      `invalid input: lengths ${n}, ${scores.length}, ${predicted.length} (expected equal)`,
    );
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let lossSum = 0;
  let lossSq = 0;
  let brierSum = 0;
  let brierSq = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (predicted[i]) y ? tp++ : fp++;
    else if (y) fn++;
    const loss = pointLogLoss(y, scores[i], Number.EPSILON, i);
    lossSum += loss;
    lossSq += loss * loss;
    const b = (scores[i] - y) ** 2;
    brierSum += b;
    brierSq += b * b;
  }
  const tn = n - tp - fp - fn;
  const positives = tp + fn;
  const wilson = (k: number, total: number): MetricValue => {
    const ci = wilsonInterval(k, total, { confidence: o.confidence });
    return 'status' in ci ? none : { value: k / total, ciLow: ci.low, ciHigh: ci.high };
  };
  const z = normalQuantile(1 - (1 - o.confidence) / 2);
  const meanCi = (sum: number, sq: number): MetricValue => {
    if (n === 0) return none;
    const mean = sum / n;
    const sd = n > 1 ? Math.sqrt(Math.max(0, (sq - n * mean * mean) / (n - 1))) : 0;
    return { value: mean, ciLow: mean - (z * sd) / Math.sqrt(n), ciHigh: mean + (z * sd) / Math.sqrt(n) };
  };
  let rocAuc = none;
  if (positives >= 2 && n - positives >= 2) {
    const d = delongIntervalFromComponents(delongComponentsSorted(sortedSplit(labels, scores)), o.confidence);
    rocAuc = { value: d.auc, ciLow: d.low, ciHigh: d.high };
  }
  let ece = none;
  if (n > 0)
    ece = {
      value: eceFromCurve(calibrationBinary(labels, scores, { nBins: 10 })),
      ciLow: null,
      ciHigh: null,
    };
  return {
    n,
    positives,
    metrics: {
      accuracy: wilson(tp + tn, n),
      precision: wilson(tp, tp + fp),
      recall: wilson(tp, positives),
      specificity: wilson(tn, n - positives),
      f1: f1Interval(tp, fp, fn, tn, z),
      roc_auc: rocAuc,
      log_loss: meanCi(lossSum, lossSq),
      brier: meanCi(brierSum, brierSq),
      ece,
    },
  };
}

function sortedSplit(labels: ArrayLike<number>, scores: ArrayLike<number>) {
  const split = splitScores(labels, scores);
  split.positives.sort();
  split.negatives.sort();
  return split;
}

function f1Of(tp: number, fp: number, fn: number): number | null {
  const d = 2 * tp + fp + fn;
  return d > 0 ? (2 * tp) / d : null;
}

function f1Interval(tp: number, fp: number, fn: number, tn: number, z: number): MetricValue {
  const value = f1Of(tp, fp, fn);
  const n = tp + fp + fn + tn;
  if (value === null || n === 0) return none;
  const d = (2 * tp + fp + fn) / n;
  const ga = (2 * (fp + fn)) / n / (d * d);
  const gbc = (-2 * tp) / n / (d * d);
  const mean = (tp * ga + (fp + fn) * gbc) / n;
  const second = (tp * ga * ga + (fp + fn) * gbc * gbc) / n;
  const sd = Math.sqrt(Math.max(0, second - mean * mean) / n);
  return { value, ciLow: Math.max(0, value - z * sd), ciHigh: Math.min(1, value + z * sd) };
}
