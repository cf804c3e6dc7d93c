/**
 * A reference column profiled once and reused for every window tested against it: sorted
 * values, missing count, standard deviation, reference-quantile bins and their counts (numeric);
 * category counts (categorical). Building it costs one sort; each window then costs
 * O(m log m) for its own sort (KS, W1) and O(m log bins) for its bin counts.
 */

import { binCountsSorted, categoryCounts } from '../stats/histogram.js';
import { dropMissing } from '../stats/missing.js';
import { sortFloat64 } from '../stats/quantile.js';
import { defaultBins, referenceEdges } from './distributions.js';
import { standardDeviation } from './wasserstein.js';

/** The two column types drift is computed for (booleans are categorical). */
export type DriftColumnType = 'numeric' | 'categorical';

/** Raw values of a numeric column (NaN, ±Infinity, null and undefined are skipped and counted as missing). */
export type NumericValues = ArrayLike<number | null | undefined>;
/** Raw values of a categorical column (null/undefined are missing). */
export type CategoricalValues = ArrayLike<string | null | undefined>;

/** A profiled numeric reference. */
export interface PreparedNumericReference {
  type: 'numeric';
  /** Non-missing values, ascending. */
  sorted: Float64Array;
  /** Number of non-missing values. */
  n: number;
  /** Missing values skipped (NaN, ±Infinity, null, undefined). */
  missing: number;
  /** Population standard deviation (ddof 0, as np.std), the scale of normalised W1. */
  std: number;
  /** Bin edges (referenceEdges: i/bins quantiles, or one bin per value for ≤ bins distinct values). */
  edges: Float64Array;
  /** Reference count per bin (edges.length + 1 bins). */
  binCounts: Float64Array;
}

/** A profiled categorical reference. */
export interface PreparedCategoricalReference {
  type: 'categorical';
  /** Occurrences per category, in first-seen order; these are the bins. */
  counts: Map<string, number>;
  /** The same counts as a vector, in `counts` order. */
  binCounts: Float64Array;
  /** Number of non-missing values. */
  n: number;
  /** Missing values skipped. */
  missing: number;
}

/** A reference column prepared once for many drift tests. */
export type PreparedReference = PreparedNumericReference | PreparedCategoricalReference;

/** Options of {@link prepareReference}. */
export interface PrepareOptions {
  /** Reference-quantile bins for PSI / JS / Hellinger of numeric columns. Default 10. */
  bins?: number;
}

/**
 * Drops NaN/null/undefined (dropMissing) and also ±Infinity, which no distance can place (W1 and
 * quantile edges become infinite or NaN); all are counted as missing. O(n).
 */
function dropNonFinite(values: NumericValues): { values: Float64Array; missing: number } {
  const { values: clean, missing } = dropMissing(values);
  let finite = 0;
  for (let i = 0; i < clean.length; i++) if (Number.isFinite(clean[i])) finite++;
  if (finite === clean.length) return { values: clean, missing };
  return { values: clean.filter(Number.isFinite), missing: missing + clean.length - finite };
}

/** Profiles a numeric reference column (drop missing, sort once, std, quantile bins). O(n log n). */
export function prepareNumericReference(
  values: NumericValues,
  options: PrepareOptions = {},
): PreparedNumericReference {
  const { values: clean, missing } = dropNonFinite(values);
  const sorted = sortFloat64(clean);
  const edges = referenceEdges(sorted, options.bins ?? defaultBins);
  return {
    type: 'numeric',
    sorted,
    n: sorted.length,
    missing,
    std: standardDeviation(sorted),
    edges,
    binCounts: binCountsSorted(sorted, edges),
  };
}

/** Profiles a categorical reference column (category counts). O(n). */
export function prepareCategoricalReference(values: CategoricalValues): PreparedCategoricalReference {
  const { counts, missing } = categoryCounts(values);
  const binCounts = Float64Array.from(counts.values());
  return { type: 'categorical', counts, binCounts, n: values.length - missing, missing };
}

/** Profiles a reference column of either type, for reuse across windows. */
export function prepareReference(
  column: { type: 'numeric'; values: NumericValues } | { type: 'categorical'; values: CategoricalValues },
  options: PrepareOptions = {},
): PreparedReference {
  if (column.type === 'numeric') return prepareNumericReference(column.values, options);
  if (column.type === 'categorical') return prepareCategoricalReference(column.values);
  throw new TypeError(
    `invalid type: ${(column as { type: unknown }).type} (expected 'numeric' or 'categorical')`,
  );
}

/** A current window profiled against a prepared reference (sorted once, binned on the reference's edges). */
export type PreparedCurrent =
  | { type: 'numeric'; sorted: Float64Array; n: number; missing: number; binCounts: Float64Array }
  | { type: 'categorical'; counts: Map<string, number>; n: number; missing: number };

/** Profiles a current window against a prepared reference. O(m log m) numeric, O(m) categorical. */
export function prepareCurrent(
  reference: PreparedReference,
  values: NumericValues | CategoricalValues,
): PreparedCurrent {
  if (reference.type === 'numeric') {
    const { values: clean, missing } = dropNonFinite(values as NumericValues);
    const sorted = sortFloat64(clean);
    return {
      type: 'numeric',
      sorted,
      n: sorted.length,
      missing,
      binCounts: binCountsSorted(sorted, reference.edges),
    };
  }
  const { counts, missing } = categoryCounts(values as CategoricalValues);
  return { type: 'categorical', counts, n: values.length - missing, missing };
}
