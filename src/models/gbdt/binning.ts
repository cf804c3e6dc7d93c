/**
 * Histogram binning for the gradient-boosting trainer: every feature value is
 * replaced by a small integer bin so that split finding scans histograms, not rows.
 *
 * - numeric: bin b holds the values in [cuts[b−1], cuts[b]) (the first bin is unbounded below,
 *   the last unbounded above), so "go left when x < cuts[b]" ⟺ "bin ≤ b". When a feature has at
 *   most `maxBin` distinct values the cuts are the distinct values themselves (minus the smallest),
 *   exactly as XGBoost's `hist` does; otherwise they are the distinct data values at the ranks
 *   ⌊k·n/maxBin⌋, k = 1…maxBin−1 (unweighted quantiles, as XGBoost `hist` without sample weights).
 * - categorical: the bin is the category code (0…K−1, K = number of categories).
 * - missing (NaN, or a code outside 0…K−1): one dedicated bin after the value bins, so each
 *   feature has `valueBins + 1` bins in all.
 *
 * The binned matrix is column-major: bin of row i, feature j at `bins[offsetRow(j) + i]`,
 * a Uint8Array when every feature has at most 256 bins (missing included), else a Uint16Array.
 * Reference: Chen & Guestrin, "XGBoost", KDD 2016, §3.3; Ke et al., "LightGBM", NeurIPS 2017.
 */
import type { FeatureType } from '../types.js';

/** A numeric column (NaN = missing) or a column of category codes (NaN or out of range = missing). */
export type FeatureColumn = Float64Array | Float32Array | Int32Array | number[];

/** How one feature is binned. */
export interface FeatureBinning {
  type: FeatureType;
  /** Number of value bins (the missing bin is `valueBins`). */
  valueBins: number;
  /** Numeric only: ascending cut points; `cuts.length === valueBins − 1`. */
  cuts: Float64Array;
}

/** Bin layout of all features plus the binned training matrix. */
export interface BinnedMatrix {
  nRows: number;
  features: FeatureBinning[];
  /** Column-major bins: feature j of row i at `bins[j * nRows + i]`. */
  bins: Uint8Array | Uint16Array;
}

/** Options for {@link computeBinning}. */
export interface BinningOptions {
  /** Maximum number of value bins per numeric feature (XGBoost `max_bin`, default 256). */
  maxBin?: number;
}

const defaults = { maxBin: 256 } satisfies Required<BinningOptions>;

/** Computes per-feature bin cuts from training columns (numeric) and category counts (categorical). */
export function computeBinning(
  columns: readonly FeatureColumn[],
  types: readonly FeatureType[],
  categoryCounts: readonly number[],
  options: BinningOptions = {},
): FeatureBinning[] {
  const { maxBin } = { ...defaults, ...options };
  if (!Number.isInteger(maxBin) || maxBin < 2 || maxBin > 65535)
    throw new RangeError(`invalid maxBin: ${maxBin} (expected an integer in 2…65535)`);
  if (columns.length !== types.length)
    throw new RangeError(`invalid types: ${types.length} types for ${columns.length} columns`);
  return columns.map((col, j) => {
    if (types[j] === 'categorical') {
      const k = categoryCounts[j];
      if (!Number.isInteger(k) || k < 1 || k > 65534)
        throw new RangeError(
          `invalid category count for feature ${j}: ${k} (expected an integer in 1…65534)`,
        );
      return { type: 'categorical', valueBins: k, cuts: new Float64Array(0) };
    }
    const cuts = quantileCuts(col, maxBin);
    return { type: 'numeric', valueBins: cuts.length + 1, cuts };
  });
}

/** Cut points for one numeric column (see the module comment for the convention). */
export function quantileCuts(col: FeatureColumn, maxBin: number): Float64Array {
  const sorted = new Float64Array(col.length);
  let m = 0;
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    if (!Number.isNaN(v)) sorted[m++] = v;
  }
  const values = sorted.subarray(0, m).sort();
  let distinct = 0;
  for (let i = 0; i < m; i++) if (i === 0 || values[i] !== values[i - 1]) distinct++;
  if (distinct <= maxBin) {
    const cuts = new Float64Array(Math.max(0, distinct - 1));
    let c = 0;
    for (let i = 1; i < m; i++) if (values[i] !== values[i - 1]) cuts[c++] = values[i];
    return cuts;
  }
  const out: number[] = [];
  for (let k = 1; k < maxBin; k++) {
    const v = values[Math.floor((k * m) / maxBin)];
    if (v > values[0] && (out.length === 0 || v > out[out.length - 1])) out.push(v);
  }
  return Float64Array.from(out);
}

/** Bin index of a numeric value: the number of cuts ≤ x (upper bound by binary search). */
export function numericBin(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bins columns with an existing layout (training or validation data alike). */
export function applyBinning(columns: readonly FeatureColumn[], features: FeatureBinning[]): BinnedMatrix {
  if (columns.length !== features.length)
    throw new RangeError(`invalid columns: ${columns.length} columns for ${features.length} binned features`);
  const nRows = columns.length === 0 ? 0 : columns[0].length;
  const wide = features.some((f) => f.valueBins + 1 > 256);
  const bins = wide ? new Uint16Array(nRows * features.length) : new Uint8Array(nRows * features.length);
  for (let j = 0; j < features.length; j++) {
    const col = columns[j];
    if (col.length !== nRows)
      throw new RangeError(`invalid column ${j}: ${col.length} rows (expected ${nRows} like column 0)`);
    const f = features[j];
    const missing = f.valueBins;
    const base = j * nRows;
    if (f.type === 'categorical') {
      for (let i = 0; i < nRows; i++) {
        const v = col[i];
        bins[base + i] = v >= 0 && v < missing && Number.isInteger(v) ? v : missing;
      }
    } else {
      const cuts = f.cuts;
      for (let i = 0; i < nRows; i++) {
        const v = col[i];
        if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
          throw new RangeError(
            `invalid value in column ${j} row ${i}: ${v} (expected a finite number, NaN for missing)`,
          );
        bins[base + i] = Number.isNaN(v) ? missing : numericBin(cuts, v);
      }
    }
  }
  return { nRows, features, bins };
}
