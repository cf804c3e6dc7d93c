/**
 * Smoothed views of a metric series, for display and alert rules: an exponentially weighted
 * moving average (s₁ = x₁, sₜ = α·xₜ + (1 − α)·sₜ₋₁, as pandas' ewm(alpha, adjust=False)) or
 * the mean of the last k values (pandas' rolling(k, min_periods=1).mean()). Points without a
 * value (null, or insufficient_data) are passed through unchanged and do not enter the average.
 */
import type { MetricPoint } from '../store/store.js';

/** How to smooth: EWMA with weight α ∈ (0, 1], or a rolling mean of the last k windows. */
export type SmoothSpec = { kind: 'ewma'; alpha: number } | { kind: 'rolling'; k: number };

/** A smoothed point: the raw value is kept in `raw`. */
export type SmoothedPoint = MetricPoint & { raw: number | null };

function checkSpec(spec: SmoothSpec): void {
  if (spec.kind === 'ewma') {
    if (!(spec.alpha > 0 && spec.alpha <= 1))
      throw new RangeError(`invalid alpha: ${spec.alpha} (expected 0 < alpha <= 1)`);
  } else if (spec.kind === 'rolling') {
    if (!Number.isInteger(spec.k) || spec.k < 1)
      throw new RangeError(`invalid k: ${spec.k} (expected an integer >= 1)`);
  } else
    throw new RangeError(`invalid kind: ${(spec as { kind: unknown }).kind} (expected 'ewma' or 'rolling')`);
}

/** Smooths one series of points (sorted by window start); intervals are dropped from smoothed points. */
export function smoothSeries(points: readonly MetricPoint[], spec: SmoothSpec): SmoothedPoint[] {
  checkSpec(spec);
  let ewma: number | undefined;
  const recent: number[] = [];
  return points.map((p) => {
    if (p.value === null || p.status !== 'ok' || !Number.isFinite(p.value)) return { ...p, raw: p.value };
    let value: number;
    if (spec.kind === 'ewma') {
      ewma = ewma === undefined ? p.value : spec.alpha * p.value + (1 - spec.alpha) * ewma;
      value = ewma;
    } else {
      recent.push(p.value);
      if (recent.length > spec.k) recent.shift();
      value = recent.reduce((a, b) => a + b, 0) / recent.length;
    }
    return { ...p, raw: p.value, value, ciLow: null, ciHigh: null };
  });
}

/** Parses `ewma:0.3` or `rolling:7` into a SmoothSpec; throws a RangeError naming the text. */
export function parseSmooth(text: string): SmoothSpec {
  const m = /^(ewma|rolling):([0-9.]+)$/.exec(text);
  if (!m)
    throw new RangeError(`invalid smooth: ${JSON.stringify(text)} (expected ewma:<alpha> or rolling:<k>)`);
  const spec: SmoothSpec =
    m[1] === 'ewma' ? { kind: 'ewma', alpha: Number(m[2]) } : { kind: 'rolling', k: Number(m[2]) };
  checkSpec(spec);
  return spec;
}
