/**
 * Sample quantiles, type 7 of Hyndman & Fan (1996): the default of R's
 * `quantile` and of `numpy.quantile` (method 'linear'). For sorted x of
 * length n and p in [0, 1], h = (n − 1)·p and
 * Q(p) = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 *
 * Reference: R. J. Hyndman and Y. Fan, "Sample quantiles in statistical
 * packages", The American Statistician 50(4), 1996.
 */

import { sortFloat64InPlace } from './sort.js';

function checkP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid p: ${p} (expected a number in [0, 1])`);
}

/** Type-7 quantile of an ascending array (no NaN); NaN when empty. O(1). */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  checkP(p);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (n === 1) return sorted[0];
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  const a = sorted[lo];
  const b = sorted[lo + 1];
  const frac = h - lo;
  // NumPy's _lerp: interpolate from the nearer end, so both ends are exact
  const diff = b - a;
  return frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
}

/** Type-7 quantiles of an ascending array at each p. O(k). */
export function quantilesSorted(sorted: ArrayLike<number>, ps: number[]): number[] {
  return ps.map((p) => quantileSorted(sorted, p));
}

/** A sorted copy as Float64Array (ascending, NaN last, as the native typed-array sort; radix sort, O(n)). */
export function sortFloat64(values: ArrayLike<number>): Float64Array {
  return sortFloat64InPlace(Float64Array.from(values));
}

/** Type-7 quantile of unsorted values (copies and sorts; NaN values must be removed first). O(n log n). */
export function quantile(values: ArrayLike<number>, p: number): number {
  return quantileSorted(sortFloat64(values), p);
}
