/**
 * First Wasserstein (earth mover's) distance between two one-dimensional empirical
 * distributions, as `scipy.stats.wasserstein_distance(u, v)` (unweighted):
 *   W1(u, v) = ∫ |F_u(x) − F_v(x)| dx,
 * the area between the two empirical CDFs, in the units of the data. Reference: Ramdas,
 * Garcia & Cuturi, "On Wasserstein two-sample testing and related families of nonparametric
 * tests", Entropy 19(2), 2017.
 */

import { dropMissing } from '../stats/missing.js';
import { sortFloat64 } from '../stats/quantile.js';

/**
 * W1 of two ascending arrays without NaN, by one linear merge of the two CDFs; no allocation.
 * NaN when either is empty. O(n + m).
 */
export function wasserstein1Sorted(aSorted: ArrayLike<number>, bSorted: ArrayLike<number>): number {
  const n = aSorted.length;
  const m = bSorted.length;
  if (n === 0 || m === 0) return Number.NaN;
  let i = 0;
  let j = 0;
  let x = Math.min(aSorted[0], bSorted[0]);
  let sum = 0;
  for (;;) {
    // right-continuous CDFs at x: count every value <= x
    while (i < n && aSorted[i] <= x) i++;
    while (j < m && bSorted[j] <= x) j++;
    if (i === n && j === m) return sum;
    const next = i === n ? bSorted[j] : j === m ? aSorted[i] : Math.min(aSorted[i], bSorted[j]);
    sum += Math.abs(i / n - j / m) * (next - x);
    x = next;
  }
}

/** W1 of two unsorted samples; NaN/null values are skipped; NaN when either has no values. O((n + m) log(n + m)). */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return wasserstein1Sorted(sortFloat64(dropMissing(a).values), sortFloat64(dropMissing(b).values));
}

/** Options of {@link normalizedWasserstein}. */
export interface NormalizedWassersteinOptions {
  /**
   * Delta degrees of freedom of the reference standard deviation. Default 0 (population
   * std, as NumPy's `np.std` that Evidently's `wasserstein` test divides by); 1 gives the
   * sample std, larger by √(n/(n−1)).
   */
  ddof?: 0 | 1;
}

const defaults: Required<NormalizedWassersteinOptions> = { ddof: 0 };

/** Standard deviation with `ddof` (two-pass mean, then squared deviations); NaN when n ≤ ddof. O(n). */
export function standardDeviation(values: ArrayLike<number>, ddof: 0 | 1 = 0): number {
  const n = values.length;
  if (n <= ddof) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - ddof));
}

/**
 * W1 divided by the reference's standard deviation, a unit-free effect size (Evidently's
 * `wasserstein` test, material at ≥ 0.1). A constant reference (std 0) gives 0 when W1 is 0
 * and +Infinity otherwise: any move of a constant column is infinitely many standard deviations.
 */
export function scaleByStd(w1: number, std: number): number {
  if (std > 0) return w1 / std;
  return w1 === 0 ? 0 : Number.POSITIVE_INFINITY;
}

/** Normalised W1 = W1(reference, current) / std(reference) on unsorted samples (NaN skipped). O((n + m) log(n + m)). */
export function normalizedWasserstein(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: NormalizedWassersteinOptions = {},
): number {
  const { ddof } = { ...defaults, ...options };
  if (ddof !== 0 && ddof !== 1) throw new RangeError(`invalid ddof: ${ddof} (expected 0 or 1)`);
  const ref = sortFloat64(dropMissing(reference).values);
  const cur = sortFloat64(dropMissing(current).values);
  return scaleByStd(wasserstein1Sorted(ref, cur), standardDeviation(ref, ddof));
}
