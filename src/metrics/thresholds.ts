/**
 * Metrics across decision thresholds: at threshold t a sample is predicted
 * positive when its score is ≥ t (scikit-learn's convention in `roc_curve` and
 * `precision_recall_curve`). For each threshold: tp, fp, fn, tn, precision,
 * recall (= TPR), F1, FPR. Precision and recall take `zeroDivision` (default 0,
 * as scikit-learn's precision_score/recall_score) when their denominator is 0;
 * FPR is NaN without negatives (as roc_curve).
 */

import {
  type BinaryScoreOptions,
  binaryCurveFromSplit,
  lowerBound,
  type SplitScores,
  splitLabelledScores,
} from './binary-curve.js';
import { divideOr, f1From } from './classification.js';
import type { Label } from './labels.js';

/** Options of {@link metricsAtThresholds}. */
export interface ThresholdOptions extends BinaryScoreOptions {
  /** Thresholds to evaluate, in any order; default: every distinct score, decreasing. */
  thresholds?: ArrayLike<number>;
  /** Value of precision/recall/F1 when their denominator is 0; default 0. */
  zeroDivision?: number;
}

/** Confusion counts and rates at each threshold (arrays aligned with `thresholds`). */
export interface ThresholdMetrics {
  thresholds: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  tn: Float64Array;
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  fpr: Float64Array;
}

/** Computes confusion counts, precision, recall, F1 and FPR at each threshold (O(n log n + m log n)). */
export function metricsAtThresholds(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: ThresholdOptions = {},
): ThresholdMetrics {
  const split = splitLabelledScores(yTrue, scores, options);
  const { tps, fps, thresholds } = options.thresholds
    ? countsAt(split, Float64Array.from(options.thresholds))
    : binaryCurveFromSplit(split);
  const zd = options.zeroDivision ?? 0;
  const p = split.positives.length;
  const n = split.negatives.length;
  const m = thresholds.length;
  const out: ThresholdMetrics = {
    thresholds: Float64Array.from(thresholds),
    tp: Float64Array.from(tps),
    fp: Float64Array.from(fps),
    fn: new Float64Array(m),
    tn: new Float64Array(m),
    precision: new Float64Array(m),
    recall: new Float64Array(m),
    f1: new Float64Array(m),
    fpr: new Float64Array(m),
  };
  for (let k = 0; k < m; k++) {
    out.fn[k] = p - tps[k];
    out.tn[k] = n - fps[k];
    out.precision[k] = divideOr(tps[k], tps[k] + fps[k], zd);
    out.recall[k] = divideOr(tps[k], p, zd);
    out.f1[k] = f1From(out.precision[k], out.recall[k]);
    out.fpr[k] = n === 0 ? Number.NaN : fps[k] / n;
  }
  return out;
}

function countsAt(split: SplitScores, thresholds: Float64Array) {
  for (const t of thresholds)
    if (Number.isNaN(t)) throw new RangeError('invalid thresholds: NaN (expected numbers)');
  return {
    thresholds,
    tps: thresholds.map((t) => split.positives.length - lowerBound(split.positives, t)),
    fps: thresholds.map((t) => split.negatives.length - lowerBound(split.negatives, t)),
  };
}
