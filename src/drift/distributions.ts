/**
 * Shared plumbing for the binned drift distances (PSI, Jensen–Shannon, Hellinger): validating
 * count vectors, aligning categorical counts on the union of categories, and binning numeric
 * columns on reference quantiles (engineer A's `quantileEdges`, side='right' convention).
 */

import { binCounts, binCountsSorted, quantileEdges } from '../stats/histogram.js';

/** Counts of the reference and current samples over the same bins. */
export interface PairedCounts {
  /** Reference count per bin. */
  ref: Float64Array;
  /** Current count per bin (same length as `ref`). */
  cur: Float64Array;
}

/** Checks that two count vectors have the same length and non-negative finite entries; returns their totals. */
export function checkPairedCounts(ref: ArrayLike<number>, cur: ArrayLike<number>): [number, number] {
  if (ref.length !== cur.length) {
    throw new RangeError(`invalid counts: lengths ${ref.length} and ${cur.length} (expected equal lengths)`);
  }
  return [sumCounts('refCounts', ref), sumCounts('curCounts', cur)];
}

function sumCounts(name: string, counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!(c >= 0 && c < Number.POSITIVE_INFINITY)) {
      throw new RangeError(`invalid ${name}[${i}]: ${c} (expected a finite number >= 0)`);
    }
    total += c;
  }
  return total;
}

/**
 * Aligns two category-count maps on the union of their categories (reference order first,
 * then categories seen only in the current sample, each as its own bin).
 */
export function alignCategoryCounts(
  refCounts: ReadonlyMap<string, number>,
  curCounts: ReadonlyMap<string, number>,
): PairedCounts & { categories: string[] } {
  const categories = [...refCounts.keys()];
  for (const key of curCounts.keys()) if (!refCounts.has(key)) categories.push(key);
  const ref = new Float64Array(categories.length);
  const cur = new Float64Array(categories.length);
  categories.forEach((c, i) => {
    ref[i] = refCounts.get(c) ?? 0;
    cur[i] = curCounts.get(c) ?? 0;
  });
  return { ref, cur, categories };
}

/** Options of the numeric binning. */
export interface BinningOptions {
  /** Number of reference-quantile bins (fewer when the reference has ties). Default 10. */
  bins?: number;
}

/** Default number of reference-quantile bins, as Evidently's PSI and JS. */
export const defaultBins = 10;

/**
 * Bin edges of a sorted reference (no NaN), side='right' convention of binCounts:
 * - more than `bins` distinct values: the reference's i/bins quantiles (quantileEdges);
 * - at most `bins` distinct values v₁ < … < v_k (constant, binary, small-integer columns):
 *   edges v₁, …, v_k and the next double above v_k, so each value has its own bin and values
 *   below v₁ or above v_k fall in empty reference bins. Quantile edges would merge such values
 *   (a 95 %-zero flag, or a constant column, gets a single bin and a PSI of 0 whatever happens).
 * O(n) for the distinct-value scan (stops after bins + 1 values).
 */
export function referenceEdges(refSorted: ArrayLike<number>, bins = defaultBins): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < refSorted.length && distinct.length <= bins; i++) {
    if (i === 0 || refSorted[i] !== refSorted[i - 1]) distinct.push(refSorted[i]);
  }
  if (distinct.length > bins) return quantileEdges(refSorted, bins);
  const top = distinct[distinct.length - 1];
  if (top !== undefined && top < Number.POSITIVE_INFINITY) distinct.push(nextUp(top));
  return Float64Array.from(distinct);
}

/** A double strictly above a finite x (the next one, or close to it). */
function nextUp(x: number): number {
  return x === 0 ? Number.MIN_VALUE : x + Math.abs(x) * Number.EPSILON;
}

/**
 * Bins a sorted reference (no NaN) and an unsorted current sample (NaN skipped) on the
 * reference's edges (referenceEdges). O(n + m log bins).
 */
export function binOnReference(
  refSorted: ArrayLike<number>,
  current: ArrayLike<number>,
  bins = defaultBins,
): PairedCounts & { edges: Float64Array } {
  const edges = referenceEdges(refSorted, bins);
  return { ref: binCountsSorted(refSorted, edges), cur: binCounts(current, edges), edges };
}
