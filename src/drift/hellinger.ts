/**
 * Hellinger distance between two discrete distributions.
 *
 * Definition: with p and q normalised to sum 1,
 *   H(p, q) = sqrt(1 − Σ_i sqrt(p_i q_i)) = sqrt( ½ Σ_i (sqrt p_i − sqrt q_i)² ),
 * i.e. the normalisation with the ½ factor, so H ∈ [0, 1] (1 for disjoint supports); some
 * texts omit the ½ and get values in [0, √2]. Computed with the second form, which does not
 * cancel catastrophically when p ≈ q. Reference: Le Cam & Yang, "Asymptotics in Statistics",
 * 2000, §3.2; Evidently's `hellinger` stat test uses the same [0, 1] scale.
 */

import {
  alignCategoryCounts,
  type BinningOptions,
  binOnReference,
  checkPairedCounts,
} from './distributions.js';

/** Hellinger distance of two non-negative weight vectors (each normalised); NaN when either sums to 0. O(k). */
export function hellingerDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const [pTotal, qTotal] = checkPairedCounts(p, q);
  if (pTotal === 0 || qTotal === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const d = Math.sqrt(p[i] / pTotal) - Math.sqrt(q[i] / qTotal);
    sum += d * d;
  }
  return Math.min(1, Math.sqrt(sum / 2));
}

/** Hellinger distance of a numeric column binned on reference quantiles (default 10 bins). */
export function hellingerNumeric(
  refSorted: ArrayLike<number>,
  current: ArrayLike<number>,
  options: BinningOptions = {},
): number {
  const { ref, cur } = binOnReference(refSorted, current, options.bins);
  return hellingerDistance(ref, cur);
}

/** Hellinger distance of a categorical column (unseen categories form their own bins). */
export function hellingerCategorical(
  refCounts: ReadonlyMap<string, number>,
  curCounts: ReadonlyMap<string, number>,
): number {
  const { ref, cur } = alignCategoryCounts(refCounts, curCounts);
  return hellingerDistance(ref, cur);
}
