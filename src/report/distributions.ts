/**
 * Display distributions for the HTML report: reference and current on shared
 * bins. These are for the eye, not for tests (the drift tests bin on reference
 * quantiles in src/drift): numeric columns get equal-width bins spanning the
 * pooled 0.5 %–99.5 % quantiles (estimated on a deterministic stride sample of
 * at most 20 000 values per side, so 1 M rows cost O(n) not O(n log n)), with
 * values beyond folded into the end bins; categorical columns get their most
 * frequent categories plus "(other)".
 */
import { categoryCounts } from '../stats/histogram.js';
import { quantileSorted, sortFloat64 } from '../stats/quantile.js';

/** Shares per shared bin for a numeric column. */
export interface NumericDistribution {
  kind: 'numeric';
  /** bins + 1 edges, ascending. */
  edges: number[];
  /** Proportion of non-missing values per bin (sums to 1 unless empty). */
  reference: number[];
  current: number[];
}

/** Shares of the top categories for a categorical column. */
export interface CategoricalDistribution {
  kind: 'categorical';
  categories: string[];
  reference: number[];
  current: number[];
}

/** What the report draws for one column. */
export type Distribution = NumericDistribution | CategoricalDistribution;

/** Options of the display distributions. */
export interface DistributionOptions {
  /** Equal-width bins for numeric columns. Default 30. */
  bins?: number;
  /** Categories shown before folding the rest into "(other)". Default 12. */
  topCategories?: number;
}

const defaults: Required<DistributionOptions> = { bins: 30, topCategories: 12 };
const SAMPLE = 20_000;

/** Sorted, NaN-free stride sample of at most SAMPLE values. */
function sortedSample(values: ArrayLike<number>): Float64Array {
  const step = Math.max(1, Math.floor(values.length / SAMPLE));
  const out: number[] = [];
  for (let i = 0; i < values.length; i += step) if (!Number.isNaN(values[i])) out.push(values[i]);
  return sortFloat64(out);
}

function shares(counts: Float64Array): number[] {
  let total = 0;
  for (const c of counts) total += c;
  return Array.from(counts, (c) => (total === 0 ? 0 : c / total));
}

/** Equal-width shared bins over the pooled robust range (see the module comment). O(n). */
export function numericDistribution(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: DistributionOptions = {},
): NumericDistribution {
  let { bins } = { ...defaults, ...options };
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`invalid bins: ${bins} (expected an integer >= 1)`);
  const r = sortedSample(reference);
  const c = sortedSample(current);
  const lows = [r, c].filter((s) => s.length > 0).map((s) => quantileSorted(s, 0.005));
  const highs = [r, c].filter((s) => s.length > 0).map((s) => quantileSorted(s, 0.995));
  let lo = lows.length ? Math.min(...lows) : 0;
  let hi = highs.length ? Math.max(...highs) : 1;
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  // integer data with a small range (hours, weekdays, counts): one bin per value, centred on it
  const integral = [r, c].every((x) => x.every(Number.isInteger));
  if (integral && Math.ceil(hi) - Math.floor(lo) + 1 <= Math.max(bins, 40)) {
    lo = Math.floor(lo) - 0.5;
    hi = Math.ceil(hi) + 0.5;
    bins = Math.round(hi - lo);
  }
  const width = (hi - lo) / bins;
  const count = (values: ArrayLike<number>) => {
    const out = new Float64Array(bins);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isNaN(v)) continue;
      const b = Math.floor((v - lo) / width);
      out[b < 0 ? 0 : b >= bins ? bins - 1 : b]++;
    }
    return out;
  };
  return {
    kind: 'numeric',
    edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * width),
    reference: shares(count(reference)),
    current: shares(count(current)),
  };
}

/** Shares of the most frequent categories (by the larger of the two shares), the rest as "(other)"; values or counts. O(n). */
export function categoricalDistribution(
  reference: ArrayLike<string | null> | ReadonlyMap<string, number>,
  current: ArrayLike<string | null> | ReadonlyMap<string, number>,
  options: DistributionOptions = {},
): CategoricalDistribution {
  const { topCategories } = { ...defaults, ...options };
  const countsOf = (x: ArrayLike<string | null> | ReadonlyMap<string, number>) =>
    x instanceof Map
      ? (x as ReadonlyMap<string, number>)
      : categoryCounts(x as ArrayLike<string | null>).counts;
  const r = countsOf(reference);
  const c = countsOf(current);
  const total = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((s, x) => s + x, 0) || 1;
  const rt = total(r);
  const ct = total(c);
  const keys = new Set([...r.keys(), ...c.keys()]);
  const ranked = [...keys]
    .map((k) => ({ k, rs: (r.get(k) ?? 0) / rt, cs: (c.get(k) ?? 0) / ct }))
    .sort((a, b) => Math.max(b.rs, b.cs) - Math.max(a.rs, a.cs) || (a.k < b.k ? -1 : 1));
  const top = ranked.slice(0, topCategories);
  const rest = ranked.slice(topCategories);
  const out: CategoricalDistribution = {
    kind: 'categorical',
    categories: top.map((t) => t.k),
    reference: top.map((t) => t.rs),
    current: top.map((t) => t.cs),
  };
  if (rest.length > 0) {
    out.categories.push(`(${rest.length} other)`);
    out.reference.push(rest.reduce((s, t) => s + t.rs, 0));
    out.current.push(rest.reduce((s, t) => s + t.cs, 0));
  }
  return out;
}
