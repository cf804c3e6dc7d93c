/**
 * Brier score, as `sklearn.metrics.brier_score_loss`: the mean squared difference
 * between P(positive) and the 0/1 outcome, (1/n) Σ (p_i − y_i)². Lower is better.
 * Reference: Brier (1950), "Verification of forecasts expressed in terms of probability".
 */

import { binarize, checkSameLength, type Label } from './labels.js';

/** Options of {@link brierScore}. */
export interface BrierOptions {
  /** Label of the positive class; default 1. */
  positiveLabel?: Label;
}

/** Brier score of P(positive) `probabilities` against `yTrue`; NaN for empty input. */
export function brierScore(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number>,
  options: BrierOptions = {},
): number {
  checkSameLength(yTrue, probabilities, 'yTrue/probabilities');
  const isPositive = binarize(yTrue, options.positiveLabel ?? 1);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`invalid probabilities[${i}]: ${p} (expected a number in [0, 1])`);
  }
  return brierBinary(isPositive, probabilities);
}

/** Brier score on a 0/1 target without validation. */
function brierBinary(isPositive: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const n = isPositive.length;
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = probabilities[i] - isPositive[i];
    total += d * d;
  }
  return total / n;
}
