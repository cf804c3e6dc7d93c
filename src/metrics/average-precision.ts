/**
 * Average precision and the precision–recall curve, as
 * `sklearn.metrics.average_precision_score` and `precision_recall_curve`
 * (scikit-learn 1.2.1).
 *
 * AP = Σ_k (R_k − R_{k−1}) · P_k over distinct thresholds in decreasing order
 * (step-wise, not interpolated; tied scores form one step). Undefined without
 * positives: NaN (scikit-learn 1.2.1 warns and returns 0). Reference: Zhu (2004),
 * "Recall, precision and average precision"; scikit-learn user guide §3.3.2.8.
 */

import {
  type BinaryCurve,
  type BinaryScoreOptions,
  binaryCurve,
  binaryCurveFromSplit,
  type SplitScores,
  splitLabelledScores,
} from './binary-curve.js';
import type { Label } from './labels.js';

/** A precision–recall curve, thresholds increasing; precision ends with 1 and recall with 0. */
export interface PrecisionRecallCurve {
  precision: Float64Array;
  recall: Float64Array;
  thresholds: Float64Array;
}

/** Average precision of `scores` for the binary target `yTrue`; NaN when there are no positives. */
export function averagePrecision(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: BinaryScoreOptions = {},
): number {
  return averagePrecisionFromSplit(splitLabelledScores(yTrue, scores, options));
}

/** Average precision from scores already split by class and sorted. */
export function averagePrecisionFromSplit(split: SplitScores): number {
  const p = split.positives.length;
  if (p === 0) return Number.NaN;
  return averagePrecisionFromCurve(binaryCurveFromSplit(split));
}

/** Average precision from cumulative counts ({@link binaryCurveFromSplit}). */
export function averagePrecisionFromCurve({ fps, tps }: BinaryCurve): number {
  const p = tps.length > 0 ? tps[tps.length - 1] : 0;
  if (p === 0) return Number.NaN;
  let ap = 0;
  let tpPrev = 0;
  for (let k = 0; k < tps.length; k++) {
    const tp = tps[k];
    if (tp !== tpPrev) ap += ((tp - tpPrev) / p) * (tp / (tp + fps[k]));
    tpPrev = tp;
  }
  return ap;
}

/**
 * Precision–recall curve as `sklearn.metrics.precision_recall_curve` (1.2.1): one
 * point per distinct score, thresholds increasing, then the point (recall 0, precision 1).
 * Without positives, recall is 1 everywhere (as scikit-learn).
 */
export function precisionRecallCurve(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: BinaryScoreOptions = {},
): PrecisionRecallCurve {
  const { fps, tps, thresholds } = binaryCurve(yTrue, scores, options);
  const m = tps.length;
  const p = m > 0 ? tps[m - 1] : 0;
  const precision = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const th = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const out = m - 1 - k;
    const predicted = tps[k] + fps[k];
    precision[out] = predicted === 0 ? 0 : tps[k] / predicted;
    recall[out] = p === 0 ? 1 : tps[k] / p;
    th[out] = thresholds[k];
  }
  precision[m] = 1;
  recall[m] = 0;
  return { precision, recall, thresholds: th };
}
