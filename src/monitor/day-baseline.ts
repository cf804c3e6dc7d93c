/**
 * Day-level baselines: the reference's own days as the unit of replication.
 *
 * Events of one day are not independent draws: weather, the weekday's schedule and the model's
 * weekday effects move every event of a day together. A test that treats a day's 16 k events as
 * i.i.d. draws from the pooled reference flags most days of a stationary replay (the positive
 * rate of the flights model ranges 0.13–0.50 by weekday). Compare like with like: a new day is
 * compared with how the reference's days vary among themselves.
 *
 * - metrics (accuracy, ROC-AUC, CBPE, positive rate): a normal-theory prediction interval for one
 *   new day from the k reference-day values, mean ± t_{k−1}(1 − α/2) · s · √(1 + 1/k)
 *   (Hahn & Meeker, *Statistical Intervals*, 1991, §4.4), s the sample standard deviation;
 * - distances (feature and score drift): a day is unusual when its distance to the reference
 *   exceeds the largest distance of any reference day to the rest of the reference (leave one day
 *   out, `dayDistanceLimit`); a calendar feature (weekday on day windows) never is, since each
 *   reference day differs from the others by its weekday at least as much as a new day does.
 * Pure.
 */
import betainc from '@stdlib/math-base-special-betainc';

/** Fewest reference days for a day-level baseline. */
export const minReferenceDays = 5;

/**
 * Student's t CDF with `df` degrees of freedom, P(T ≤ t) = 1 − ½ I_{df/(df+t²)}(df/2, ½) for t ≥ 0
 * (Abramowitz & Stegun 26.7.1), as scipy.stats.t.cdf.
 */
export function studentTCdf(t: number, df: number): number {
  if (!(df > 0)) throw new RangeError(`invalid df: ${df} (expected > 0)`);
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * betainc(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

const quantiles = new Map<string, number>();

/**
 * Student's t quantile (inverse CDF), as scipy.stats.t.ppf: bisection on {@link studentTCdf} to
 * 1e-12 relative. O(100) incomplete-beta evaluations, memoised by (p, df) (the monitor asks for a
 * few levels many times).
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`invalid p: ${p} (expected 0 < p < 1)`);
  if (!(df > 0)) throw new RangeError(`invalid df: ${df} (expected > 0)`);
  const key = `${p}\u0000${df}`;
  let q = quantiles.get(key);
  if (q === undefined) {
    q = bisectQuantile(p, df);
    if (quantiles.size < 10_000) quantiles.set(key, q);
  }
  return q;
}

function bisectQuantile(p: number, df: number): number {
  if (p === 0.5) return 0;
  if (p < 0.5) return -bisectQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** A prediction interval for one new day, or too few days. */
export type DayInterval =
  | { status: 'ok'; k: number; mean: number; sd: number; low: number; high: number }
  | { status: 'insufficient_data'; n: number };

/** A variance shared by related series (e.g. every segment of one column), with its degrees of freedom. */
export interface PriorVariance {
  s2: number;
  df: number;
}

/**
 * Two-sided (1 − alpha) prediction interval for one new day's value from the k finite values of
 * the reference days: mean ± t_{k−1}(1 − alpha/2) · s · √(1 + 1/k) (normal model; Hahn & Meeker
 * 1991). With a `prior` variance (s₀², d₀) the variance is moderated as limma's (Smyth 2004):
 * s̃² = ((k − 1)s² + d₀s₀²)/(k − 1 + d₀), on k − 1 + d₀ degrees of freedom — a few reference days
 * no longer make the interval explode under a strict family-wise level. Fewer than
 * {@link minReferenceDays} finite values give `insufficient_data`.
 */
export function dayPredictionInterval(
  values: readonly number[],
  alpha: number,
  prior?: PriorVariance,
): DayInterval {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`invalid alpha: ${alpha} (expected 0 < alpha < 1)`);
  const x = values.filter(Number.isFinite);
  const k = x.length;
  if (k < minReferenceDays) return { status: 'insufficient_data', n: k };
  const mean = x.reduce((a, b) => a + b, 0) / k;
  let s2 = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1);
  let df = k - 1;
  if (prior && prior.df > 0 && Number.isFinite(prior.s2)) {
    s2 = (df * s2 + prior.df * prior.s2) / (df + prior.df);
    df += prior.df;
  }
  const sd = Math.sqrt(s2);
  const half = studentTQuantile(1 - alpha / 2, df) * sd * Math.sqrt(1 + 1 / k);
  return { status: 'ok', k, mean, sd, low: mean - half, high: mean + half };
}

/**
 * The prior of a family of series (limma's, simplified): the pooled variance of their day values,
 * Σ(kᵢ − 1)sᵢ² / Σ(kᵢ − 1), with the median kᵢ − 1 as its weight d₀ (as much as one typical series).
 * Null with no series of at least {@link minReferenceDays} days.
 */
export function pooledVariance(series: readonly (readonly number[])[]): PriorVariance | null {
  let ss = 0;
  let dfSum = 0;
  const dfs: number[] = [];
  for (const values of series) {
    const x = values.filter(Number.isFinite);
    if (x.length < minReferenceDays) continue;
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    ss += x.reduce((a, b) => a + (b - m) ** 2, 0);
    dfSum += x.length - 1;
    dfs.push(x.length - 1);
  }
  if (dfSum === 0) return null;
  dfs.sort((a, b) => a - b);
  return { s2: ss / dfSum, df: dfs[dfs.length >> 1] };
}

/**
 * The day-level limit of a distance: the largest distance of a reference day to the rest of the
 * reference (null with fewer than {@link minReferenceDays} finite values). A window's distance
 * above it is more different from the reference than any reference day is.
 */
export function dayDistanceLimit(values: readonly number[]): number | null {
  const x = values.filter(Number.isFinite);
  return x.length < minReferenceDays ? null : Math.max(...x);
}
