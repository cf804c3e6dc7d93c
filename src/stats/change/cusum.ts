/**
 * Two-sided tabular CUSUM (Page, "Continuous inspection schemes", Biometrika
 * 1954; Montgomery, "Introduction to Statistical Quality Control", §9.1), in
 * standardised form (values in units of σ):
 *
 *   y_t  = (x_t − μ₀)/σ
 *   C⁺_t = max(0, C⁺_{t−1} + y_t − k),   C⁻_t = max(0, C⁻_{t−1} − y_t − k),   C⁺_0 = C⁻_0 = 0
 *
 * An alarm is raised when C⁺_t > h or C⁻_t > h. N⁺/N⁻ count the consecutive
 * steps with C⁺/C⁻ > 0, so the shift is estimated to have started at
 * t − N + 1 (Montgomery §9.1.2). After an alarm both sums restart from 0 at
 * the next update (`restartOnAlarm`, default true), as river does.
 *
 * Defaults k = 0.5, h = 5 (tuned to a 1σ shift): ARL₀ ≈ 465, ARL ≈ 10.4 for a
 * 1σ shift and ≈ 4 for 2σ (Montgomery, Table 9.3 / Hawkins 1993).
 */

import { Baseline, type BaselineOptions, type BaselineState, checkObservation } from './baseline.js';

/** Options of `Cusum` (plus `mean`, `sd`, `warmup` of `BaselineOptions`). */
export interface CusumOptions extends BaselineOptions {
  /** Reference value (slack) k in σ units, usually half the shift to detect. Default 0.5. */
  k?: number;
  /** Decision interval h in σ units. Default 5. */
  h?: number;
  /** Restart both sums from 0 after an alarm. Default true. */
  restartOnAlarm?: boolean;
}

const defaults = { k: 0.5, h: 5, restartOnAlarm: true } as const;

/** One CUSUM step. */
export interface CusumStep {
  /** 1-based index of the charted observation since the start or last reset (0 during warm-up). */
  t: number;
  /** False while the warm-up estimates μ₀ and σ (no alarm possible). */
  ready: boolean;
  /** C⁺_t in σ units. */
  upper: number;
  /** C⁻_t in σ units. */
  lower: number;
  /** max(C⁺_t, C⁻_t): the statistic compared with h. */
  statistic: number;
  /** True when a sum exceeds h. */
  alarm: boolean;
  /** Which sum crossed h (the larger one if both did). */
  side: 'up' | 'down' | null;
  /** Estimated index t of the first shifted observation when alarming (t − N + 1), else null. */
  changeAt: number | null;
}

/** Serialisable state of a `Cusum`. */
export interface CusumState {
  type: 'cusum';
  version: 1;
  options: CusumOptions;
  baseline: BaselineState;
  t: number;
  upper: number;
  lower: number;
  nUpper: number;
  nLower: number;
  alarmed: boolean;
}

/** Streaming two-sided tabular CUSUM. */
export class Cusum {
  readonly #options: CusumOptions;
  readonly #k: number;
  readonly #h: number;
  readonly #restart: boolean;
  readonly #baseline: Baseline;
  #t = 0;
  #upper = 0;
  #lower = 0;
  #nUpper = 0;
  #nLower = 0;
  #alarmed = false;

  constructor(options: CusumOptions = {}) {
    const { k, h, restartOnAlarm } = { ...defaults, ...options };
    if (!(k >= 0 && Number.isFinite(k)))
      throw new RangeError(`invalid k: ${k} (expected a finite number ≥ 0)`);
    if (!(h > 0 && Number.isFinite(h)))
      throw new RangeError(`invalid h: ${h} (expected a finite number > 0)`);
    this.#options = { ...options };
    this.#k = k;
    this.#h = h;
    this.#restart = restartOnAlarm;
    this.#baseline = new Baseline(options);
  }

  /** Adds one observation (a finite number) and returns the CUSUM step. */
  update(x: number): CusumStep {
    checkObservation(x);
    if (!this.#baseline.observe(x)) {
      return {
        t: 0,
        ready: false,
        upper: 0,
        lower: 0,
        statistic: 0,
        alarm: false,
        side: null,
        changeAt: null,
      };
    }
    if (this.#alarmed && this.#restart) this.#clearSums();
    this.#t++;
    const y = (x - this.#baseline.mean) / this.#baseline.sd;
    this.#upper = Math.max(0, this.#upper + y - this.#k);
    this.#lower = Math.max(0, this.#lower - y - this.#k);
    this.#nUpper = this.#upper > 0 ? this.#nUpper + 1 : 0;
    this.#nLower = this.#lower > 0 ? this.#nLower + 1 : 0;
    const up = this.#upper > this.#h;
    const down = this.#lower > this.#h;
    // When both cross (only possible with large k jumps), report the larger excursion.
    const side = up && (!down || this.#upper >= this.#lower) ? 'up' : down ? 'down' : null;
    this.#alarmed = side !== null;
    const run = side === 'up' ? this.#nUpper : this.#nLower;
    return {
      t: this.#t,
      ready: true,
      upper: this.#upper,
      lower: this.#lower,
      statistic: Math.max(this.#upper, this.#lower),
      alarm: this.#alarmed,
      side,
      changeAt: side === null ? null : this.#t - run + 1,
    };
  }

  /** Restarts from C⁺ = C⁻ = 0 and t = 0 (and repeats the warm-up if μ₀/σ were estimated). */
  reset(): void {
    this.#clearSums();
    this.#t = 0;
    this.#baseline.reset();
  }

  /** Serialises options and state. */
  toJSON(): CusumState {
    return {
      type: 'cusum',
      version: 1,
      options: { ...this.#options },
      baseline: this.#baseline.state,
      t: this.#t,
      upper: this.#upper,
      lower: this.#lower,
      nUpper: this.#nUpper,
      nLower: this.#nLower,
      alarmed: this.#alarmed,
    };
  }

  /** Restores a CUSUM from `toJSON()` output. */
  static fromJSON(state: CusumState): Cusum {
    if (state === null || typeof state !== 'object' || state.type !== 'cusum' || state.version !== 1)
      throw new TypeError('invalid CUSUM state: expected { type: "cusum", version: 1, … }');
    const c = new Cusum(state.options);
    c.#baseline.state = state.baseline;
    c.#t = state.t;
    c.#upper = state.upper;
    c.#lower = state.lower;
    c.#nUpper = state.nUpper;
    c.#nLower = state.nLower;
    c.#alarmed = state.alarmed;
    return c;
  }

  #clearSums(): void {
    this.#upper = 0;
    this.#lower = 0;
    this.#nUpper = 0;
    this.#nLower = 0;
    this.#alarmed = false;
  }
}

/** Runs a CUSUM over a whole series (batch helper); one step per observation. */
export function runCusum(series: ArrayLike<number>, options: CusumOptions = {}): CusumStep[] {
  const c = new Cusum(options);
  return Array.from({ length: series.length }, (_, i) => c.update(series[i]));
}
