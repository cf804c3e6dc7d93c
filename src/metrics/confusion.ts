/**
 * Confusion matrix, as `sklearn.metrics.confusion_matrix`: rows are true
 * classes, columns predicted classes, both in `labels` order (default: the
 * sorted union of the labels in `yTrue` and `yPred`). Samples whose true or
 * predicted label is not in `labels` are ignored, as in scikit-learn.
 */

import { checkSameLength, encodeLabels, type Label, sortLabels } from './labels.js';

/** Options of {@link confusionMatrix}. */
export interface ConfusionOptions {
  /** Class order of rows and columns; default: sorted union of the labels present. */
  labels?: Label[];
}

/** A confusion matrix: `matrix[i][j]` counts samples of true class `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  labels: Label[];
  matrix: number[][];
}

/** Per-class one-vs-rest counts over all samples (as `sklearn.metrics.multilabel_confusion_matrix`). */
export interface ClassCounts {
  labels: Label[];
  /** True positives per class. */
  tp: Float64Array;
  /** Samples predicted as the class (tp + fp). */
  predicted: Float64Array;
  /** Samples truly of the class (tp + fn), the support. */
  actual: Float64Array;
  /** Number of samples. */
  n: number;
}

/** Computes the confusion matrix of `yTrue` against `yPred` (O(n + k²)). */
export function confusionMatrix(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ConfusionOptions = {},
): ConfusionMatrix {
  const { full, classes } = fullConfusion(yTrue, yPred, options.labels);
  const labels = options.labels ? checkLabels(options.labels) : classes;
  const at = labels.map((l) => classes.indexOf(l));
  return { labels, matrix: at.map((r) => at.map((c) => full[r][c])) };
}

/** Counts tp, predicted and actual per class in `labels` order (default: all labels present). */
export function classCounts(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, labels?: Label[]): ClassCounts {
  const { full, classes } = fullConfusion(yTrue, yPred, labels);
  const wanted = labels ? checkLabels(labels) : classes;
  const k = wanted.length;
  const tp = new Float64Array(k);
  const predicted = new Float64Array(k);
  const actual = new Float64Array(k);
  wanted.forEach((label, out) => {
    const c = classes.indexOf(label);
    tp[out] = full[c][c];
    for (let r = 0; r < classes.length; r++) {
      predicted[out] += full[r][c];
      actual[out] += full[c][r];
    }
  });
  return { labels: wanted, tp, predicted, actual, n: yTrue.length };
}

function checkLabels(labels: Label[]): Label[] {
  if (labels.length === 0) throw new RangeError('invalid labels: [] (expected at least one label)');
  if (new Set(labels).size !== labels.length)
    throw new RangeError(`invalid labels: [${labels.join(', ')}] (expected distinct labels)`);
  sortLabels(labels);
  return [...labels];
}

function fullConfusion(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  labels: Label[] = [],
): { full: number[][]; classes: Label[] } {
  checkSameLength(yTrue, yPred, 'yTrue/yPred');
  const { classes, codes } = encodeLabels([yTrue, yPred], labels);
  const k = classes.length;
  const flat = new Float64Array(k * k);
  const [t, p] = codes;
  for (let i = 0; i < t.length; i++) flat[t[i] * k + p[i]]++;
  const full = Array.from({ length: k }, (_, r) => Array.from(flat.subarray(r * k, (r + 1) * k)));
  return { full, classes };
}
