/**
 * Calibration: the reliability curve, as `sklearn.calibration.calibration_curve`
 * (scikit-learn 1.2.1), and the expected calibration error.
 *
 * Bins: `uniform` has edges i/nBins (computed as NumPy's linspace does);
 * `quantile` has edges at the i/nBins quantiles of the probabilities (NumPy's
 * default linear interpolation, type 7). A probability goes to the bin whose index
 * is the number of interior edges strictly below it (`np.searchsorted`, side left),
 * so a value on an edge belongs to the lower bin. Empty bins are dropped.
 * ECE = Σ_b (n_b/N)·|acc_b − conf_b| (fraction of positives minus mean probability)
 * on uniform bins. Reference: Naeini, Cooper & Hauskrecht (2015), "Obtaining well
 * calibrated probabilities using Bayesian binning"; Guo et al. (2017).
 */

import { quantileSorted, sortFloat64 } from '../stats/quantile.js';
import { lowerBound } from './binary-curve.js';
import { binarize, checkSameLength, type Label } from './labels.js';

/** Options of the calibration functions. */
export interface CalibrationOptions {
  /** Number of bins; default 5 for {@link calibrationCurve} (as scikit-learn), 10 for ECE. */
  nBins?: number;
  /** Bin edges: `uniform` (default) or `quantile`. */
  strategy?: 'uniform' | 'quantile';
  /** Label of the positive class; default 1. */
  positiveLabel?: Label;
}

/** One non-empty bin of a reliability curve. */
export interface ReliabilityBin {
  /** Lower and upper edge of the bin. */
  low: number;
  high: number;
  count: number;
  /** Mean predicted probability in the bin (scikit-learn's `prob_pred`). */
  meanPredicted: number;
  /** Fraction of positives in the bin (scikit-learn's `prob_true`). */
  fractionPositive: number;
}

/** A reliability curve: the non-empty bins in increasing order, with scikit-learn's two arrays. */
export interface CalibrationCurve {
  probTrue: Float64Array;
  probPred: Float64Array;
  bins: ReliabilityBin[];
}

const defaults = { nBins: 5, strategy: 'uniform', positiveLabel: 1 } as const;

/** Reliability curve of P(positive) `probabilities` against `yTrue`. */
export function calibrationCurve(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number>,
  options: CalibrationOptions = {},
): CalibrationCurve {
  const { nBins, strategy, positiveLabel } = { ...defaults, ...options };
  checkSameLength(yTrue, probabilities, 'yTrue/probabilities');
  return calibrationBinary(binarize(yTrue, positiveLabel), probabilities, { nBins, strategy });
}

/** Reliability curve on a 0/1 target. */
export function calibrationBinary(
  isPositive: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  options: { nBins?: number; strategy?: 'uniform' | 'quantile' } = {},
): CalibrationCurve {
  const { nBins, strategy } = { ...defaults, ...options };
  if (!Number.isInteger(nBins) || nBins < 1)
    throw new RangeError(`invalid nBins: ${nBins} (expected a positive integer)`);
  if (strategy !== 'uniform' && strategy !== 'quantile')
    throw new RangeError(`invalid strategy: ${String(strategy)} (expected uniform or quantile)`);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`invalid probabilities[${i}]: ${p} (expected a number in [0, 1])`);
  }
  const edges = strategy === 'uniform' ? uniformEdges(nBins) : quantileEdgesNumpy(probabilities, nBins);
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  // The bin is the number of interior edges strictly below p (np.searchsorted(edges[1:-1], p)).
  const interior = edges.subarray(1, nBins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    const b = lowerBound(interior, p);
    sums[b] += p;
    trues[b] += isPositive[i] ? 1 : 0;
    totals[b]++;
  }
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    bins.push({
      low: edges[b],
      high: edges[b + 1],
      count: totals[b],
      meanPredicted: sums[b] / totals[b],
      fractionPositive: trues[b] / totals[b],
    });
  }
  return {
    probTrue: Float64Array.from(bins, (b) => b.fractionPositive),
    probPred: Float64Array.from(bins, (b) => b.meanPredicted),
    bins,
  };
}

/** Expected calibration error Σ_b (n_b/N)·|acc_b − conf_b| on `nBins` uniform bins (default 10); NaN when empty. */
export function expectedCalibrationError(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number>,
  options: Omit<CalibrationOptions, 'strategy'> = {},
): number {
  const { positiveLabel } = { ...defaults, ...options };
  checkSameLength(yTrue, probabilities, 'yTrue/probabilities');
  return eceFromCurve(
    calibrationBinary(binarize(yTrue, positiveLabel), probabilities, { nBins: options.nBins ?? 10 }),
  );
}

/** ECE from a reliability curve's bins. */
export function eceFromCurve({ bins }: CalibrationCurve): number {
  const n = bins.reduce((acc, b) => acc + b.count, 0);
  if (n === 0) return Number.NaN;
  return bins.reduce((acc, b) => acc + (b.count / n) * Math.abs(b.fractionPositive - b.meanPredicted), 0);
}

// np.linspace(0, 1, n + 1): i·(1/n), last edge exactly 1.
function uniformEdges(n: number): Float64Array {
  const step = 1 / n;
  const edges = Float64Array.from({ length: n + 1 }, (_, i) => i * step);
  edges[n] = 1;
  return edges;
}

// np.percentile(p, linspace(0, 1, n + 1) * 100): type-7 quantiles with NumPy's lerp.
function quantileEdgesNumpy(values: ArrayLike<number>, n: number): Float64Array {
  if (values.length === 0) return uniformEdges(n);
  const sorted = sortFloat64(values);
  return uniformEdges(n).map((q) => quantileSorted(sorted, (q * 100) / 100));
}
