/**
 * The shared core of ROC and precision–recall curves: for each distinct score
 * threshold t, in decreasing order, the counts of positives (tps) and negatives
 * (fps) with score ≥ t — as scikit-learn's `_binary_clf_curve` (unweighted).
 *
 * Speed: instead of an index argsort, the scores of positives and of negatives
 * are copied into two Float64Arrays, each sorted with the native typed-array sort
 * (no comparator, no per-element objects), and merged from the top. O(n log n).
 */

import { binarize, checkSameLength, type Label } from './labels.js';

/** Scores split by class, each sorted ascending. */
export interface SplitScores {
  positives: Float64Array;
  negatives: Float64Array;
}

/** Cumulative counts at each distinct threshold, thresholds decreasing. */
export interface BinaryCurve {
  /** Negatives with score ≥ thresholds[i]. */
  fps: Float64Array;
  /** Positives with score ≥ thresholds[i]. */
  tps: Float64Array;
  /** Distinct scores, decreasing. */
  thresholds: Float64Array;
}

/** Options shared by the binary score metrics. */
export interface BinaryScoreOptions {
  /** Label of the positive class; default 1. */
  positiveLabel?: Label;
}

/** Splits scores by class (`isPositive[i]` 1 or 0) and sorts each part ascending; throws on non-finite scores. */
export function splitScores(isPositive: ArrayLike<number>, scores: ArrayLike<number>): SplitScores {
  checkSameLength(isPositive, scores, 'yTrue/scores');
  let p = 0;
  for (let i = 0; i < isPositive.length; i++) if (isPositive[i]) p++;
  const positives = new Float64Array(p);
  const negatives = new Float64Array(isPositive.length - p);
  let a = 0;
  let b = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) throw new RangeError(`invalid scores[${i}]: ${s} (expected a finite number)`);
    if (isPositive[i]) positives[a++] = s;
    else negatives[b++] = s;
  }
  positives.sort();
  negatives.sort();
  return { positives, negatives };
}

/** Splits labelled scores by class: binarises `yTrue` against `positiveLabel`, then {@link splitScores}. */
export function splitLabelledScores(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: BinaryScoreOptions = {},
): SplitScores {
  checkSameLength(yTrue, scores, 'yTrue/scores');
  return splitScores(binarize(yTrue, options.positiveLabel ?? 1), scores);
}

/** Builds the cumulative counts at each distinct threshold from split, sorted scores. */
export function binaryCurveFromSplit({ positives, negatives }: SplitScores): BinaryCurve {
  const cap = positives.length + negatives.length;
  const fps = new Float64Array(cap);
  const tps = new Float64Array(cap);
  const thresholds = new Float64Array(cap);
  let i = positives.length - 1;
  let j = negatives.length - 1;
  let tp = 0;
  let fp = 0;
  let k = 0;
  while (i >= 0 || j >= 0) {
    const pi = i >= 0 ? positives[i] : Number.NEGATIVE_INFINITY;
    const nj = j >= 0 ? negatives[j] : Number.NEGATIVE_INFINITY;
    const t = Math.max(pi, nj);
    while (i >= 0 && positives[i] === t) {
      tp++;
      i--;
    }
    while (j >= 0 && negatives[j] === t) {
      fp++;
      j--;
    }
    fps[k] = fp;
    tps[k] = tp;
    thresholds[k] = t;
    k++;
  }
  return { fps: fps.subarray(0, k), tps: tps.subarray(0, k), thresholds: thresholds.subarray(0, k) };
}

/** Cumulative counts per distinct threshold of `scores` against the binary target `yTrue`. */
export function binaryCurve(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: BinaryScoreOptions = {},
): BinaryCurve {
  return binaryCurveFromSplit(splitLabelledScores(yTrue, scores, options));
}

export { lowerBound, upperBound } from '../stats/binary-search.js';
