/**
 * Gradient histograms: for one tree node, the sums of gradients and hessians
 * of its rows per (feature, bin), interleaved as `[g, h]` pairs in one Float64Array.
 * Feature j's bin b sits at `2 · (offsets[j] + b)`. The histogram of a node's
 * larger child is obtained as parent − smaller child (the subtraction trick,
 * Ke et al., "LightGBM", NeurIPS 2017, §2), so only the smaller child is scanned.
 */
import type { BinnedMatrix } from './binning.js';

/** Bin offsets of each feature in a histogram, plus the total bin count. */
export interface HistogramLayout {
  offsets: Int32Array;
  totalBins: number;
}

/** Lays out every feature's bins (value bins plus the missing bin) one after another. */
export function histogramLayout(matrix: BinnedMatrix): HistogramLayout {
  const offsets = new Int32Array(matrix.features.length);
  let total = 0;
  matrix.features.forEach((f, j) => {
    offsets[j] = total;
    total += f.valueBins + 1;
  });
  return { offsets, totalBins: total };
}

/**
 * Row-major global bin indices for histogram building: entry `r · p + j` holds
 * `offsets[j] + bin(r, j)`, so one row's bins share a cache line and need no offset arithmetic
 * (the layout XGBoost's `GHistIndexMatrix` uses). Uint16Array when the total fits, else Uint32Array.
 */
export interface RowMajorBins {
  nFeatures: number;
  index: Uint16Array | Uint32Array;
}

/** Transposes a column-major binned matrix into row-major global bin indices. */
export function toRowMajorBins(matrix: BinnedMatrix, layout: HistogramLayout): RowMajorBins {
  const p = matrix.features.length;
  const n = matrix.nRows;
  const index = layout.totalBins <= 65536 ? new Uint16Array(n * p) : new Uint32Array(n * p);
  for (let j = 0; j < p; j++) {
    const off = layout.offsets[j];
    const base = j * n;
    for (let i = 0; i < n; i++) index[i * p + j] = off + matrix.bins[base + i];
  }
  return { nFeatures: p, index };
}

/**
 * Fills `hist` with the gradient/hessian sums of rows `rows[start…end)` over the listed features
 * (`allFeatures` true when the list holds every feature, which takes a tighter loop);
 * `gh` holds each row's gradient and hessian interleaved (`gh[2r]`, `gh[2r + 1]`).
 */
export function buildHistogram(
  hist: Float64Array,
  bins: RowMajorBins,
  featureList: Int32Array,
  allFeatures: boolean,
  rows: Int32Array,
  start: number,
  end: number,
  gh: Float64Array,
): void {
  hist.fill(0);
  const index = bins.index;
  const p = bins.nFeatures;
  if (allFeatures) {
    // Unrolled by four features: ~20 % faster in V8 than the plain loop.
    const p4 = p & ~3;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      const g = gh[2 * r];
      const h = gh[2 * r + 1];
      const first = r * p;
      const stop4 = first + p4;
      const stop = first + p;
      let at = first;
      for (; at < stop4; at += 4) {
        const q0 = 2 * index[at];
        const q1 = 2 * index[at + 1];
        const q2 = 2 * index[at + 2];
        const q3 = 2 * index[at + 3];
        hist[q0] += g;
        hist[q0 + 1] += h;
        hist[q1] += g;
        hist[q1 + 1] += h;
        hist[q2] += g;
        hist[q2 + 1] += h;
        hist[q3] += g;
        hist[q3 + 1] += h;
      }
      for (; at < stop; at++) {
        const q = 2 * index[at];
        hist[q] += g;
        hist[q + 1] += h;
      }
    }
    return;
  }
  const m = featureList.length;
  for (let k = start; k < end; k++) {
    const r = rows[k];
    const g = gh[r << 1];
    const h = gh[(r << 1) + 1];
    const base = r * p;
    for (let t = 0; t < m; t++) {
      const q = index[base + featureList[t]] << 1;
      hist[q] += g;
      hist[q + 1] += h;
    }
  }
}

/** In place: `parent ← parent − child` (the parent's buffer becomes the sibling's histogram). */
export function subtractHistogram(parent: Float64Array, child: Float64Array): void {
  for (let i = 0; i < parent.length; i++) parent[i] -= child[i];
}
