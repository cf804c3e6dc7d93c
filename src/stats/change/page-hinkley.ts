/**
 * Page–Hinkley test (Page, Biometrika 1954; Hinkley, Biometrika 1971), with the
 * conventions of river's `drift.PageHinkley` (river ≥ 0.15, the version with
 * `mode`), so that thresholds tuned there carry over:
 *
 *   x̄_t = mean of x_1…x_t (including x_t),        dev_t = x_t − x̄_t
 *   S⁺_t = α·S⁺_{t−1} + dev_t − δ,                  m⁺_t = min(m⁺_{t−1}, S⁺_t),  m⁺_0 = +∞
 *   S⁻_t = α·S⁻_{t−1} + dev_t + δ,                  M⁻_t = max(M⁻_{t−1}, S⁻_t),  M⁻_0 = −1
 *   increase_t = S⁺_t − m⁺_t,   decrease_t = M⁻_t − S⁻_t
 *
 * Once t ≥ `minInstances`, an alarm is raised when the tested statistic
 * (increase, decrease or either, by `mode`) is strictly greater than the
 * threshold λ. Everything (mean included) is reset at the next update after an
 * alarm. M⁻_0 = −1 (not −∞) is river's choice and is kept for compatibility.
 *
 * Defaults as river: minInstances 30, δ = 0.005, λ = 50, α = 1 − 10⁻⁴, mode 'both'.
 * δ and λ are in the units of x, so scale them to the data (e.g. λ ≈ 10–50 σ).
 */

import { checkObservation } from './baseline.js';

/** Options of `PageHinkley`. */
export interface PageHinkleyOptions {
  /** Observations before an alarm is possible. Default 30. */
  minInstances?: number;
  /** Magnitude of changes tolerated (δ), in units of x. Default 0.005. */
  delta?: number;
  /** Detection threshold λ, in units of x. Default 50. */
  threshold?: number;
  /** Forgetting factor α of the cumulative sums, in (0, 1]. Default 1 − 1e-4. */
  alpha?: number;
  /** Detect increases ('up'), decreases ('down') or both. Default 'both'. */
  mode?: 'up' | 'down' | 'both';
}

const defaults = { minInstances: 30, delta: 0.005, threshold: 50, alpha: 1 - 0.0001, mode: 'both' } as const;

/** One Page–Hinkley step. */
export interface PageHinkleyStep {
  /** Observations since the start or last reset, this one included. */
  t: number;
  /** Running mean x̄_t. */
  mean: number;
  /** S⁺_t − min S⁺ (evidence of an increase). */
  increase: number;
  /** max S⁻ − S⁻_t (evidence of a decrease). */
  decrease: number;
  /** The statistic tested against the threshold (by mode: increase, decrease or the larger). */
  statistic: number;
  /** True when the tested statistic exceeds the threshold (from t ≥ minInstances on). */
  alarm: boolean;
  /** Direction of the detected change. */
  side: 'up' | 'down' | null;
}

/** Serialisable state of a `PageHinkley`. */
export interface PageHinkleyState {
  type: 'page-hinkley';
  version: 1;
  options: PageHinkleyOptions;
  n: number;
  mean: number;
  sumIncrease: number;
  sumDecrease: number;
  /** null encodes +∞ (JSON has no Infinity). */
  minIncrease: number | null;
  maxDecrease: number;
  alarmed: boolean;
}

/** Streaming Page–Hinkley change detector (river conventions). */
export class PageHinkley {
  readonly #options: PageHinkleyOptions;
  readonly #o: Required<PageHinkleyOptions>;
  #n = 0;
  #mean = 0;
  #sumIncrease = 0;
  #sumDecrease = 0;
  #minIncrease = Number.POSITIVE_INFINITY;
  #maxDecrease = -1;
  #alarmed = false;

  constructor(options: PageHinkleyOptions = {}) {
    const o = { ...defaults, ...options };
    if (!Number.isInteger(o.minInstances) || o.minInstances < 1)
      throw new RangeError(`invalid minInstances: ${o.minInstances} (expected a positive integer)`);
    if (!(o.delta >= 0 && Number.isFinite(o.delta)))
      throw new RangeError(`invalid delta: ${o.delta} (expected a finite number ≥ 0)`);
    if (!(o.threshold > 0 && Number.isFinite(o.threshold)))
      throw new RangeError(`invalid threshold: ${o.threshold} (expected a finite number > 0)`);
    if (!(o.alpha > 0 && o.alpha <= 1))
      throw new RangeError(`invalid alpha: ${o.alpha} (expected a number in (0, 1])`);
    if (o.mode !== 'up' && o.mode !== 'down' && o.mode !== 'both')
      throw new RangeError(`invalid mode: ${String(o.mode)} (expected 'up', 'down' or 'both')`);
    this.#options = { ...options };
    this.#o = o;
  }

  /** Adds one observation (a finite number) and returns the step. */
  update(x: number): PageHinkleyStep {
    checkObservation(x);
    if (this.#alarmed) this.reset();
    const { alpha, delta, threshold, mode, minInstances } = this.#o;
    this.#n++;
    this.#mean += (x - this.#mean) / this.#n;
    const dev = x - this.#mean;
    this.#sumIncrease = alpha * this.#sumIncrease + dev - delta;
    this.#sumDecrease = alpha * this.#sumDecrease + dev + delta;
    if (this.#sumIncrease < this.#minIncrease) this.#minIncrease = this.#sumIncrease;
    if (this.#sumDecrease > this.#maxDecrease) this.#maxDecrease = this.#sumDecrease;
    const increase = this.#sumIncrease - this.#minIncrease;
    const decrease = this.#maxDecrease - this.#sumDecrease;
    let side: 'up' | 'down' | null = null;
    if (this.#n >= minInstances) {
      const up = mode !== 'down' && increase > threshold;
      const down = mode !== 'up' && decrease > threshold;
      side = up && (!down || increase >= decrease) ? 'up' : down ? 'down' : null;
    }
    this.#alarmed = side !== null;
    const statistic = mode === 'up' ? increase : mode === 'down' ? decrease : Math.max(increase, decrease);
    return { t: this.#n, mean: this.#mean, increase, decrease, statistic, alarm: this.#alarmed, side };
  }

  /** Forgets everything seen. */
  reset(): void {
    this.#n = 0;
    this.#mean = 0;
    this.#sumIncrease = 0;
    this.#sumDecrease = 0;
    this.#minIncrease = Number.POSITIVE_INFINITY;
    this.#maxDecrease = -1;
    this.#alarmed = false;
  }

  /** Serialises options and state. */
  toJSON(): PageHinkleyState {
    return {
      type: 'page-hinkley',
      version: 1,
      options: { ...this.#options },
      n: this.#n,
      mean: this.#mean,
      sumIncrease: this.#sumIncrease,
      sumDecrease: this.#sumDecrease,
      minIncrease: Number.isFinite(this.#minIncrease) ? this.#minIncrease : null,
      maxDecrease: this.#maxDecrease,
      alarmed: this.#alarmed,
    };
  }

  /** Restores a detector from `toJSON()` output. */
  static fromJSON(state: PageHinkleyState): PageHinkley {
    if (state === null || typeof state !== 'object' || state.type !== 'page-hinkley' || state.version !== 1)
      throw new TypeError('invalid Page–Hinkley state: expected { type: "page-hinkley", version: 1, … }');
    const d = new PageHinkley(state.options);
    d.#n = state.n;
    d.#mean = state.mean;
    d.#sumIncrease = state.sumIncrease;
    d.#sumDecrease = state.sumDecrease;
    d.#minIncrease = state.minIncrease ?? Number.POSITIVE_INFINITY;
    d.#maxDecrease = state.maxDecrease;
    d.#alarmed = state.alarmed;
    return d;
  }
}

/** Runs Page–Hinkley over a whole series (batch helper); one step per observation. */
export function runPageHinkley(
  series: ArrayLike<number>,
  options: PageHinkleyOptions = {},
): PageHinkleyStep[] {
  const d = new PageHinkley(options);
  return Array.from({ length: series.length }, (_, i) => d.update(series[i]));
}
