/**
 * Exact multinomial sampling in O(k log m) random numbers instead of m, so that a resampled
 * window's bin counts cost the same at m = 100 and m = 1 000 000 (null-threshold.ts).
 *
 * - Gamma(a ≥ 1): Marsaglia & Tsang, "A simple method for generating gamma variables",
 *   ACM TOMS 26(3), 2000 (exact rejection sampler).
 * - Binomial(N, p): Knuth, TAOCP vol. 2, §3.4.1 (order-statistic splitting): the i-th smallest
 *   of N uniforms, i = ⌈N/2⌉, is Beta(i, N+1−i); if it is below p, those i are successes and the
 *   other N−i are uniform above it, else the i−1 below it are uniform on (0, x). Exact, depth
 *   O(log N); below 32 trials, inversion of the binomial CDF (one uniform).
 * - Multinomial: successive conditional binomials, c_j ~ Bin(m − Σ_{i<j} c_i, w_j / Σ_{i≥j} w_i).
 */

import type { Rng } from '../stats/random.js';

function sampleGamma(rng: Rng, shape: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Number of successes in `trials` independent trials of probability p (exact; see the module comment). */
export function sampleBinomial(rng: Rng, trials: number, p: number): number {
  if (!Number.isInteger(trials) || trials < 0) {
    throw new RangeError(`invalid trials: ${trials} (expected an integer >= 0)`);
  }
  if (!(p >= 0 && p <= 1)) throw new RangeError(`invalid p: ${p} (expected a number in [0, 1])`);
  let n = trials;
  let successes = 0;
  while (n >= 32) {
    if (p <= 0) return successes;
    if (p >= 1) return successes + n;
    const i = (n + 1) >>> 1;
    const a = sampleGamma(rng, i);
    const x = a / (a + sampleGamma(rng, n + 1 - i));
    if (x < p) {
      successes += i;
      n -= i;
      p = (p - x) / (1 - x);
    } else {
      n = i - 1;
      p /= x;
    }
  }
  return successes + invertBinomial(rng, n, p);
}

/** Bin(n, p) for small n by inverting its CDF from 0 (one uniform, ~np steps); p > ½ by symmetry. */
function invertBinomial(rng: Rng, n: number, p: number): number {
  if (p > 0.5) return n - invertBinomial(rng, n, 1 - p);
  if (n === 0 || p === 0) return 0;
  const odds = p / (1 - p);
  let pmf = (1 - p) ** n;
  let u = rng.next() - pmf;
  let k = 0;
  while (u >= 0 && k < n) {
    pmf *= ((n - k) / (k + 1)) * odds;
    k++;
    u -= pmf;
  }
  return k;
}

/**
 * Fills `out` with the counts of `m` draws from the categories weighted by `weights`
 * (non-negative; need not sum to 1). O(k log m).
 */
export function sampleMultinomial(
  rng: Rng,
  m: number,
  weights: ArrayLike<number>,
  out: Float64Array,
): Float64Array {
  let rest = 0;
  for (let j = 0; j < weights.length; j++) rest += weights[j];
  if (!(rest > 0)) throw new RangeError(`invalid weights: sum ${rest} (expected a positive sum)`);
  let remaining = m;
  for (let j = 0; j < weights.length; j++) {
    const w = weights[j];
    const c =
      remaining === 0 || w === 0 ? 0 : w >= rest ? remaining : sampleBinomial(rng, remaining, w / rest);
    out[j] = c;
    remaining -= c;
    rest -= w;
  }
  return out;
}
