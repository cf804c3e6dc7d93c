/**
 * Best-split search on a node's gradient histogram, with XGBoost's objective:
 *
 *   gain = G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)
 *
 * (no ½ factor, as XGBoost's `CalcGain`, so `gamma` is compared with this value), both children
 * needing H ≥ `minChildWeight`. Missing values (the last bin of each feature) are tried on the
 * left and on the right and the better default direction is kept (Chen & Guestrin, KDD 2016,
 * Algorithm 3). Categorical features with fewer than `maxCatToOnehot` categories try each
 * category against the rest; otherwise the categories present in the node are sorted by
 * G/(H+λ) and every prefix/suffix of that order is a candidate partition (Fisher 1958; as
 * LightGBM and XGBoost ≥ 1.6), the side listed in the model (the codes that go right) holding
 * at most `maxCatThreshold` codes.
 */
import type { BinnedMatrix } from './binning.js';
import type { HistogramLayout } from './histogram.js';

/** Split-search parameters (XGBoost names). */
export interface SplitParams {
  lambda: number;
  minChildWeight: number;
  maxCatToOnehot: number;
  maxCatThreshold: number;
}

/** The best split of a node; `goRight[b]` is 1 for the bins (missing bin included) that go right. */
export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: the last bin that goes left; −1 for categorical splits. */
  bin: number;
  goRight: Uint8Array;
  defaultLeft: boolean;
  gLeft: number;
  hLeft: number;
  gRight: number;
  hRight: number;
}

/** Regularised score G²/(H+λ) of a node (XGBoost `CalcGain` without L1). */
export function nodeScore(g: number, h: number, lambda: number): number {
  return (g * g) / (h + lambda);
}

/** Leaf weight −G/(H+λ) before the learning rate. */
export function leafWeight(g: number, h: number, lambda: number): number {
  return -g / (h + lambda);
}

/** Finds the best split over the listed features; null when no split has positive gain. */
export function findBestSplit(
  hist: Float64Array,
  matrix: BinnedMatrix,
  layout: HistogramLayout,
  featureList: Int32Array,
  gTotal: number,
  hTotal: number,
  params: SplitParams,
): SplitCandidate | null {
  const { lambda, minChildWeight: mcw } = params;
  const parent = nodeScore(gTotal, hTotal, lambda);
  // The best candidate so far, kept as scalars; its routing mask is built once at the end.
  let bestGain = 0;
  let bestFeature = -1;
  let bestBin = -1;
  let bestDefaultLeft = false;
  let bestGL = 0;
  let bestHL = 0;
  let bestSet: readonly number[] | null = null;
  const consider = (
    gain: number,
    feature: number,
    gL: number,
    hL: number,
    defaultLeft: boolean,
    bin: number,
    set: readonly number[] | null,
  ): void => {
    bestGain = gain;
    bestFeature = feature;
    bestBin = bin;
    bestDefaultLeft = defaultLeft;
    bestGL = gL;
    bestHL = hL;
    bestSet = set;
  };

  for (let t = 0; t < featureList.length; t++) {
    const j = featureList[t];
    const f = matrix.features[j];
    const nb = f.valueBins;
    const off = layout.offsets[j] << 1;
    const gMiss = hist[off + 2 * nb];
    const hMiss = hist[off + 2 * nb + 1];
    const hasMissing = hMiss > 0;
    if (f.type === 'numeric') {
      let gL = 0;
      let hL = 0;
      for (let b = 0; b < nb - 1; b++) {
        gL += hist[off + 2 * b];
        hL += hist[off + 2 * b + 1];
        // Missing go right.
        let hR = hTotal - hL;
        if (hL >= mcw && hR >= mcw) {
          const gain = nodeScore(gL, hL, lambda) + nodeScore(gTotal - gL, hR, lambda) - parent;
          if (gain > bestGain) consider(gain, j, gL, hL, false, b, null);
        }
        if (!hasMissing) continue;
        // Missing go left.
        const gL2 = gL + gMiss;
        const hL2 = hL + hMiss;
        hR = hTotal - hL2;
        if (hL2 >= mcw && hR >= mcw) {
          const gain = nodeScore(gL2, hL2, lambda) + nodeScore(gTotal - gL2, hR, lambda) - parent;
          if (gain > bestGain) consider(gain, j, gL2, hL2, true, b, null);
        }
      }
      continue;
    }
    // Categorical: categories present in the node.
    const present: number[] = [];
    for (let c = 0; c < nb; c++) if (hist[off + 2 * c + 1] > 0) present.push(c);
    const m = present.length;
    if (m + (hasMissing ? 1 : 0) < 2) continue;
    if (nb < params.maxCatToOnehot) {
      for (const c of present) {
        const gC = hist[off + 2 * c];
        const hC = hist[off + 2 * c + 1];
        // {c} goes right; missing right or left.
        for (const missLeft of hasMissing ? [false, true] : [false]) {
          const gR = gC + (missLeft ? 0 : gMiss);
          const hR = hC + (missLeft ? 0 : hMiss);
          const gL = gTotal - gR;
          const hL = hTotal - hR;
          if (hL < mcw || hR < mcw) continue;
          const gain = nodeScore(gL, hL, lambda) + nodeScore(gR, hR, lambda) - parent;
          if (gain > bestGain) consider(gain, j, gL, hL, missLeft, -1, [c]);
        }
      }
      continue;
    }
    const ratio = present.map((c) => hist[off + 2 * c] / (hist[off + 2 * c + 1] + lambda));
    const order = present.map((_, i) => i).sort((a, b) => ratio[a] - ratio[b] || present[a] - present[b]);
    const sorted = order.map((i) => present[i]);
    let gP = 0;
    let hP = 0;
    for (let k = 1; k < m; k++) {
      const c = sorted[k - 1];
      gP += hist[off + 2 * c];
      hP += hist[off + 2 * c + 1];
      // The listed (right) side: the prefix or the suffix, whichever is smaller and allowed.
      const prefixRight = k <= m - k;
      if (Math.min(k, m - k) > params.maxCatThreshold) continue;
      const gSet = prefixRight ? gP : gTotal - gMiss - gP;
      const hSet = prefixRight ? hP : hTotal - hMiss - hP;
      for (const missLeft of hasMissing ? [false, true] : [false]) {
        const gR = gSet + (missLeft ? 0 : gMiss);
        const hR = hSet + (missLeft ? 0 : hMiss);
        const gL = gTotal - gR;
        const hL = hTotal - hR;
        if (hL < mcw || hR < mcw) continue;
        const gain = nodeScore(gL, hL, lambda) + nodeScore(gR, hR, lambda) - parent;
        if (gain > bestGain)
          consider(gain, j, gL, hL, missLeft, -1, prefixRight ? sorted.slice(0, k) : sorted.slice(k));
      }
    }
  }
  if (bestFeature < 0) return null;
  const nb = matrix.features[bestFeature].valueBins;
  const { goRight } =
    bestSet === null
      ? numericSplit(nb, bestBin, bestDefaultLeft)
      : categoricalSplit(nb, bestSet, bestDefaultLeft);
  return {
    gain: bestGain,
    feature: bestFeature,
    bin: bestBin,
    goRight,
    defaultLeft: bestDefaultLeft,
    gLeft: bestGL,
    hLeft: bestHL,
    gRight: gTotal - bestGL,
    hRight: hTotal - bestHL,
  };
}

function numericSplit(nb: number, bin: number, defaultLeft: boolean): { bin: number; goRight: Uint8Array } {
  const goRight = new Uint8Array(nb + 1);
  goRight.fill(1, bin + 1, nb);
  goRight[nb] = defaultLeft ? 0 : 1;
  return { bin, goRight };
}

function categoricalSplit(
  nb: number,
  right: readonly number[],
  defaultLeft: boolean,
): { bin: number; goRight: Uint8Array } {
  const goRight = new Uint8Array(nb + 1);
  for (const c of right) goRight[c] = 1;
  goRight[nb] = defaultLeft ? 0 : 1;
  return { bin: -1, goRight };
}
