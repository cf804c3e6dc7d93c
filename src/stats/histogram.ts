/**
 * Binning for PSI, chi-square and histograms: cut points taken at reference
 * quantiles, counts per bin, and counts per category.
 *
 * Bin convention (as `numpy.searchsorted(edges, v, side='right')`): with k
 * interior edges e[0] < … < e[k−1] there are k + 1 bins; value v goes to bin
 * i = #{j : e[j] ≤ v}, i.e. bin 0 is (−∞, e[0]), bin i is [e[i−1], e[i]),
 * and the last bin is [e[k−1], +∞). A value equal to an edge goes to the bin
 * on its right.
 */

import { upperBound } from './binary-search.js';
import { quantileSorted } from './quantile.js';

/**
 * Interior cut points at the reference's i/bins quantiles (type 7, i = 1 … bins−1),
 * de-duplicated (ties in the reference give fewer bins). O(bins).
 */
export function quantileEdges(sortedReference: ArrayLike<number>, bins: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`invalid bins: ${bins} (expected an integer >= 1)`);
  }
  const edges: number[] = [];
  if (sortedReference.length === 0) return new Float64Array(0);
  for (let i = 1; i < bins; i++) {
    const e = quantileSorted(sortedReference, i / bins);
    // NaN arises between two infinite order statistics (∞ − ∞); such a cut point cannot bin anything
    if (Number.isNaN(e)) continue;
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  // an edge equal to the minimum would leave bin 0 always empty
  if (edges.length > 0 && edges[0] <= sortedReference[0]) edges.shift();
  return Float64Array.from(edges);
}

function checkEdges(edges: Float64Array): void {
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i] > edges[i - 1])) {
      throw new RangeError(`invalid edges: edges[${i}] = ${edges[i]} (expected strictly increasing edges)`);
    }
  }
}

/**
 * Counts per bin (edges.length + 1 bins, side='right' convention above); NaN values are
 * skipped (callers count missing values with dropMissing). O(n log k).
 */
export function binCounts(values: ArrayLike<number>, edges: Float64Array): Float64Array {
  checkEdges(edges);
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) continue;
    counts[upperBound(edges, v)]++;
  }
  return counts;
}

/** As binCounts for ascending input, by a linear merge of values and edges. O(n + k). */
export function binCountsSorted(sorted: ArrayLike<number>, edges: Float64Array): Float64Array {
  checkEdges(edges);
  const counts = new Float64Array(edges.length + 1);
  const n = sorted.length;
  const k = edges.length;
  let b = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const v = sorted[i];
    if (Number.isNaN(v)) break; // NaN sorts last in typed arrays
    if (b < k && v >= edges[b]) {
      counts[b] += i - start;
      start = i;
      b++;
      while (b < k && v >= edges[b]) b++;
    }
    if (i > 0 && v < sorted[i - 1]) throw new RangeError(`invalid sorted: index ${i} (expected ascending)`);
  }
  let end = n;
  while (end > start && Number.isNaN(sorted[end - 1])) end--;
  counts[b] += end - start;
  return counts;
}

/** Counts per category and number of null/undefined entries. O(n). */
export interface CategoryCounts {
  /** Occurrences of each category, in first-seen order. */
  counts: Map<string, number>;
  /** How many null / undefined entries were skipped. */
  missing: number;
}

/** Counts each distinct string; null and undefined are counted as missing. O(n). */
export function categoryCounts(values: ArrayLike<string | null | undefined>): CategoryCounts {
  const counts = new Map<string, number>();
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      missing++;
      continue;
    }
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return { counts, missing };
}
