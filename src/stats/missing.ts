/**
 * Missing-value handling shared by every statistic: NaN, null and undefined
 * are skipped and counted (as d3-array does), never silently coerced to 0.
 */

/** The finite-or-infinite values kept, and how many missing ones were dropped. */
export interface DropMissingResult {
  /** The non-missing values, in input order. */
  values: Float64Array;
  /** How many NaN / null / undefined entries were skipped. */
  missing: number;
}

/** Returns `values` without NaN/null/undefined (±Infinity are kept), and how many were dropped. O(n). */
export function dropMissing(values: ArrayLike<number | null | undefined>): DropMissingResult {
  const n = values.length;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    out[k++] = v;
  }
  return { values: k === n ? out : out.slice(0, k), missing: n - k };
}
