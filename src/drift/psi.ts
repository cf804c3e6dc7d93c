/**
 * Population Stability Index (PSI).
 *
 * Definition: with bin proportions r_i (reference) and c_i (current),
 *   PSI = Σ_i (c_i − r_i) · ln(c_i / r_i),
 * the symmetrised Kullback–Leibler divergence KL(c‖r) + KL(r‖c) in nats. An empty bin's
 * proportion is replaced by `epsilon` (default 1e-4, Evidently's constant) on either side, so
 * the index stays finite. Conventional reading: < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25 major
 * shift (Siddiqi, "Credit Risk Scorecards", 2006; Yurdakul, "Statistical properties of the
 * population stability index", 2018).
 */

import {
  alignCategoryCounts,
  type BinningOptions,
  binOnReference,
  checkPairedCounts,
} from './distributions.js';

/** Options of {@link computePsi}. */
export interface PsiOptions {
  /** Proportion substituted for an empty bin, on either side. Default 1e-4 (as Evidently). */
  epsilon?: number;
}

const defaults: Required<PsiOptions> = { epsilon: 1e-4 };

/**
 * PSI of two count vectors over the same bins (see the module comment); NaN when either
 * side has no observations. O(k).
 */
export function computePsi(
  refCounts: ArrayLike<number>,
  curCounts: ArrayLike<number>,
  options: PsiOptions = {},
): number {
  const { epsilon } = { ...defaults, ...options };
  if (!(epsilon > 0 && epsilon < 1))
    throw new RangeError(`invalid epsilon: ${epsilon} (expected 0 < epsilon < 1)`);
  const [refTotal, curTotal] = checkPairedCounts(refCounts, curCounts);
  if (refTotal === 0 || curTotal === 0) return Number.NaN;
  let psi = 0;
  for (let i = 0; i < refCounts.length; i++) {
    const r = refCounts[i] === 0 ? epsilon : refCounts[i] / refTotal;
    const c = curCounts[i] === 0 ? epsilon : curCounts[i] / curTotal;
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

/**
 * PSI of a numeric column, binned on the sorted reference's i/bins quantiles (default 10
 * bins; NaN in `current` skipped). O(n + m log bins).
 */
export function psiNumeric(
  refSorted: ArrayLike<number>,
  current: ArrayLike<number>,
  options: PsiOptions & BinningOptions = {},
): number {
  const { ref, cur } = binOnReference(refSorted, current, options.bins);
  return computePsi(ref, cur, options);
}

/** PSI of a categorical column; categories unseen in the reference form their own bins. O(k). */
export function psiCategorical(
  refCounts: ReadonlyMap<string, number>,
  curCounts: ReadonlyMap<string, number>,
  options: PsiOptions = {},
): number {
  const { ref, cur } = alignCategoryCounts(refCounts, curCounts);
  return computePsi(ref, cur, options);
}
