/**
 * Type-7 quantiles (as numpy.quantile's default 'linear' method, Hyndman & Fan 1996 definition 7)
 * by selection instead of a full sort: Hoare's FIND (quickselect, median-of-three pivot) places
 * the order statistics each quantile needs, O(n) expected instead of O(n log n). Identical values
 * to quantileSorted on the sorted array (the same two order statistics, the same interpolation).
 */
import { quantileSorted } from '../stats/quantile.js';

/** Rearranges a[left..right] so that a[k] holds the value of rank k, with no larger value before it and no smaller after. */
export function selectInPlace(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const x = a[left];
    const y = a[(left + right) >> 1];
    const z = a[right];
    const pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    // a[left..j] <= pivot, a[i..right] >= pivot, a[j+1..i-1] = pivot
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

/**
 * Type-7 quantiles of the finite values (NaN and ±Infinity left out) at ascending probabilities
 * `ps`, reordering `values` in place. Returns the count of finite values and the quantiles (null
 * when there is none).
 */
export function finiteQuantilesInPlace(
  values: Float64Array,
  ps: readonly number[],
): { n: number; q: (number | null)[] } {
  let n = 0;
  for (let k = 0; k < values.length; k++) if (Number.isFinite(values[k])) values[n++] = values[k];
  if (n === 0) return { n, q: ps.map(() => null) };
  const a = values.subarray(0, n);
  // Every value of a[placed..n) is >= every value before it, so later ranks are selected there.
  let placed = 0;
  const q = ps.map((p, idx) => {
    if (idx > 0 && p < ps[idx - 1]) throw new RangeError(`invalid ps: ${ps.join(',')} (expected ascending)`);
    const h = (n - 1) * p;
    const lo = Math.min(Math.floor(h), n - 1);
    if (lo >= placed) selectInPlace(a, lo, placed, n - 1);
    placed = lo + 1;
    if (lo >= n - 1) return quantileSorted([a[lo]], 0);
    let b = a[lo + 1];
    for (let i = lo + 2; i < n; i++) if (a[i] < b) b = a[i];
    return quantileSorted([a[lo], b], h - lo);
  });
  return { n, q };
}
