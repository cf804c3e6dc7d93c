/**
 * Two-proportion z-test with pooled variance, as statsmodels'
 * proportions_ztest(count=[x1, x2], nobs=[n1, n2], value=0):
 * p̂ = (x₁ + x₂)/(n₁ + n₂), z = (x₁/n₁ − x₂/n₂) / √(p̂(1 − p̂)(1/n₁ + 1/n₂)).
 * 'greater' tests p₁ > p₂ (statsmodels' 'larger'), 'less' tests p₁ < p₂ ('smaller').
 */

import { type Alternative, checkAlternative } from './alternative.js';
import { normalCdf, normalSf } from './distributions.js';
import { type InsufficientData, insufficientData } from './insufficient-data.js';

/** Options of twoProportionZTest. */
export interface TwoProportionOptions {
  /** 'two-sided' (default), 'less' (p₁ < p₂) or 'greater' (p₁ > p₂). */
  alternative?: Alternative;
}

const defaults: Required<TwoProportionOptions> = { alternative: 'two-sided' };

/** Result of twoProportionZTest. */
export interface TwoProportionResult {
  status: 'ok';
  /** The z statistic (0 when the pooled proportion is 0 or 1: both samples agree exactly). */
  statistic: number;
  pValue: number;
  /** x₁/n₁ − x₂/n₂. */
  difference: number;
}

function checkCount(name: string, x: number, n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`invalid ${name}: ${n} (expected an integer >= 0)`);
  if (!(x >= 0 && x <= n))
    throw new RangeError(`invalid count for ${name}=${n}: ${x} (expected 0 <= x <= n)`);
}

/**
 * Pooled two-proportion z-test; insufficient_data when either n is 0. Where statsmodels
 * returns NaN (pooled proportion 0 or 1, so the difference is 0) this returns z = 0, p = 1.
 */
export function twoProportionZTest(
  x1: number,
  n1: number,
  x2: number,
  n2: number,
  options: TwoProportionOptions = {},
): TwoProportionResult | InsufficientData {
  const { alternative } = { ...defaults, ...options };
  checkAlternative(alternative);
  checkCount('n1', x1, n1);
  checkCount('n2', x2, n2);
  if (n1 === 0 || n2 === 0) return insufficientData(Math.min(n1, n2));
  const difference = x1 / n1 - x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { status: 'ok', statistic: 0, pValue: 1, difference };
  const z = difference / Math.sqrt(variance);
  const pValue =
    alternative === 'two-sided'
      ? 2 * normalSf(Math.abs(z))
      : alternative === 'greater'
        ? normalSf(z)
        : normalCdf(z);
  return { status: 'ok', statistic: z, pValue: Math.min(pValue, 1), difference };
}
