/**
 * Threshold metrics from predicted classes: accuracy, precision, recall, F1 and
 * specificity, as `sklearn.metrics.precision_recall_fscore_support` (scikit-learn
 * 1.2.1), for binary and multiclass targets.
 *
 * Definitions per class c (one-vs-rest counts over all samples):
 * precision = tp/(tp+fp), recall = tp/(tp+fn), F1 = 2·P·R/(P+R) (computed from
 * P and R after zero-division substitution, 0 when P+R = 0, as scikit-learn),
 * specificity = tn/(tn+fp) (not in scikit-learn; averaged like the others).
 * Averages: `binary` (the positive class only), `macro` (unweighted mean over
 * classes), `micro` (from counts summed over classes), `weighted` (mean weighted
 * by support), `none` (one value per class, in `labels` order).
 * Zero division: a ratio whose denominator is 0 takes `zeroDivision` (default 0,
 * which is what scikit-learn returns, with a warning, for `zero_division='warn'`).
 */

import { type ClassCounts, classCounts } from './confusion.js';
import { checkSameLength, type Label, sortLabels } from './labels.js';

/** How per-class values are combined; `none` returns one value per class. */
export type Average = 'binary' | 'macro' | 'micro' | 'weighted' | 'none';

/** Options of the precision/recall/F1/specificity functions. */
export interface ClassificationOptions {
  /** Averaging; default `'binary'` (as scikit-learn). */
  average?: Average;
  /** Positive class for `average: 'binary'`; default 1. */
  positiveLabel?: Label;
  /** Classes to include and their order; default: the sorted union of the labels present. */
  labels?: Label[];
  /** Value of a ratio whose denominator is 0: 0 (default, as scikit-learn), 1, or NaN. */
  zeroDivision?: number;
}

const defaults = { average: 'binary', positiveLabel: 1, zeroDivision: 0 } as const;

type Metric = 'precision' | 'recall' | 'f1' | 'specificity';
type NoneOptions = ClassificationOptions & { average: 'none' };

/** Fraction of samples whose predicted label equals the true label, as `sklearn.metrics.accuracy_score`. */
export function accuracy(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>): number {
  checkSameLength(yTrue, yPred, 'yTrue/yPred');
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return yTrue.length === 0 ? Number.NaN : hits / yTrue.length;
}

/** Precision tp/(tp+fp), as `sklearn.metrics.precision_score`. */
export function precision(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: NoneOptions): number[];
export function precision(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options?: ClassificationOptions,
): number;
export function precision(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ClassificationOptions = {},
) {
  return averaged('precision', yTrue, yPred, options);
}

/** Recall (sensitivity) tp/(tp+fn), as `sklearn.metrics.recall_score`. */
export function recall(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: NoneOptions): number[];
export function recall(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options?: ClassificationOptions,
): number;
export function recall(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ClassificationOptions = {},
) {
  return averaged('recall', yTrue, yPred, options);
}

/** F1 = 2PR/(P+R), as `sklearn.metrics.f1_score`. */
export function f1(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: NoneOptions): number[];
export function f1(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options?: ClassificationOptions): number;
export function f1(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: ClassificationOptions = {}) {
  return averaged('f1', yTrue, yPred, options);
}

/** Specificity tn/(tn+fp), averaged like recall (micro: Σtn/Σ(tn+fp), weighted by support). */
export function specificity(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, options: NoneOptions): number[];
export function specificity(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options?: ClassificationOptions,
): number;
export function specificity(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ClassificationOptions = {},
) {
  return averaged('specificity', yTrue, yPred, options);
}

/** Ratio num/den, or `zeroDivision` when den = 0 (as scikit-learn's `_prf_divide`). */
export function divideOr(num: number, den: number, zeroDivision: number): number {
  return den === 0 ? zeroDivision : num / den;
}

/** F1 from precision and recall, 0 when both are 0 (as scikit-learn). */
export function f1From(p: number, r: number): number {
  const den = p + r;
  return den === 0 ? 0 : (2 * p * r) / den;
}

function averaged(
  metric: Metric,
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: ClassificationOptions,
): number | number[] {
  const { average, positiveLabel, zeroDivision } = { ...defaults, ...options };
  if (!['binary', 'macro', 'micro', 'weighted', 'none'].includes(average))
    throw new RangeError(
      `invalid average: ${String(average)} (expected binary, macro, micro, weighted or none)`,
    );
  checkSameLength(yTrue, yPred, 'yTrue/yPred');
  let labels = options.labels;
  if (average === 'binary') labels = [binaryLabel(yTrue, yPred, positiveLabel)];
  const counts = classCounts(yTrue, yPred, labels);
  if (average === 'micro') return valueFor(metric, sum(counts), zeroDivision)[0];
  const values = valueFor(metric, counts, zeroDivision);
  if (average === 'none') return values;
  if (average === 'weighted') {
    const total = counts.actual.reduce((a, b) => a + b, 0);
    if (total === 0) return weightedWithoutSupport(metric, counts, zeroDivision);
    return values.reduce((acc, v, i) => acc + v * counts.actual[i], 0) / total;
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function valueFor(metric: Metric, c: ClassCounts, zd: number): number[] {
  return Array.from(c.tp, (tp, i) => {
    const p = divideOr(tp, c.predicted[i], zd);
    const r = divideOr(tp, c.actual[i], zd);
    if (metric === 'precision') return p;
    if (metric === 'recall') return r;
    if (metric === 'f1') return f1From(p, r);
    const fp = c.predicted[i] - tp;
    const negatives = c.n - c.actual[i];
    return divideOr(negatives - fp, negatives, zd);
  });
}

function sum(c: ClassCounts): ClassCounts {
  const total = (a: Float64Array) => Float64Array.of(a.reduce((x, y) => x + y, 0));
  // Micro specificity sums tn and tn+fp over classes: Σ(n − actual) = k·n − Σactual.
  const k = c.labels.length;
  return {
    labels: ['micro'],
    tp: total(c.tp),
    predicted: total(c.predicted),
    actual: total(c.actual),
    n: k * c.n,
  };
}

// scikit-learn's special case for `weighted` when no selected class has support.
function weightedWithoutSupport(metric: Metric, c: ClassCounts, zd: number): number {
  if (metric === 'specificity') return zd;
  const predicted = c.predicted.reduce((a, b) => a + b, 0);
  if (predicted === 0) return zd;
  return metric === 'recall' ? zd : 0;
}

function binaryLabel(yTrue: ArrayLike<Label>, yPred: ArrayLike<Label>, positiveLabel: Label): Label {
  const present = new Set<Label>();
  for (const arr of [yTrue, yPred]) for (let i = 0; i < arr.length; i++) present.add(arr[i]);
  const sorted = sortLabels(present);
  if (sorted.length > 2)
    throw new RangeError(
      `invalid average: binary with ${sorted.length} classes (${sorted.join(', ')}); expected a binary target or average macro/micro/weighted/none`,
    );
  if (sorted.length === 2 && !present.has(positiveLabel))
    throw new RangeError(
      `invalid positiveLabel: ${String(positiveLabel)} (expected one of ${sorted.join(', ')})`,
    );
  return positiveLabel;
}
