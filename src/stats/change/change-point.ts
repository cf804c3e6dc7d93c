/**
 * Offline change-point detection in the mean of a series, to date a change
 * after the fact (e.g. for root-cause analysis).
 *
 * Model: x_i = μ_1 for i < τ, μ_2 for i ≥ τ, plus Gaussian noise of standard
 * deviation σ. τ̂ maximises the least-squares gain
 *
 *   SSE_whole − SSE_split(τ) = τ(n − τ)/n · (x̄_left − x̄_right)²,   τ ∈ [minSegment, n − minSegment]
 *
 * (Hinkley 1970; the squared CUSUM of deviations). The statistic is the
 * likelihood-ratio statistic 2·ln Λ for a single mean change:
 * n·ln(SSE_whole/SSE_split) with σ unknown (the default; Worsley, Biometrika
 * 1979), or gain/σ² when `sd` is given. The change is accepted when the
 * statistic exceeds the penalty, by default 3·ln n: BIC's ln n per extra
 * parameter (the new mean and the location) plus one more ln n for the search
 * over locations, in the spirit of Zhang & Siegmund's modified BIC (Biometrics
 * 2007). With Gaussian noise the false-positive rate is ≈ 1.5 % at n = 50 and
 * < 0.5 % for n ≥ 200 (simulation; see the test).
 *
 * `detectChangePoints` applies binary segmentation (Scott & Knott 1974; Vostrikova
 * 1981): split at the best τ if accepted, then recurse on both sides with the
 * same σ and penalty. O(n log n) typical.
 */
import { quantile } from '../quantile.js';

/** Options of `detectChangePoint` / `detectChangePoints`. */
export interface ChangePointOptions {
  /** Minimum number of observations on each side of a change (integer ≥ 1). Default 5. */
  minSegment?: number;
  /** Known noise standard deviation σ. Default: unknown (the statistic is n·ln(SSE_whole/SSE_split)). */
  sd?: number;
  /** Threshold on the statistic. Default 3·ln n. */
  penalty?: number;
  /** Maximum number of changes `detectChangePoints` reports. Default 10. */
  maxChanges?: number;
}

const defaults = { minSegment: 5, maxChanges: 10 } as const;

/** A single located change. */
export interface ChangePoint {
  /** Index of the first observation of the new regime (0-based). */
  index: number;
  meanBefore: number;
  meanAfter: number;
  /** 2·ln Λ at τ̂: n·ln(SSE_whole/SSE_split), or gain/σ² when σ is given. */
  statistic: number;
}

/** Result of `detectChangePoint`. */
export type ChangePointResult =
  | { status: 'insufficient_data'; n: number }
  | ({
      status: 'ok';
      n: number;
      /** True when the statistic > penalty. The best split is reported either way. */
      changed: boolean;
      penalty: number;
      /** The given σ, else the residual sd of the best split, sqrt(SSE_split/(n − 2)). */
      sd: number;
    } & ChangePoint);

/** Result of `detectChangePoints`. */
export type ChangePointsResult =
  | { status: 'insufficient_data'; n: number }
  | {
      status: 'ok';
      n: number;
      /** Accepted changes by increasing index. */
      changes: ChangePoint[];
      /** The segments between changes: [start, end) and mean. */
      segments: { start: number; end: number; mean: number }[];
      penalty: number;
      /** The given σ, else the residual sd after all accepted changes (n − #segments denominator). */
      sd: number;
    };

interface Prepared {
  prefix: Float64Array;
  prefixSq: Float64Array;
  minSegment: number;
  penalty: number;
  sd: number | undefined;
  maxChanges: number;
}

function prepare(series: ArrayLike<number>, options: ChangePointOptions): Prepared | null {
  const { minSegment, maxChanges, sd, penalty } = { ...defaults, ...options };
  if (!Number.isInteger(minSegment) || minSegment < 1)
    throw new RangeError(`invalid minSegment: ${minSegment} (expected a positive integer)`);
  if (!Number.isInteger(maxChanges) || maxChanges < 1)
    throw new RangeError(`invalid maxChanges: ${maxChanges} (expected a positive integer)`);
  if (sd !== undefined && !(sd > 0 && Number.isFinite(sd)))
    throw new RangeError(`invalid sd: ${sd} (expected a finite number > 0)`);
  if (penalty !== undefined && !(penalty >= 0 && Number.isFinite(penalty)))
    throw new RangeError(`invalid penalty: ${penalty} (expected a finite number ≥ 0)`);
  const n = series.length;
  const prefix = new Float64Array(n + 1);
  const prefixSq = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const x = series[i];
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new RangeError(`invalid series[${i}]: ${String(x)} (expected a finite number)`);
    prefix[i + 1] = prefix[i] + x;
    prefixSq[i + 1] = prefixSq[i] + x * x;
  }
  if (n < 2 * minSegment) return null;
  return {
    prefix,
    prefixSq,
    minSegment,
    maxChanges,
    penalty: penalty ?? 3 * Math.log(n),
    sd,
  };
}

/** MAD of first differences / (0.67449·√2): σ of i.i.d. noise, robust to level shifts (0 when n < 3). */
export function estimateNoiseSd(series: ArrayLike<number>): number {
  const n = series.length;
  if (n < 3) return 0;
  const diffs = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) diffs[i - 1] = series[i] - series[i - 1];
  const med = quantile(diffs, 0.5);
  for (let i = 0; i < diffs.length; i++) diffs[i] = Math.abs(diffs[i] - med);
  return quantile(diffs, 0.5) / (0.6744897501960817 * Math.SQRT2);
}

/** Best split of [start, end): index, means and the raw SSE gain (not yet divided by σ²). */
function bestSplit(
  p: Prepared,
  start: number,
  end: number,
): { index: number; gain: number; left: number; right: number } | null {
  const len = end - start;
  if (len < 2 * p.minSegment) return null;
  const total = p.prefix[end] - p.prefix[start];
  let best = -1;
  let bestGain = -1;
  for (let tau = start + p.minSegment; tau <= end - p.minSegment; tau++) {
    const nl = tau - start;
    const nr = end - tau;
    const sl = p.prefix[tau] - p.prefix[start];
    const d = sl / nl - (total - sl) / nr;
    const gain = ((nl * nr) / len) * d * d;
    if (gain > bestGain) {
      bestGain = gain;
      best = tau;
    }
  }
  const sl = p.prefix[best] - p.prefix[start];
  return { index: best, gain: bestGain, left: sl / (best - start), right: (total - sl) / (end - best) };
}

function segmentSse(p: Prepared, start: number, end: number): number {
  const s = p.prefix[end] - p.prefix[start];
  return Math.max(0, p.prefixSq[end] - p.prefixSq[start] - (s * s) / (end - start));
}

/** 2·ln Λ of splitting [start, end) with the given SSE gain. */
function statisticOf(p: Prepared, start: number, end: number, gain: number): number {
  if (p.sd !== undefined) return gain / (p.sd * p.sd);
  const whole = segmentSse(p, start, end);
  const split = whole - gain;
  if (!(gain > 0)) return 0;
  // Relative to the segment's scale, a residual this small is rounding error: an exact step.
  if (split <= whole * 1e-14) return Number.POSITIVE_INFINITY;
  return (end - start) * Math.log(whole / split);
}

/** Locates the single most likely change in mean and says whether it beats the penalty. */
export function detectChangePoint(
  series: ArrayLike<number>,
  options: ChangePointOptions = {},
): ChangePointResult {
  const p = prepare(series, options);
  const n = series.length;
  if (p === null) return { status: 'insufficient_data', n };
  const split = bestSplit(p, 0, n)!;
  const statistic = statisticOf(p, 0, n, split.gain);
  const sd = p.sd ?? Math.sqrt((segmentSse(p, 0, split.index) + segmentSse(p, split.index, n)) / (n - 2));
  return {
    status: 'ok',
    n,
    changed: statistic > p.penalty,
    index: split.index,
    meanBefore: split.left,
    meanAfter: split.right,
    statistic,
    penalty: p.penalty,
    sd,
  };
}

/** Locates several changes in mean by binary segmentation with a penalised gain. */
export function detectChangePoints(
  series: ArrayLike<number>,
  options: ChangePointOptions = {},
): ChangePointsResult {
  const p = prepare(series, options);
  const n = series.length;
  if (p === null) return { status: 'insufficient_data', n };
  const changes: ChangePoint[] = [];
  // Candidate splits of segments still open; a segment whose best split fails the penalty is closed.
  type Candidate = { start: number; end: number; change: ChangePoint };
  const candidate = (start: number, end: number): Candidate | null => {
    const s = bestSplit(p, start, end);
    if (s === null) return null;
    const statistic = statisticOf(p, start, end, s.gain);
    if (!(statistic > p.penalty)) return null;
    return { start, end, change: { index: s.index, meanBefore: s.left, meanAfter: s.right, statistic } };
  };
  const open: Candidate[] = [];
  const first = candidate(0, n);
  if (first) open.push(first);
  while (open.length > 0 && changes.length < p.maxChanges) {
    // Accept the strongest open split first, so that maxChanges keeps the strongest changes.
    let best = 0;
    for (let i = 1; i < open.length; i++)
      if (open[i].change.statistic > open[best].change.statistic) best = i;
    const { start, end, change } = open.splice(best, 1)[0];
    changes.push(change);
    for (const next of [candidate(start, change.index), candidate(change.index, end)])
      if (next) open.push(next);
  }
  changes.sort((a, b) => a.index - b.index);
  const bounds = [0, ...changes.map((c) => c.index), n];
  const segments = bounds.slice(0, -1).map((start, i) => {
    const end = bounds[i + 1];
    return { start, end, mean: (p.prefix[end] - p.prefix[start]) / (end - start) };
  });
  const residual = segments.reduce((acc, seg) => acc + segmentSse(p, seg.start, seg.end), 0);
  const sd = p.sd ?? Math.sqrt(residual / Math.max(1, n - segments.length));
  return { status: 'ok', n, changes, segments, penalty: p.penalty, sd };
}
