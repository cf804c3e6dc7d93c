/**
 * Seeded nonparametric bootstrap confidence intervals (percentile method).
 *
 * Each resample draws row indices with replacement (xoshiro128** via `createRng`,
 * so the same seed gives the same interval), evaluates the statistic on them, and
 * the interval is the type-7 (α/2, 1 − α/2) quantiles of the resampled values, as
 * `scipy.stats.bootstrap(method='percentile')`. Resamples whose statistic is NaN
 * (e.g. a resample without positives) are dropped and counted.
 *
 * `strata` resamples each stratum separately with its own size (e.g. positives and
 * negatives for classification, so every resample has both classes).
 * `sampleSize` m < n gives the m-out-of-n bootstrap for large inputs: resamples of
 * size m, and the percentile deviations from the full-data estimate are scaled by
 * √(m/n) — valid for √n-consistent, asymptotically normal statistics (means, AUC,
 * AP, log loss, Brier, F1). Reference: Efron & Tibshirani (1993), An Introduction to
 * the Bootstrap, ch. 13; Bickel, Götze & van Zwet (1997), Statistica Sinica 7.
 */

import { type InsufficientData, insufficientData } from './insufficient-data.js';
import { quantileSorted } from './quantile.js';
import { createRng } from './random.js';
import { sortFloat64InPlace } from './sort.js';
import { checkConfidence } from './wilson.js';

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  resamples?: number;
  /** Two-sided confidence level; default 0.95. */
  confidence?: number;
  /** Seed of the generator; default 0. */
  seed?: number;
  /** Interval method; only `percentile` (default). */
  method?: 'percentile';
  /** Stratum of each row (any numbers); rows are resampled within their stratum. Default: none. */
  strata?: ArrayLike<number>;
  /** Resample size m (m-out-of-n bootstrap, deviations scaled by √(m/n)); default n. */
  sampleSize?: number;
}

/** A bootstrap interval with the full-data estimate and the number of usable resamples. */
export interface BootstrapInterval {
  low: number;
  high: number;
  /** The statistic on all n rows. */
  estimate: number;
  /** Resamples whose statistic was not NaN. */
  resamples: number;
  /** Rows per resample. */
  sampleSize: number;
}

const defaults = { resamples: 1000, confidence: 0.95, seed: 0, method: 'percentile' } as const;

/**
 * Bootstrap interval of `statistic` over n rows. The statistic receives the resampled
 * row indices (a buffer reused between calls: read it, do not keep it).
 */
export function bootstrapInterval(
  n: number,
  statistic: (indices: Int32Array) => number,
  options: BootstrapOptions = {},
): BootstrapInterval | InsufficientData {
  const out = bootstrapIntervals(n, { statistic }, options);
  return 'status' in out ? out : out.statistic;
}

/**
 * Bootstrap intervals of several statistics from the same resamples (one draw of
 * indices per resample, shared by all statistics: cheaper, and the intervals are
 * computed on the same bootstrap samples).
 */
export function bootstrapIntervals<K extends string>(
  n: number,
  statistics: Record<K, (indices: Int32Array) => number>,
  options: BootstrapOptions = {},
): Record<K, BootstrapInterval> | InsufficientData {
  const { resamples, confidence, seed, method } = { ...defaults, ...options };
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`invalid n: ${n} (expected a non-negative integer)`);
  if (!(Number.isInteger(resamples) && resamples >= 1))
    throw new RangeError(`invalid resamples: ${resamples} (expected a positive integer)`);
  if (method !== 'percentile')
    throw new RangeError(`invalid method: ${String(method)} (expected percentile)`);
  checkConfidence(confidence);
  const m = options.sampleSize ?? n;
  if (!(Number.isInteger(m) && m >= 1 && m <= n) && n > 0)
    throw new RangeError(`invalid sampleSize: ${m} (expected an integer in [1, ${n}])`);
  if (n === 0) return insufficientData(0);
  if (options.strata && options.strata.length !== n)
    throw new RangeError(`invalid strata: length ${options.strata.length} (expected ${n})`);

  const keys = Object.keys(statistics) as K[];
  const fns = keys.map((k) => statistics[k]);
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const estimates = fns.map((f) => f(all));
  const groups = options.strata ? groupByStratum(options.strata, m / n) : [{ rows: all, size: m }];
  const size = groups.reduce((acc, g) => acc + g.size, 0);
  const rng = createRng(seed);
  const indices = new Int32Array(size);
  const values = fns.map(() => new Float64Array(resamples));
  const valid = fns.map(() => 0);
  for (let b = 0; b < resamples; b++) {
    let k = 0;
    for (const g of groups) {
      const rows = g.rows;
      const len = rows.length;
      for (let t = 0; t < g.size; t++) indices[k++] = rows[Math.floor(rng.next() * len)];
    }
    for (let f = 0; f < fns.length; f++) {
      const v = fns[f](indices);
      if (!Number.isNaN(v)) values[f][valid[f]++] = v;
    }
  }
  const out = {} as Record<K, BootstrapInterval>;
  keys.forEach((key, f) => {
    out[key] = percentileInterval(values[f].subarray(0, valid[f]), estimates[f], confidence, size, n);
  });
  return out;
}

/**
 * Percentile interval (type-7 quantiles, as scipy.stats.bootstrap(method='percentile')) of
 * resampled values (sorted in place; NaN must be removed first); for sampleSize m < n the
 * deviations from `estimate` are scaled by √(m/n) (m-out-of-n, see the module comment).
 */
export function percentileInterval(
  values: Float64Array,
  estimate: number,
  confidence: number,
  sampleSize: number,
  n: number,
): BootstrapInterval {
  const resamples = values.length;
  if (resamples === 0) return { low: Number.NaN, high: Number.NaN, estimate, resamples, sampleSize };
  sortFloat64InPlace(values);
  const alpha = 1 - confidence;
  const qLow = quantileSorted(values, alpha / 2);
  const qHigh = quantileSorted(values, 1 - alpha / 2);
  if (sampleSize === n) return { low: qLow, high: qHigh, estimate, resamples, sampleSize };
  const scale = Math.sqrt(sampleSize / n);
  return {
    low: estimate + (qLow - estimate) * scale,
    high: estimate + (qHigh - estimate) * scale,
    estimate,
    resamples,
    sampleSize,
  };
}

// Rows of each stratum, in first-seen order of the strata, each resampled to round(fraction·size) (at least 1).
// Two passes (count, then fill typed arrays) so a million rows allocate no per-row objects.
function groupByStratum(strata: ArrayLike<number>, fraction: number): { rows: Int32Array; size: number }[] {
  const counts = new Map<number, number>();
  for (let i = 0; i < strata.length; i++) counts.set(strata[i], (counts.get(strata[i]) ?? 0) + 1);
  const rows = new Map<number, { rows: Int32Array; filled: number }>();
  for (const [key, count] of counts) rows.set(key, { rows: new Int32Array(count), filled: 0 });
  for (let i = 0; i < strata.length; i++) {
    const g = rows.get(strata[i])!;
    g.rows[g.filled++] = i;
  }
  return [...rows.values()].map((g) => ({
    rows: g.rows,
    size: fraction === 1 ? g.rows.length : Math.max(1, Math.round(g.rows.length * fraction)),
  }));
}
