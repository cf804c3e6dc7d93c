/**
 * Multiple-testing corrections across features or segments: Bonferroni (family-wise error)
 * and Benjamini–Hochberg (false discovery rate).
 */

function checkPValues(pValues: ArrayLike<number>): void {
  for (let i = 0; i < pValues.length; i++) {
    const p = pValues[i];
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`invalid pValues[${i}]: ${p} (expected a number in [0, 1])`);
  }
}

/** Bonferroni-adjusted p-values min(m·pᵢ, 1) for m tests (reject where adjusted ≤ α). O(m). */
export function bonferroni(pValues: ArrayLike<number>): Float64Array {
  checkPValues(pValues);
  const m = pValues.length;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) out[i] = Math.min(pValues[i] * m, 1);
  return out;
}

/** BH-adjusted p-values and which hypotheses are rejected at the given FDR level. */
export interface BenjaminiHochbergResult {
  /** Adjusted p-values ("q-values"), in input order. */
  adjusted: Float64Array;
  /** adjusted[i] ≤ alpha. */
  rejected: boolean[];
}

/**
 * Benjamini–Hochberg step-up procedure. Adjusted p-values as
 * scipy.stats.false_discovery_control(method='bh') and R's p.adjust('BH'):
 * q₍ᵢ₎ = min_{j ≥ i} (m/j)·p₍ⱼ₎, capped at 1. Rejects qᵢ ≤ alpha, which controls the FDR at
 * alpha for independent or positively dependent tests. O(m log m).
 * Reference: Y. Benjamini, Y. Hochberg, J. R. Stat. Soc. B 57(1), 1995.
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, alpha = 0.05): BenjaminiHochbergResult {
  checkPValues(pValues);
  if (!(alpha > 0 && alpha < 1))
    throw new RangeError(`invalid alpha: ${alpha} (expected a number in (0, 1))`);
  const m = pValues.length;
  const adjusted = new Float64Array(m);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => pValues[a] - pValues[b] || a - b);
  let running = Number.POSITIVE_INFINITY;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r];
    running = Math.min(running, pValues[i] * (m / (r + 1)));
    adjusted[i] = Math.min(running, 1);
  }
  return { adjusted, rejected: Array.from(adjusted, (q) => q <= alpha) };
}
