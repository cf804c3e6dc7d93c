/**
 * ROC curve and the area under it, as `sklearn.metrics.roc_curve` and
 * `roc_auc_score` (scikit-learn 1.2.1).
 *
 * The curve has one point per distinct score (ties form one step, so tied
 * positive/negative pairs count ½), starting at (0, 0). The area is the
 * trapezoid rule over those points, computed on integer counts and divided by
 * P·N once, so it is exact up to one rounding (equal to the Mann–Whitney U / (P·N)).
 * Undefined cases (no positives or no negatives, empty input) give NaN where
 * scikit-learn raises. Reference: Fawcett (2006), "An introduction to ROC analysis".
 */

import {
  type BinaryCurve,
  type BinaryScoreOptions,
  binaryCurve,
  binaryCurveFromSplit,
  type SplitScores,
  splitLabelledScores,
  splitScores,
} from './binary-curve.js';
import { checkSameLength, encodeLabels, type Label } from './labels.js';

/** Options of {@link rocCurve}. */
export interface RocCurveOptions extends BinaryScoreOptions {
  /** Drop collinear intermediate points, as scikit-learn's `drop_intermediate` (default true). */
  dropIntermediate?: boolean;
}

/** A ROC curve: false and true positive rates at decreasing thresholds. */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /** thresholds[0] is max(score) + 1 (scikit-learn 1.2.1; later versions use +∞). */
  thresholds: Float64Array;
}

const rocDefaults = { dropIntermediate: true } as const;

/** Area under the ROC curve of `scores` for the binary target `yTrue`; NaN when one class is absent. */
export function rocAuc(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: BinaryScoreOptions = {},
): number {
  return rocAucFromSplit(splitLabelledScores(yTrue, scores, options));
}

/** ROC-AUC from scores already split by class and sorted ({@link splitScores}). */
export function rocAucFromSplit(split: SplitScores): number {
  const p = split.positives.length;
  const n = split.negatives.length;
  if (p === 0 || n === 0) return Number.NaN;
  return rocAucFromCurve(binaryCurveFromSplit(split));
}

/** ROC-AUC from cumulative counts ({@link binaryCurveFromSplit}); NaN when one class is absent. */
export function rocAucFromCurve({ fps, tps }: BinaryCurve): number {
  const n = fps.length > 0 ? fps[fps.length - 1] : 0;
  const p = tps.length > 0 ? tps[tps.length - 1] : 0;
  if (p === 0 || n === 0) return Number.NaN;
  // Twice the area in count units: Σ Δfp·(tp + tp_prev); integers below 2^53, so exact.
  let area2 = 0;
  let fpPrev = 0;
  let tpPrev = 0;
  for (let k = 0; k < fps.length; k++) {
    area2 += (fps[k] - fpPrev) * (tps[k] + tpPrev);
    fpPrev = fps[k];
    tpPrev = tps[k];
  }
  return area2 / (2 * p * n);
}

/** ROC curve as `sklearn.metrics.roc_curve`; rates are NaN when the class they divide by is absent. */
export function rocCurve(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: RocCurveOptions = {},
): RocCurve {
  const { dropIntermediate } = { ...rocDefaults, ...options };
  let { fps, tps, thresholds } = binaryCurve(yTrue, scores, options);
  if (thresholds.length === 0)
    return { fpr: new Float64Array(0), tpr: new Float64Array(0), thresholds: new Float64Array(0) };
  if (dropIntermediate && fps.length > 2) {
    const keep: number[] = [0];
    for (let k = 1; k < fps.length - 1; k++) {
      const bend = fps[k + 1] - 2 * fps[k] + fps[k - 1] !== 0 || tps[k + 1] - 2 * tps[k] + tps[k - 1] !== 0;
      if (bend) keep.push(k);
    }
    keep.push(fps.length - 1);
    fps = Float64Array.from(keep, (k) => fps[k]);
    tps = Float64Array.from(keep, (k) => tps[k]);
    thresholds = Float64Array.from(keep, (k) => thresholds[k]);
  }
  const m = fps.length + 1;
  const negatives = fps[fps.length - 1];
  const positives = tps[tps.length - 1];
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const th = new Float64Array(m);
  th[0] = thresholds[0] + 1;
  for (let k = 1; k < m; k++) {
    fpr[k] = negatives > 0 ? fps[k - 1] / negatives : Number.NaN;
    tpr[k] = positives > 0 ? tps[k - 1] / positives : Number.NaN;
    th[k] = thresholds[k - 1];
  }
  if (negatives <= 0) fpr[0] = Number.NaN;
  if (positives <= 0) tpr[0] = Number.NaN;
  return { fpr, tpr, thresholds: th };
}

/** Options of {@link rocAucOvr}. */
export interface RocAucOvrOptions {
  /** Class of each column of `probabilities`; default: the sorted labels of `yTrue`. */
  labels?: Label[];
  /** `macro` (default): mean over classes; `weighted`: weighted by prevalence; `none`: per class. */
  average?: 'macro' | 'weighted' | 'none';
}

/**
 * One-vs-rest multiclass ROC-AUC, as `roc_auc_score(multi_class='ovr')`: the AUC of
 * column c against `yTrue === labels[c]`, averaged. A class absent from `yTrue` (or the
 * only class) has AUC NaN and is left out of the averages (scikit-learn raises instead).
 * Rows of `probabilities` are not checked to sum to 1.
 */
export function rocAucOvr(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<ArrayLike<number>>,
  options: RocAucOvrOptions & { average: 'none' },
): number[];
export function rocAucOvr(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<ArrayLike<number>>,
  options?: RocAucOvrOptions,
): number;
export function rocAucOvr(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<ArrayLike<number>>,
  options: RocAucOvrOptions = {},
): number | number[] {
  const average = options.average ?? 'macro';
  if (!['macro', 'weighted', 'none'].includes(average))
    throw new RangeError(`invalid average: ${String(average)} (expected macro, weighted or none)`);
  checkSameLength(yTrue, probabilities, 'yTrue/probabilities');
  const { classes, codes } = encodeLabels([yTrue], options.labels ?? []);
  const labels = options.labels ?? classes;
  if (labels.length < classes.length)
    throw new RangeError(`invalid yTrue: labels ${classes.join(', ')} (expected only ${labels.join(', ')})`);
  const n = yTrue.length;
  const columnOf = Int32Array.from(classes, (c) => labels.indexOf(c));
  const column = new Float64Array(n);
  const isPositive = new Uint8Array(n);
  const aucs: number[] = [];
  const prevalence: number[] = [];
  for (let i = 0; i < n; i++) {
    const width = probabilities[i].length;
    if (width !== labels.length)
      throw new RangeError(`invalid probabilities[${i}]: ${width} columns (expected ${labels.length})`);
  }
  for (let c = 0; c < labels.length; c++) {
    let count = 0;
    for (let i = 0; i < n; i++) {
      column[i] = probabilities[i][c];
      isPositive[i] = columnOf[codes[0][i]] === c ? 1 : 0;
      count += isPositive[i];
    }
    aucs.push(rocAucFromSplit(splitScores(isPositive, column)));
    prevalence.push(count / n);
  }
  if (average === 'none') return aucs;
  let num = 0;
  let den = 0;
  aucs.forEach((auc, c) => {
    if (Number.isNaN(auc)) return;
    const w = average === 'weighted' ? prevalence[c] : 1;
    num += w * auc;
    den += w;
  });
  return den === 0 ? Number.NaN : num / den;
}
