/**
 * The "significant" half of Plumbline's drift rule (DESIGN.md): the null distribution of a
 * drift distance at the current window's sample size, estimated by resampling the reference.
 *
 * Procedure (a Monte Carlo test, Davison & Hinkley, "Bootstrap Methods and their Application",
 * 1997, §4.2): draw B windows of size m′ from the reference WITH replacement (i.i.d. draws from
 * the reference's empirical distribution, the bootstrap null world), compute the distance of
 * each against the reference, and sort the B values. The empirical p-value of an observed value
 * d is (1 + #{null ≥ d}) / (1 + B) (Davison & Hinkley eq. 4.11; never 0), and the threshold is
 * the order statistic v₍(1−α)(B+1)₎, so that d > threshold ⇔ p ≤ α exactly.
 *
 * Effective size. Comparing a window with the reference it was drawn from ignores the
 * reference's own sampling noise: two independent samples of sizes n and m from one population
 * differ, to first order, like one sample of size m′ = nm/(n+m) differs from the population
 * (KS and W1 scale as 1/√m′, PSI, JS² and Hellinger² as 1/m′). Resampling windows of size m
 * would therefore flag far more than α of same-population windows when m is comparable to n
 * (at n = m about 31 % for KS and 49 % for 10-bin PSI; 48 % measured in the tests). By default
 * the windows are drawn with m′ = round(nm/(n+m)), which equals m when n ≫ m;
 * `effectiveSize: false` draws windows of exactly m.
 *
 * Sampling: a window's bin counts are one Multinomial(m′, reference bin proportions) draw
 * (exact, O(k log m′), multinomial.ts), the same law as m′ draws with replacement; W1 needs the
 * draws' positions, so it draws m′ reference indices. Cost: O(B·k log m′) for the binned
 * distances, O(B·(n + m′)) for W1. The
 * result depends only on (reference, m, statistic, α, B, seed), so callers may cache it.
 */

import { lowerBound } from '../stats/binary-search.js';
import { createRng } from '../stats/random.js';
import { hellingerDistance } from './hellinger.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import { sampleMultinomial } from './multinomial.js';
import type { PreparedReference } from './prepare.js';
import { computePsi } from './psi.js';
import { scaleByStd } from './wasserstein.js';

/** Distances whose null distribution can be resampled ('wasserstein' is W1 / std(reference)). */
export type NullStatistic = 'psi' | 'jensenShannon' | 'hellinger' | 'wasserstein';

/** Options of {@link estimateNullThreshold}. */
export interface NullThresholdOptions {
  /** The prepared reference the windows are drawn from. */
  reference: PreparedReference;
  /** The current window's number of non-missing values. */
  m: number;
  /** The distance whose null is estimated. */
  statistic: NullStatistic;
  /** Level of the test: the threshold is the null's (1 − α) quantile. Default 0.05. */
  alpha?: number;
  /**
   * Number of resampled windows B. Default 199: α(B+1) is then an integer for α = 0.05 and
   * 0.01 (no rounding of the quantile), the 95th percentile rests on 10 tail values, and the
   * smallest p-value is 0.005. Raise it when many columns share one FDR budget (see detectDrift).
   */
  resamples?: number;
  /** Seed of the resampling stream (xoshiro128**). Default 0. */
  seed?: number;
  /** Draw windows of the effective size nm/(n+m) instead of m (see the module comment). Default true. */
  effectiveSize?: boolean;
  /** PSI's empty-bin proportion. Default 1e-4, as computePsi. */
  epsilon?: number;
}

const defaults = { alpha: 0.05, resamples: 199, seed: 0, effectiveSize: true, epsilon: 1e-4 };

/** The estimated null distribution and its (1 − α) threshold. */
export interface NullThreshold {
  statistic: NullStatistic;
  /** The window size asked for. */
  m: number;
  /** The size of the resampled windows (m′ = round(nm/(n+m)) by default). */
  mEffective: number;
  alpha: number;
  resamples: number;
  /** v₍(1−α)(B+1)₎; +Infinity when B is too small for α (α(B+1) < 1). */
  threshold: number;
  /** The B null values, ascending. */
  values: Float64Array;
}

/** Resamples the null distribution of a drift distance at window size m and returns its (1 − α) threshold. */
export function estimateNullThreshold(options: NullThresholdOptions): NullThreshold {
  const o = { ...defaults, ...options };
  const { reference, m, statistic, alpha, resamples } = o;
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`invalid m: ${m} (expected an integer >= 1)`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`invalid alpha: ${alpha} (expected 0 < alpha < 1)`);
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`invalid resamples: ${resamples} (expected an integer >= 1)`);
  }
  if (reference.n < 1) throw new RangeError(`invalid reference: n = 0 (expected at least one value)`);
  const n = reference.n;
  const mEffective = o.effectiveSize ? Math.max(1, Math.round((n * m) / (n + m))) : m;
  const rng = createRng(o.seed);
  const values = new Float64Array(resamples);
  if (statistic === 'wasserstein') {
    if (reference.type !== 'numeric') {
      throw new TypeError(`invalid statistic: 'wasserstein' (expected a numeric reference, got categorical)`);
    }
    const counts = new Uint32Array(n);
    for (let b = 0; b < resamples; b++) {
      counts.fill(0);
      for (let k = 0; k < mEffective; k++) counts[Math.floor(rng.next() * n)]++;
      values[b] = scaleByStd(w1AgainstSupport(reference.sorted, counts, mEffective), reference.std);
    }
  } else {
    const distance = binnedDistance(statistic, o.epsilon);
    const sample = new Float64Array(reference.binCounts.length);
    for (let b = 0; b < resamples; b++) {
      values[b] = distance(
        reference.binCounts,
        sampleMultinomial(rng, mEffective, reference.binCounts, sample),
      );
    }
  }
  values.sort();
  return { statistic, m, mEffective, alpha, resamples, threshold: thresholdOf(values, alpha), values };
}

/** Empirical p-value (1 + #{null ≥ observed}) / (1 + B) of an observed distance; NaN for a NaN observation. O(log B). */
export function empiricalPValue(nullSorted: ArrayLike<number>, observed: number): number {
  if (Number.isNaN(observed)) return Number.NaN;
  return (1 + nullSorted.length - lowerBound(nullSorted, observed)) / (1 + nullSorted.length);
}

/** The smallest value a statistic must exceed for its empirical p-value to be ≤ α, from the sorted null. */
export function thresholdOf(sorted: Float64Array, alpha: number): number {
  const b = sorted.length;
  // p ≤ α ⇔ #{null ≥ d} ≤ ⌊α(B+1)⌋ − 1 =: K ⇔ d > v₍B−K₎ (1-based)
  const k = Math.floor(alpha * (b + 1) + 1e-9) - 1;
  return k < 0 ? Number.POSITIVE_INFINITY : sorted[b - k - 1];
}

function binnedDistance(
  statistic: Exclude<NullStatistic, 'wasserstein'>,
  epsilon: number,
): (ref: ArrayLike<number>, cur: ArrayLike<number>) => number {
  if (statistic === 'psi') return (r, c) => computePsi(r, c, { epsilon });
  if (statistic === 'jensenShannon') return jensenShannonDistance;
  if (statistic === 'hellinger') return hellingerDistance;
  throw new RangeError(
    `invalid statistic: ${statistic} (expected 'psi', 'jensenShannon', 'hellinger' or 'wasserstein')`,
  );
}

/**
 * W1 between the reference's ECDF and a sample given as counts on the reference's own sorted
 * positions: Σ_i |(i+1)/n − C_i/m| (x_{i+1} − x_i), C_i the sample's cumulative count. O(n).
 */
function w1AgainstSupport(sorted: Float64Array, counts: Uint32Array, m: number): number {
  const n = sorted.length;
  let cumulative = 0;
  let sum = 0;
  for (let i = 0; i < n - 1; i++) {
    cumulative += counts[i];
    sum += Math.abs((i + 1) / n - cumulative / m) * (sorted[i + 1] - sorted[i]);
  }
  return sum;
}

/**
 * An effect size with its sampling noise at this window size removed, using the resampled null
 * (which is pure noise at the same n): PSI, a divergence whose noise adds, loses the null mean;
 * JS distance, Hellinger distance and normalised W1, whose noise adds in quadrature (to first
 * order, the signal and noise terms of JS², H² are uncorrelated), become
 * sqrt(max(0, d² − mean(null²))). Like Miller–Madow's correction of plug-in entropy (Miller,
 * 1955), it removes the upward bias of plug-in divergences in small samples; it is negligible when
 * n is large. NaN stays NaN, +Infinity stays +Infinity.
 */
export function debiasEffect(statistic: NullStatistic, value: number, nullValues: ArrayLike<number>): number {
  const b = nullValues.length;
  if (b === 0 || !Number.isFinite(value)) return value;
  let mean = 0;
  if (statistic === 'psi') {
    for (let i = 0; i < b; i++) mean += nullValues[i];
    return Math.max(0, value - mean / b);
  }
  for (let i = 0; i < b; i++) mean += nullValues[i] * nullValues[i];
  return Math.sqrt(Math.max(0, value * value - mean / b));
}
