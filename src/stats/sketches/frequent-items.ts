/**
 * Frequent items by the Misra–Gries summary (Misra & Gries, "Finding repeated
 * elements", 1982), made mergeable as in Agarwal, Cormode, Huang, Phillips, Wei
 * & Yi, "Mergeable summaries" (PODS 2012).
 *
 * At most k counters are kept. A new item when all k are taken decrements every
 * counter (and the new item) by one, deleting zeros; each such step removes
 * k + 1 units of weight, so the total decrement `offset` satisfies
 * offset ≤ (N − Σ counters)/(k + 1) ≤ N/(k + 1). For every item x with true
 * count f(x): counter(x) ≤ f(x) ≤ counter(x) + offset (an untracked item has
 * counter 0), hence every item with f(x) > offset — in particular every item
 * with f(x) > N/(k + 1) — is tracked.
 *
 * Merge (Agarwal et al. §3): add the counters, then subtract the (k + 1)-th
 * largest counter from all of them and drop the non-positive ones; the
 * subtracted amount is added to `offset` and the bound N/(k + 1) still holds for
 * the merged stream. Weighted updates (`add(x, w)`) are supported.
 */

/** Options of `FrequentItems`. */
export interface FrequentItemsOptions {
  /** Number of counters k; counts are exact to within N/(k + 1). Integer ≥ 1. Default 100. */
  k?: number;
}

const defaults = { k: 100 } as const;

/** An item's counts: lower ≤ true count ≤ upper. */
export interface FrequentItem<T> {
  item: T;
  /** Guaranteed lower bound on the true count (the counter). */
  lower: number;
  /** Guaranteed upper bound on the true count (counter + offset). */
  upper: number;
}

/** Serialised form of `FrequentItems` (counters as [item, count] pairs). */
export interface FrequentItemsJson<T> {
  type: 'frequent-items';
  version: 1;
  k: number;
  n: number;
  offset: number;
  counters: [T, number][];
}

/** A mergeable Misra–Gries frequent-items summary over strings or numbers. */
export class FrequentItems<T extends string | number = string> {
  /** Number of counters. */
  readonly k: number;
  #counters = new Map<T, number>();
  #n = 0;
  #offset = 0;

  constructor(options: FrequentItemsOptions = {}) {
    const { k } = { ...defaults, ...options };
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`invalid k: ${k} (expected a positive integer)`);
    this.k = k;
  }

  /** Total weight N added so far. */
  get n(): number {
    return this.#n;
  }

  /** Maximum undercount of any item (the total decrement); ≤ N/(k + 1). */
  get maxError(): number {
    return this.#offset;
  }

  /** Number of items currently tracked (≤ k). */
  get size(): number {
    return this.#counters.size;
  }

  /** Adds an item with a positive weight (default 1). */
  add(item: T, weight = 1): void {
    if (typeof item !== 'string' && typeof item !== 'number')
      throw new TypeError(`invalid item: ${String(item)} (expected a string or a number)`);
    if (!(weight > 0) || !Number.isFinite(weight))
      throw new RangeError(`invalid weight: ${weight} (expected a finite number > 0)`);
    this.#n += weight;
    const counters = this.#counters;
    while (weight > 0) {
      const current = counters.get(item);
      if (current !== undefined) {
        counters.set(item, current + weight);
        return;
      }
      if (counters.size < this.k) {
        counters.set(item, weight);
        return;
      }
      // Decrement all k counters and the newcomer by d = min(weight, smallest counter):
      // k + 1 units of weight per unit of d, hence offset ≤ N/(k + 1). Amortised O(1) per unit weight.
      let d = weight;
      for (const c of counters.values()) if (c < d) d = c;
      this.#offset += d;
      for (const [key, c] of counters) {
        if (c <= d) counters.delete(key);
        else counters.set(key, c - d);
      }
      weight -= d;
    }
  }

  /** Adds many items with weight 1. */
  addMany(items: Iterable<T>): void {
    for (const item of items) this.add(item);
  }

  /** Merges another summary (same k) into this one (Agarwal et al. 2012); `other` is unchanged. */
  merge(other: FrequentItems<T>): this {
    if (!(other instanceof FrequentItems)) throw new TypeError('invalid other: expected a FrequentItems');
    if (other.k !== this.k) throw new RangeError(`invalid other: k=${other.k} (expected k=${this.k})`);
    const combined = new Map(this.#counters);
    for (const [item, c] of other.#counters) combined.set(item, (combined.get(item) ?? 0) + c);
    let offset = this.#offset + other.#offset;
    if (combined.size > this.k) {
      const sorted = [...combined.values()].sort((a, b) => b - a);
      const cut = sorted[this.k];
      offset += cut;
      for (const [item, c] of combined) {
        if (c <= cut) combined.delete(item);
        else combined.set(item, c - cut);
      }
    }
    this.#counters = combined;
    this.#n += other.#n;
    this.#offset = offset;
    return this;
  }

  /** Bounds on one item's true count (lower 0 when untracked). */
  bounds(item: T): FrequentItem<T> {
    const c = this.#counters.get(item) ?? 0;
    return { item, lower: c, upper: c + this.#offset };
  }

  /**
   * The tracked items by decreasing lower bound, at most `limit` of them (default all).
   * Every item with true count > `maxError` is among the tracked items.
   */
  topK(limit: number = this.k): FrequentItem<T>[] {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`invalid limit: ${limit} (expected a non-negative integer)`);
    const out: FrequentItem<T>[] = [];
    for (const [item, c] of this.#counters) out.push({ item, lower: c, upper: c + this.#offset });
    out.sort((a, b) => b.lower - a.lower || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
    return out.slice(0, limit);
  }

  /**
   * Items whose true count surely exceeds `threshold` (lower > threshold, no false positives) or
   * possibly does (upper > threshold, no false negatives), like DataSketches' ErrorType.
   */
  frequentItems(threshold: number, mode: 'no-false-positives' | 'no-false-negatives'): FrequentItem<T>[] {
    return this.topK().filter((x) => (mode === 'no-false-positives' ? x.lower : x.upper) > threshold);
  }

  /** Serialises the summary. */
  toJSON(): FrequentItemsJson<T> {
    return {
      type: 'frequent-items',
      version: 1,
      k: this.k,
      n: this.#n,
      offset: this.#offset,
      counters: [...this.#counters],
    };
  }

  /** Restores a summary from `toJSON()` output; throws TypeError when the payload is malformed. */
  static fromJSON<T extends string | number>(json: FrequentItemsJson<T>): FrequentItems<T> {
    if (json === null || typeof json !== 'object' || json.type !== 'frequent-items' || json.version !== 1)
      throw new TypeError('invalid frequent-items JSON: expected { type: "frequent-items", version: 1, … }');
    const s = new FrequentItems<T>({ k: json.k });
    if (!Array.isArray(json.counters) || json.counters.length > json.k)
      throw new TypeError(`invalid frequent-items JSON: expected at most ${json.k} counters`);
    for (const [item, c] of json.counters) {
      if (!(c > 0)) throw new TypeError(`invalid frequent-items JSON: count ${c} for ${String(item)}`);
      s.#counters.set(item, c);
    }
    s.#n = json.n;
    s.#offset = json.offset;
    return s;
  }
}
