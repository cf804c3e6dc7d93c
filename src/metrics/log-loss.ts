/**
 * Logarithmic loss (cross-entropy), as `sklearn.metrics.log_loss` (scikit-learn 1.2.1):
 * probabilities are clipped to [eps, 1 − eps], each row renormalised to sum to 1, and
 * the loss is −(1/n) Σ_i log p_i(y_i). The default eps is 2^−52 (float64 machine
 * epsilon), which is what 1.2.1's `eps='auto'` means for float64 input; 1e-15 was the
 * default before 1.2 and is available through the option.
 * Reference: Bishop (2006), Pattern Recognition and Machine Learning, §4.3.2.
 */

import { binarize, checkSameLength, encodeLabels, type Label } from './labels.js';

/** Options of the log-loss functions. */
export interface LogLossOptions {
  /** Clipping bound; default `Number.EPSILON` (2^−52, scikit-learn 1.2.1's `'auto'` for float64). */
  eps?: number;
  /** Positive class of a binary target (binary form only); default 1. */
  positiveLabel?: Label;
}

const defaults = { eps: Number.EPSILON, positiveLabel: 1 } as const;

/** Binary log loss of P(positive) `probabilities` against `yTrue`; NaN for empty input. */
export function logLoss(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number>,
  options: LogLossOptions = {},
): number {
  const { eps, positiveLabel } = { ...defaults, ...options };
  checkEps(eps);
  checkSameLength(yTrue, probabilities, 'yTrue/probabilities');
  return logLossBinary(binarize(yTrue, positiveLabel), probabilities, eps);
}

/** Binary log loss on a 0/1 target (no label handling). */
function logLossBinary(
  isPositive: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  eps = defaults.eps,
): number {
  const n = isPositive.length;
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let i = 0; i < n; i++) total += pointLogLoss(isPositive[i], probabilities[i], eps, i);
  return total / n;
}

/** The log loss of one prediction: −log of the (clipped, renormalised) probability of the true class. */
export function pointLogLoss(isPositive: number, probability: number, eps: number, index = 0): number {
  if (!(probability >= 0 && probability <= 1))
    throw new RangeError(`invalid probabilities[${index}]: ${probability} (expected a number in [0, 1])`);
  // As scikit-learn: clip P(positive), take its complement, renormalise the pair.
  const p1 = Math.min(Math.max(probability, eps), 1 - eps);
  const p0 = 1 - p1;
  const sum = p0 + p1;
  return -Math.log((isPositive ? p1 : p0) / sum);
}

/** Multiclass log loss; `probabilities[i][c]` is P(class `labels[c]`) (default labels: sorted labels of `yTrue`). */
export function logLossMulticlass(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<ArrayLike<number>>,
  options: LogLossOptions & { labels?: Label[] } = {},
): number {
  const { eps } = { ...defaults, ...options };
  checkEps(eps);
  checkSameLength(yTrue, probabilities, 'yTrue/probabilities');
  const { classes, codes } = encodeLabels([yTrue], options.labels ?? []);
  const labels = options.labels ?? classes;
  if (labels.length < 2)
    throw new RangeError(`invalid labels: [${labels.join(', ')}] (expected at least two classes)`);
  if (labels.length < classes.length)
    throw new RangeError(`invalid yTrue: labels ${classes.join(', ')} (expected only ${labels.join(', ')})`);
  const columnOf = Int32Array.from(classes, (c) => labels.indexOf(c));
  const n = yTrue.length;
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const row = probabilities[i];
    if (row.length !== labels.length)
      throw new RangeError(`invalid probabilities[${i}]: ${row.length} columns (expected ${labels.length})`);
    let sum = 0;
    for (let c = 0; c < row.length; c++) sum += clip(row[c], eps);
    total -= Math.log(clip(row[columnOf[codes[0][i]]], eps) / sum);
  }
  return total / n;
}

function clip(p: number, eps: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid probability: ${p} (expected a number in [0, 1])`);
  return Math.min(Math.max(p, eps), 1 - eps);
}

function checkEps(eps: number): void {
  if (!(eps > 0 && eps < 0.5)) throw new RangeError(`invalid eps: ${eps} (expected a number in (0, 0.5))`);
}
