/**
 * Jensen–Shannon distance, base 2, as `scipy.spatial.distance.jensenshannon(p, q, base=2)`.
 *
 * Definition: p and q are normalised to sum 1, m = (p + q)/2 and
 *   JS(p, q) = sqrt( (KL(p‖m) + KL(q‖m)) / (2 ln 2) ),
 * with 0·ln(0/x) = 0. It is a metric on distributions with values in [0, 1] (1 for disjoint
 * supports). Reference: Endres & Schindelin, "A new metric for probability distributions",
 * IEEE Trans. Inf. Theory 49(7), 2003.
 */

import {
  alignCategoryCounts,
  type BinningOptions,
  binOnReference,
  checkPairedCounts,
} from './distributions.js';

/** p·ln(p/m) with SciPy's `rel_entr` convention for p = 0. */
function relEntr(p: number, m: number): number {
  return p === 0 ? 0 : p * Math.log(p / m);
}

/**
 * Jensen–Shannon distance (base 2) of two non-negative weight vectors over the same bins,
 * each normalised first; NaN when either sums to 0. O(k).
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>): number {
  const [pTotal, qTotal] = checkPairedCounts(p, q);
  if (pTotal === 0 || qTotal === 0) return Number.NaN;
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / pTotal;
    const qi = q[i] / qTotal;
    const mi = (pi + qi) / 2;
    left += relEntr(pi, mi);
    right += relEntr(qi, mi);
  }
  const js = (left + right) / Math.LN2 / 2;
  // rounding can leave a tiny negative sum for identical inputs; the distance is then 0
  return js > 0 ? Math.sqrt(js) : 0;
}

/** Jensen–Shannon distance of a numeric column binned on reference quantiles (default 10 bins). */
export function jensenShannonNumeric(
  refSorted: ArrayLike<number>,
  current: ArrayLike<number>,
  options: BinningOptions = {},
): number {
  const { ref, cur } = binOnReference(refSorted, current, options.bins);
  return jensenShannonDistance(ref, cur);
}

/** Jensen–Shannon distance of a categorical column (unseen categories form their own bins). */
export function jensenShannonCategorical(
  refCounts: ReadonlyMap<string, number>,
  curCounts: ReadonlyMap<string, number>,
): number {
  const { ref, cur } = alignCategoryCounts(refCounts, curCounts);
  return jensenShannonDistance(ref, cur);
}
