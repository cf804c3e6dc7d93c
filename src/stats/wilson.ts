/**
 * Wilson score interval for a binomial proportion, as statsmodels'
 * `proportion_confint(count, nobs, alpha, method='wilson')`:
 * with p̂ = k/n and z = Φ⁻¹(1 − α/2),
 * centre = (p̂ + z²/(2n)) / (1 + z²/n),
 * half-width = z·√(p̂(1 − p̂)/n + z²/(4n²)) / (1 + z²/n).
 * Unlike the Wald interval it stays inside [0, 1] and is not degenerate at k = 0 or k = n.
 * Reference: Wilson (1927), JASA 22(158); Brown, Cai & DasGupta (2001), Stat. Sci. 16(2).
 */

import { normalQuantile } from './distributions.js';
import { type InsufficientData, insufficientData } from './insufficient-data.js';

/** Options of {@link wilsonInterval}. */
export interface WilsonOptions {
  /** Two-sided confidence level in (0, 1); default 0.95. */
  confidence?: number;
}

/** A two-sided interval. */
export interface ConfidenceInterval {
  low: number;
  high: number;
}

const defaults = { confidence: 0.95 } as const;

/** Wilson interval of `successes` out of `n`; n = 0 gives an insufficient-data result. */
export function wilsonInterval(
  successes: number,
  n: number,
  options: WilsonOptions = {},
): ConfidenceInterval | InsufficientData {
  const { confidence } = { ...defaults, ...options };
  checkConfidence(confidence);
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`invalid n: ${n} (expected a non-negative integer)`);
  if (!(successes >= 0 && successes <= n))
    throw new RangeError(`invalid successes: ${successes} (expected a number in [0, ${n}])`);
  if (n === 0) return insufficientData(0);
  const z = -normalQuantile((1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At k = 0 (k = n) the bound is exactly 0 (1); rounding would leave ±1e-17.
  const low = successes === 0 ? 0 : Math.max(0, centre - half);
  const high = successes === n ? 1 : Math.min(1, centre + half);
  return { low, high };
}

/** Throws RangeError unless `confidence` is in (0, 1). */
export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`invalid confidence: ${confidence} (expected a number in (0, 1))`);
}
