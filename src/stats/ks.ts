/**
 * Two-sample Kolmogorov–Smirnov test, as scipy.stats.ks_2samp (SciPy 1.17).
 *
 * Statistic: D = sup_x |F₁(x) − F₂(x)| (two-sided), D⁺ = sup (F₁ − F₂) ('greater'),
 * D⁻ = sup (F₂ − F₁) ('less'), with Fᵢ the right-continuous ECDFs.
 * p-value: method 'auto' is exact when max(n₁, n₂) ≤ 10 000, else asymptotic. Exact:
 * lattice-path counts of Hodges (1958) as SciPy (`_compute_prob_outside_square`,
 * `_compute_outer_prob_inside_method` after Viehmann, arXiv:2102.08037,
 * `_count_paths_outside_method`); when they overflow, SciPy falls back to 'asymp' and so
 * does this. Asymptotic: kstwo.sf(D, round(n₁n₂/(n₁+n₂))) two-sided, Hodges' eq. 5.3 one-sided.
 *
 * NaN policy: callers pass clean arrays (use dropMissing); NaN input gives meaningless results.
 */

import beta from '@stdlib/math-base-special-beta';
import { type Alternative, checkAlternative } from './alternative.js';
import { kstwoSf } from './distributions.js';
import { type InsufficientData, insufficientData } from './insufficient-data.js';
import { sortFloat64 } from './quantile.js';

/** Options of ks2Samp / ks2SampSorted. */
export interface KsOptions {
  /** 'two-sided' (default): F₁ ≠ F₂; 'less': F₁ < F₂ somewhere (D⁻); 'greater': F₁ > F₂ somewhere (D⁺). */
  alternative?: Alternative;
  /** 'auto' (default): exact when max(n₁, n₂) ≤ 10 000; 'exact'; 'asymp'. */
  method?: 'auto' | 'exact' | 'asymp';
}

const defaults: Required<KsOptions> = { alternative: 'two-sided', method: 'auto' };

/** KS test result (fields as scipy's KstestResult). */
export interface KsResult {
  status: 'ok';
  /** D (snapped to a multiple of 1/lcm(n₁, n₂) when computed exactly, as SciPy). */
  statistic: number;
  pValue: number;
  /** The method actually used (exact may fall back to asymp). */
  method: 'exact' | 'asymp';
  /** The value x at which the ECDF difference attains the statistic. */
  statisticLocation: number;
  /** +1 when F₁ − F₂ attains D, −1 when F₂ − F₁ does. */
  statisticSign: 1 | -1;
}

const MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

/** Two-sample KS test on unsorted samples (sorts copies, then ks2SampSorted). O((n₁+n₂) log(n₁+n₂)). */
export function ks2Samp(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: KsOptions = {},
): KsResult | InsufficientData {
  return ks2SampSorted(sortFloat64(a), sortFloat64(b), options);
}

function checkOptions(options: KsOptions): Required<KsOptions> {
  const o = { ...defaults, ...options };
  checkAlternative(o.alternative);
  if (!['auto', 'exact', 'asymp'].includes(o.method)) {
    throw new RangeError(`invalid method: ${o.method} (expected 'auto', 'exact' or 'asymp')`);
  }
  return o;
}

/**
 * Two-sample KS test on ascending samples: one linear merge, no allocation. O(n₁ + n₂)
 * plus the p-value. Input must be sorted ascending without NaN (not checked).
 */
export function ks2SampSorted(
  aSorted: ArrayLike<number>,
  bSorted: ArrayLike<number>,
  options: KsOptions = {},
): KsResult | InsufficientData {
  const { alternative, method } = checkOptions(options);
  const n1 = aSorted.length;
  const n2 = bSorted.length;
  if (n1 === 0 || n2 === 0) return insufficientData(Math.min(n1, n2));

  // Walk the distinct values of the union. SciPy's argmax over concat(a, b) returns the
  // first hit in that order, so extremes attained at a value of `a` win over values of `b`
  // only, and the smallest such value wins: track the two memberships separately.
  let maxA = Number.NEGATIVE_INFINITY;
  let locMaxA = Number.NaN;
  let maxB = Number.NEGATIVE_INFINITY;
  let locMaxB = Number.NaN;
  let minA = Number.POSITIVE_INFINITY;
  let locMinA = Number.NaN;
  let minB = Number.POSITIVE_INFINITY;
  let locMinB = Number.NaN;
  let i = 0;
  let j = 0;
  while (i < n1 || j < n2) {
    const x = j >= n2 || (i < n1 && aSorted[i] <= bSorted[j]) ? aSorted[i] : bSorted[j];
    const i0 = i;
    while (i < n1 && aSorted[i] === x) i++;
    while (j < n2 && bSorted[j] === x) j++;
    const diff = i / n1 - j / n2;
    if (i > i0) {
      if (diff > maxA) {
        maxA = diff;
        locMaxA = x;
      }
      if (diff < minA) {
        minA = diff;
        locMinA = x;
      }
    } else {
      if (diff > maxB) {
        maxB = diff;
        locMaxB = x;
      }
      if (diff < minB) {
        minB = diff;
        locMinB = x;
      }
    }
  }
  const maxS = Math.max(maxA, maxB);
  const locMax = maxA === maxS ? locMaxA : locMaxB;
  const minDiff = Math.min(minA, minB);
  const locMin = minA === minDiff ? locMinA : locMinB;
  const minS = Math.min(Math.max(-minDiff, 0), 1);

  let d: number;
  let location: number;
  let sign: 1 | -1;
  if (alternative === 'less' || (alternative === 'two-sided' && minS > maxS)) {
    d = minS;
    location = locMin;
    sign = -1;
  } else {
    d = maxS;
    location = locMax;
    sign = 1;
  }
  const { statistic, pValue, method: used } = ksPValue(d, n1, n2, alternative, method);
  return { status: 'ok', statistic, pValue, method: used, statisticLocation: location, statisticSign: sign };
}

/**
 * p-value of an observed two-sample KS statistic d for sizes n1, n2, with SciPy's method
 * choice and exact→asymp fallback; also returns the (exact-snapped) statistic.
 */
export function ksPValue(
  d: number,
  n1: number,
  n2: number,
  alternative: Alternative = 'two-sided',
  method: 'auto' | 'exact' | 'asymp' = 'auto',
): { statistic: number; pValue: number; method: 'exact' | 'asymp' } {
  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  let mode: 'exact' | 'asymp' =
    method === 'auto' ? (Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp') : method;
  if (method === 'exact' && n1g >= INT32_MAX / n2g) mode = 'asymp';
  let prob = Number.NaN;
  if (mode === 'exact') {
    const lcm = n1g * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    const p = h === 0 ? 1 : exactProb(n1, n2, g, h, alternative);
    if (p === null) mode = 'asymp';
    else prob = p;
  }
  if (mode === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    const nEff = roundHalfEven(en);
    // n₁ = n₂ = 1 gives round(0.5) = 0, where SciPy's kstwo.sf is NaN: keep that
    if (alternative === 'two-sided') prob = nEff >= 1 ? kstwoSf(d, nEff) : Number.NaN;
    else {
      const z = Math.sqrt(en) * d;
      prob = Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return { statistic: d, pValue: Number.isNaN(prob) ? prob : Math.min(Math.max(prob, 0), 1), method: mode };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Round half to even, as numpy.round. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Exact probability, or null where SciPy's computation overflows or leaves [0, 1]. */
function exactProb(n1: number, n2: number, g: number, h: number, alternative: Alternative): number | null {
  let prob: number;
  if (alternative === 'two-sided') {
    prob = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  } else if (n1 === n2) {
    prob = 1;
    for (let j = 0; j < h; j++) prob *= (n1 - j) / (n1 + j + 1);
  } else {
    const paths = countPathsOutside(n1, n2, g, h);
    const total = binom(n1 + n2, n1);
    if (!Number.isFinite(paths) || !Number.isFinite(total) || paths > total) return null;
    prob = paths / total;
  }
  return prob >= 0 && prob <= 1 ? prob : null;
}

/** P(D_{n,n} ≥ h/n), Horner-like alternating sum (SciPy's _compute_prob_outside_square). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/** 1 − proportion of lattice paths staying strictly inside |x/m − y/n| < h/lcm (SciPy's pythran kernel). */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  A.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/**
 * Binomial coefficient in floating point as scipy.special.binom for integer arguments:
 * a product for k < 20, else 1/((n+1)·B(n−k+1, k+1)); Infinity on overflow.
 */
function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  if (k > n / 2 && n > 0) k = n - k;
  if (k < 20) {
    let num = 1;
    let den = 1;
    for (let i = 1; i <= k; i++) {
      num *= i + n - k;
      den *= i;
      if (Math.abs(num) > 1e50) {
        num /= den;
        den = 1;
      }
    }
    return num / den;
  }
  return 1 / (n + 1) / beta(1 + n - k, 1 + k);
}

/** Number of lattice paths to (m, n) that go below the diagonal by h (SciPy's _count_paths_outside_method). */
function countPathsOutside(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  const lxj = n + Math.floor((mg - h) / mg);
  if (lxj <= 0) return binom(m + n, n);
  const xj = new Float64Array(lxj);
  for (let j = 0; j < lxj; j++) xj[j] = Math.floor((h + mg * j + ng - 1) / ng);
  const B = new Float64Array(lxj);
  B[0] = 1;
  for (let j = 1; j < lxj; j++) {
    let Bj = binom(xj[j] + j, j);
    for (let i = 0; i < j; i++) Bj -= binom(xj[j] - xj[i] + j - i, j - i) * B[i];
    // SciPy raises on the first overflow and falls back to the asymptotic p-value
    if (!Number.isFinite(Bj)) return Number.POSITIVE_INFINITY;
    B[j] = Bj;
  }
  let numPaths = 0;
  for (let j = 0; j < lxj; j++) numPaths += B[j] * binom(m - xj[j] + (n - j), n - j);
  return numPaths;
}
