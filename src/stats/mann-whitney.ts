/**
 * Mann–Whitney U test (Wilcoxon rank-sum), as scipy.stats.mannwhitneyu (SciPy 1.17).
 *
 * Statistic: U₁ = R₁ − n₁(n₁+1)/2 with R₁ the sum of the average ranks of `a` in the pooled sample.
 * 'greater' tests that `a` is stochastically larger (uses U₁), 'less' that it is smaller (uses
 * U₂ = n₁n₂ − U₁), 'two-sided' doubles the tail of max(U₁, U₂); p-values are clipped to 1.
 * Method 'auto' (SciPy's rule): asymptotic when both n₁ > 8 and n₂ > 8 or when there are ties,
 * exact otherwise. Asymptotic: normal with tie-corrected
 * σ = √(n₁n₂/12 · ((n+1) − Σ(t³−t)/(n(n−1)))) and, by default, a 0.5 continuity correction.
 * Exact: the null distribution of U is the coefficient list of the Gaussian binomial
 * [n₁+n₂ choose n₁]_q, built one factor (1 − q^(n+i))/(1 − q^i) at a time (all intermediate
 * coefficients are counts, so no cancellation).
 * Reference: H. B. Mann, D. R. Whitney, Ann. Math. Statist. 18(1), 1947.
 */

import { type Alternative, checkAlternative } from './alternative.js';
import { normalSf } from './distributions.js';
import { type InsufficientData, insufficientData } from './insufficient-data.js';
import { sortFloat64 } from './quantile.js';

/** Options of mannWhitneyU. */
export interface MannWhitneyOptions {
  /** 'two-sided' (default), 'less' or 'greater' (`a` stochastically larger than `b`). */
  alternative?: Alternative;
  /** 'auto' (default, SciPy's rule), 'asymptotic' or 'exact' (exact ignores ties, as SciPy). */
  method?: 'auto' | 'asymptotic' | 'exact';
  /** Continuity correction of 0.5 in the asymptotic method (default true). */
  useContinuity?: boolean;
}

const defaults: Required<MannWhitneyOptions> = {
  alternative: 'two-sided',
  method: 'auto',
  useContinuity: true,
};

/** Result of mannWhitneyU. */
export interface MannWhitneyResult {
  status: 'ok';
  /** U₁, the U statistic of `a`. */
  statistic: number;
  pValue: number;
  /** The method used. */
  method: 'asymptotic' | 'exact';
}

/** Mann–Whitney U test of `a` against `b` (NaN-free input; use dropMissing). O(n), exact O(min(n₁,n₂)²·max(n₁,n₂)). */
export function mannWhitneyU(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MannWhitneyOptions = {},
): MannWhitneyResult | InsufficientData {
  const { alternative, method, useContinuity } = { ...defaults, ...options };
  checkAlternative(alternative);
  if (!['auto', 'asymptotic', 'exact'].includes(method)) {
    throw new RangeError(`invalid method: ${method} (expected 'auto', 'asymptotic' or 'exact')`);
  }
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return insufficientData(Math.min(n1, n2));
  const { r1, ties } = rankSumAndTies(sortFloat64(a), sortFloat64(b));
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const hasTies = ties.some((t) => t > 1);
  const used = method === 'auto' ? ((n1 > 8 && n2 > 8) || hasTies ? 'asymptotic' : 'exact') : method;
  const [u, factor] =
    alternative === 'greater' ? [u1, 1] : alternative === 'less' ? [u2, 1] : [Math.max(u1, u2), 2];
  let p: number;
  if (used === 'exact')
    p = exactSf(Math.floor(u), n1, n2); // SciPy casts U to int64
  else {
    const n = n1 + n2;
    let tieTerm = 0;
    for (const t of ties) tieTerm += t * t * t - t;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const numerator = u - (n1 * n2) / 2 - (useContinuity ? 0.5 : 0);
    p = normalSf(numerator / s);
  }
  return { status: 'ok', statistic: u1, pValue: Math.min(Math.max(p * factor, 0), 1), method: used };
}

/**
 * Sum of the average ranks of `a` in the pooled sample, and the sizes of the tie groups, by one
 * merge of the two sorted samples (as rankdata(…, 'average') then a sum, without the permutation).
 */
function rankSumAndTies(a: Float64Array, b: Float64Array): { r1: number; ties: number[] } {
  const ties: number[] = [];
  let r1 = 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    const i0 = i;
    const j0 = j;
    while (i < a.length && a[i] === x) i++;
    while (j < b.length && b[j] === x) j++;
    const t = i - i0 + (j - j0);
    // the group occupies ranks i0 + j0 + 1 … i0 + j0 + t
    r1 += (i - i0) * (i0 + j0 + (t + 1) / 2);
    ties.push(t);
  }
  return { r1, ties };
}

/** Null pmf of U for sizes (m, n): coefficients of the Gaussian binomial [m+n choose m]_q / C(m+n, m). */
function uPmf(m0: number, n0: number): Float64Array {
  const m = Math.min(m0, n0);
  const n = Math.max(m0, n0);
  const size = m * n + 1;
  // c holds [n+i choose i]_q; start with i = 0 (the constant 1)
  let c = new Float64Array(size);
  c[0] = 1;
  for (let i = 1; i <= m; i++) {
    // divide by (1 − q^i): prefix sums with stride i (series truncated at degree m·n)
    const next = new Float64Array(size);
    for (let k = 0; k < size; k++) next[k] = c[k] + (k >= i ? next[k - i] : 0);
    // multiply by (1 − q^(n+i)); the result has non-negative coefficients up to degree i·n
    for (let k = size - 1; k >= n + i; k--) next[k] -= next[k - n - i];
    for (let k = i * n + 1; k < size; k++) next[k] = 0;
    c = next;
  }
  let total = 0;
  for (let k = 0; k < size; k++) total += c[k];
  for (let k = 0; k < size; k++) c[k] /= total;
  return c;
}

/** P(U ≥ k) as SciPy's _MWU.sf: summed from the nearer end using the symmetry U ↔ mn − U. */
function exactSf(k: number, n1: number, n2: number): number {
  const pmf = uPmf(n1, n2);
  const mn = n1 * n2;
  const kc = mn - k;
  if (k < kc) {
    let cdf = 0;
    for (let j = 0; j <= k; j++) cdf += pmf[j];
    return 1 - cdf + pmf[k];
  }
  let cdf = 0;
  for (let j = 0; j <= kc; j++) cdf += pmf[j];
  return cdf;
}
