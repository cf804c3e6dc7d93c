/**
 * Fisher's exact test on a 2×2 table, as scipy.stats.fisher_exact (SciPy 1.17): conditional on
 * the margins, X = table[0][0] is hypergeometric (M = total, n = first-row total, N = first-column
 * total). 'less': P(X ≤ x); 'greater': P(X ≥ x); 'two-sided': the sum of P(X = k) over tables
 * no more likely than the observed one, with SciPy's relative tolerance 1 + 1e-14 for ties
 * (older SciPy used 1 + 1e-7). Odds ratio is the sample (unconditional) one, a·d/(b·c).
 */

import { type Alternative, checkAlternative } from './alternative.js';
import { hypergeometricLogPmf } from './distributions.js';

/** Options of fisherExact. */
export interface FisherOptions {
  /** 'two-sided' (default), 'less' (odds ratio < 1) or 'greater' (odds ratio > 1). */
  alternative?: Alternative;
}

const defaults: Required<FisherOptions> = { alternative: 'two-sided' };

/** Result of fisherExact; with an all-zero row or column the odds ratio is NaN and p is 1 (as SciPy). */
export interface FisherResult {
  /** a·d/(b·c); Infinity when b·c = 0 < a·d. */
  oddsRatio: number;
  pValue: number;
}

const GAMMA = 1 + 1e-14;

/** Fisher's exact test on [[a, b], [c, d]] (non-negative integer counts). O(min(margins)). */
export function fisherExact(
  table: [[number, number], [number, number]],
  options: FisherOptions = {},
): FisherResult {
  const { alternative } = { ...defaults, ...options };
  checkAlternative(alternative);
  const flat = [table[0][0], table[0][1], table[1][0], table[1][1]];
  flat.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`invalid table[${i >> 1}][${i & 1}]: ${v} (expected a non-negative integer)`);
    }
  });
  const [a, b, c, d] = flat;
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return { oddsRatio: Number.NaN, pValue: 1 };
  const oddsRatio = c > 0 && b > 0 ? (a * d) / (c * b) : Number.POSITIVE_INFINITY;
  const n1 = a + b;
  const n2 = c + d;
  const n = a + c;
  const total = n1 + n2;
  const pmf = (k: number, draws = n) => Math.exp(hypergeometricLogPmf(k, total, n1, draws));
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n, n1);
  let pValue: number;
  if (alternative === 'less') pValue = sumRange(pmf, lo, a);
  else if (alternative === 'greater') {
    // P(X ≥ a) computed, as SciPy, as P(Y ≤ b) for the second column
    const m = b + d;
    const lo2 = Math.max(0, m - n2);
    pValue = sumRange((k) => pmf(k, m), lo2, b);
  } else {
    const mode = Math.floor(((n + 1) * (n1 + 1)) / (total + 2));
    const pExact = pmf(a);
    const pMode = pmf(mode);
    if (Math.abs(pExact - pMode) / Math.max(pExact, pMode) <= 1e-14) return { oddsRatio, pValue: 1 };
    const threshold = pExact * GAMMA;
    if (a < mode) {
      pValue = sumRange(pmf, lo, a);
      for (let k = hi; k > mode; k--) {
        const p = pmf(k);
        if (p > threshold) break;
        pValue += p;
      }
    } else {
      pValue = sumRange(pmf, a, hi);
      for (let k = lo; k < mode; k++) {
        const p = pmf(k);
        if (p > threshold) break;
        pValue += p;
      }
    }
  }
  return { oddsRatio, pValue: Math.min(pValue, 1) };
}

function sumRange(f: (k: number) => number, from: number, to: number): number {
  let s = 0;
  for (let k = from; k <= to; k++) s += f(k);
  return s;
}
