/**
 * The in-control mean μ₀ and standard deviation σ that control charts compare
 * against: either given, or estimated from the first `warmup` observations
 * (Welford's running mean and sample variance, n − 1 denominator). Charts
 * raise no alarm during the warm-up (a Phase I / Phase II split, Montgomery,
 * "Introduction to Statistical Quality Control", §7.4).
 */

/** Options shared by the control charts for their in-control parameters. */
export interface BaselineOptions {
  /** Known in-control mean μ₀. Default: estimated from the warm-up. */
  mean?: number;
  /** Known in-control standard deviation σ > 0. Default: estimated from the warm-up. */
  sd?: number;
  /** Observations used to estimate μ₀ and/or σ when they are not given (integer ≥ 2). Default 30. */
  warmup?: number;
}

/** Serialisable state of a `Baseline`. */
export interface BaselineState {
  n: number;
  mean: number;
  m2: number;
}

const defaultWarmup = 30;

/** Tracks the warm-up and yields μ₀ and σ once known. */
export class Baseline {
  readonly #knownMean: number | undefined;
  readonly #knownSd: number | undefined;
  readonly #warmup: number;
  #state: BaselineState = { n: 0, mean: 0, m2: 0 };

  constructor(options: BaselineOptions) {
    const { mean, sd, warmup = defaultWarmup } = options;
    if (mean !== undefined && !Number.isFinite(mean))
      throw new RangeError(`invalid mean: ${mean} (expected a finite number)`);
    if (sd !== undefined && !(sd > 0 && Number.isFinite(sd)))
      throw new RangeError(`invalid sd: ${sd} (expected a finite number > 0)`);
    if (!Number.isInteger(warmup) || warmup < 2)
      throw new RangeError(`invalid warmup: ${warmup} (expected an integer ≥ 2)`);
    this.#knownMean = mean;
    this.#knownSd = sd;
    this.#warmup = mean !== undefined && sd !== undefined ? 0 : warmup;
  }

  /** True once μ₀ and σ are available. */
  get ready(): boolean {
    return this.#state.n >= this.#warmup && (this.#warmup === 0 || this.sd > 0);
  }

  /** μ₀: the given mean, else the warm-up mean. */
  get mean(): number {
    return this.#knownMean ?? this.#state.mean;
  }

  /** σ: the given sd, else the warm-up sample standard deviation. */
  get sd(): number {
    return this.#knownSd ?? Math.sqrt(this.#state.m2 / (this.#state.n - 1));
  }

  /**
   * Feeds one warm-up observation; returns false while still warming up. A constant warm-up
   * (σ̂ = 0) keeps warming up until the data vary.
   */
  observe(x: number): boolean {
    if (this.ready) return true;
    const s = this.#state;
    s.n++;
    const d = x - s.mean;
    s.mean += d / s.n;
    s.m2 += d * (x - s.mean);
    return false;
  }

  /** Forgets the warm-up (given parameters are kept). */
  reset(): void {
    this.#state = { n: 0, mean: 0, m2: 0 };
  }

  /** The warm-up state, for serialisation. */
  get state(): BaselineState {
    return { ...this.#state };
  }

  /** Restores the warm-up state. */
  set state(value: BaselineState) {
    if (!(value.n >= 0) || !Number.isFinite(value.mean) || !(value.m2 >= 0))
      throw new TypeError(`invalid baseline state: ${JSON.stringify(value)}`);
    this.#state = { ...value };
  }
}

/** Throws a RangeError unless x is a finite number. */
export function checkObservation(x: number): void {
  if (typeof x !== 'number' || !Number.isFinite(x))
    throw new RangeError(`invalid x: ${String(x)} (expected a finite number)`);
}
