/**
 * EWMA control chart (Roberts, "Control chart tests based on geometric moving
 * averages", Technometrics 1959; Montgomery, "Introduction to Statistical
 * Quality Control", §9.2).
 *
 *   z_t = λ·x_t + (1 − λ)·z_{t−1},   z_0 = μ₀
 *   limits_t = μ₀ ± L·σ·sqrt(λ/(2 − λ)·(1 − (1 − λ)^{2t}))
 *
 * with the exact, time-varying variance factor (so the chart is not slow to
 * react right after a start or reset). An alarm is raised when z_t leaves the
 * limits (strictly). The chart keeps running after an alarm; call `reset()` to
 * restart it from μ₀.
 *
 * Defaults λ = 0.2, L = 3: in-control average run length ARL₀ ≈ 560, ARL ≈ 10
 * for a 1σ shift and ≈ 3 for 2σ (our seeded simulation with these exact limits;
 * compare the tables of Lucas & Saccucci, Technometrics 1990, and Montgomery
 * §9.2, where λ = 0.2 with L = 2.962 gives ARL₀ = 500).
 * μ₀ and σ are given, or estimated from a warm-up (see `Baseline`).
 */

import { Baseline, type BaselineOptions, type BaselineState, checkObservation } from './baseline.js';

/** Options of `EwmaChart` (plus `mean`, `sd`, `warmup` of `BaselineOptions`). */
export interface EwmaOptions extends BaselineOptions {
  /** Smoothing weight λ in (0, 1]. Default 0.2 (λ = 1 is a Shewhart chart). */
  lambda?: number;
  /** Width of the limits in σ of z_t. Default 3. */
  L?: number;
}

const defaults = { lambda: 0.2, L: 3 } as const;

/** One step of a control chart. */
export interface EwmaStep {
  /** 1-based index of the charted observation since the start or last reset (0 during warm-up). */
  t: number;
  /** False while the warm-up estimates μ₀ and σ (no alarm possible). */
  ready: boolean;
  /** z_t (NaN during warm-up). */
  statistic: number;
  /** Upper control limit at t (NaN during warm-up). */
  upper: number;
  /** Lower control limit at t (NaN during warm-up). */
  lower: number;
  /** True when z_t is outside the limits. */
  alarm: boolean;
  /** Which limit was crossed. */
  side: 'up' | 'down' | null;
}

/** Serialisable state of an `EwmaChart`. */
export interface EwmaState {
  type: 'ewma';
  version: 1;
  options: EwmaOptions;
  baseline: BaselineState;
  t: number;
  z: number;
}

/** Streaming EWMA control chart. */
export class EwmaChart {
  readonly #options: EwmaOptions;
  readonly #lambda: number;
  readonly #L: number;
  readonly #baseline: Baseline;
  #t = 0;
  #z = Number.NaN;

  constructor(options: EwmaOptions = {}) {
    const { lambda, L } = { ...defaults, ...options };
    if (!(lambda > 0 && lambda <= 1))
      throw new RangeError(`invalid lambda: ${lambda} (expected a number in (0, 1])`);
    if (!(L > 0 && Number.isFinite(L)))
      throw new RangeError(`invalid L: ${L} (expected a finite number > 0)`);
    this.#options = { ...options };
    this.#lambda = lambda;
    this.#L = L;
    this.#baseline = new Baseline(options);
  }

  /** Adds one observation (a finite number) and returns the chart's step. */
  update(x: number): EwmaStep {
    checkObservation(x);
    if (!this.#baseline.observe(x)) {
      return {
        t: 0,
        ready: false,
        statistic: Number.NaN,
        upper: Number.NaN,
        lower: Number.NaN,
        alarm: false,
        side: null,
      };
    }
    const mu = this.#baseline.mean;
    const lambda = this.#lambda;
    if (this.#t === 0) this.#z = mu;
    this.#t++;
    this.#z = lambda * x + (1 - lambda) * this.#z;
    const width =
      this.#L * this.#baseline.sd * Math.sqrt((lambda / (2 - lambda)) * (1 - (1 - lambda) ** (2 * this.#t)));
    const upper = mu + width;
    const lower = mu - width;
    const side = this.#z > upper ? 'up' : this.#z < lower ? 'down' : null;
    return { t: this.#t, ready: true, statistic: this.#z, upper, lower, alarm: side !== null, side };
  }

  /** Restarts the chart at z_0 = μ₀ (and, if μ₀/σ were estimated, repeats the warm-up). */
  reset(): void {
    this.#t = 0;
    this.#z = Number.NaN;
    this.#baseline.reset();
  }

  /** Serialises options and state. */
  toJSON(): EwmaState {
    return {
      type: 'ewma',
      version: 1,
      options: { ...this.#options },
      baseline: this.#baseline.state,
      t: this.#t,
      z: this.#t === 0 ? 0 : this.#z,
    };
  }

  /** Restores a chart from `toJSON()` output. */
  static fromJSON(state: EwmaState): EwmaChart {
    if (state === null || typeof state !== 'object' || state.type !== 'ewma' || state.version !== 1)
      throw new TypeError('invalid EWMA state: expected { type: "ewma", version: 1, … }');
    const chart = new EwmaChart(state.options);
    chart.#baseline.state = state.baseline;
    chart.#t = state.t;
    chart.#z = state.t === 0 ? Number.NaN : state.z;
    return chart;
  }
}

/** Runs an EWMA chart over a whole series (batch helper); one step per observation. */
export function runEwma(series: ArrayLike<number>, options: EwmaOptions = {}): EwmaStep[] {
  const chart = new EwmaChart(options);
  return Array.from({ length: series.length }, (_, i) => chart.update(series[i]));
}
