/**
 * Confidence-based performance estimation (CBPE, as NannyML): estimate a binary classifier's
 * performance where labels have not arrived, from its scores calibrated on a labelled reference.
 *
 * 1. Calibrate: isotonic regression of the reference labels on the reference scores (pool
 *    adjacent violators with tied scores pooled first, predictions linearly interpolated between
 *    the fitted points and clipped outside them, as sklearn.isotonic.IsotonicRegression with
 *    out_of_bounds='clip'), or equal-width histogram binning.
 * 2. Estimate: with calibrated probabilities pᵢ and predictions ŷᵢ, the expected confusion
 *    counts are E[TP] = Σ_{ŷ=1} pᵢ, E[FP] = Σ_{ŷ=1} (1 − pᵢ), E[FN] = Σ_{ŷ=0} pᵢ,
 *    E[TN] = Σ_{ŷ=0} (1 − pᵢ); accuracy, precision, recall and F1 are taken from them (NannyML's
 *    estimators). ROC-AUC is the area under the expected ROC curve (TPR/FPR from cumulative
 *    expected positives/negatives over the scores in decreasing order, as NannyML).
 * 3. Interval: the realised metric varies around its expectation even when the calibration is
 *    right (labels yᵢ ~ Bernoulli(pᵢ), independent). `interval: 'analytic'` (default) uses that
 *    law directly: accuracy and precision are means of independent Bernoullis (variance
 *    Σ qᵢ(1 − qᵢ)/n², the predicted-positive count being fixed), recall and F1 are ratios of the
 *    independent sums TP and FN (delta method), ROC-AUC uses Hanley & McNeil's (1982) standard
 *    error at the expected class counts; normal intervals, clipped to [0, 1].
 *    `interval: 'simulation'` draws the labels with a seeded generator, recomputes the metrics
 *    and takes percentile intervals (O(S·n), the reference the analytic one is tested against).
 *
 * Reference: NannyML, "Confidence-based Performance Estimation" (docs.nannyml.com, how it works);
 * Zadrozny & Elkan (2002) for isotonic calibration; Ayer et al. (1955) for PAV.
 */
import { lowerBound } from '../stats/binary-search.js';
import { normalQuantile } from '../stats/distributions.js';
import { quantileSorted, sortFloat64 } from '../stats/quantile.js';
import { createRng } from '../stats/random.js';
import { checkConfidence } from '../stats/wilson.js';

/** A fitted calibrator: piecewise-linear (isotonic) or piecewise-constant (histogram) map. */
export interface Calibrator {
  method: 'isotonic' | 'histogram';
  /** Isotonic: increasing score knots; histogram: the bin edges (bins + 1 values). */
  x: Float64Array;
  /** Isotonic: fitted probability at each knot; histogram: positive fraction per bin. */
  y: Float64Array;
}

/** Options of {@link fitCalibrator}. */
export interface CalibratorOptions {
  /** 'isotonic' (default) or 'histogram'. */
  method?: 'isotonic' | 'histogram';
  /** Equal-width bins on [0, 1] for 'histogram'. Default 20. */
  bins?: number;
}

const calibratorDefaults = { method: 'isotonic', bins: 20 } as const;

/** Fits a calibrator of P(label = 1 | score) on labelled reference rows (labels 0/1). O(n log n). */
export function fitCalibrator(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: CalibratorOptions = {},
): Calibrator {
  const o = { ...calibratorDefaults, ...options };
  const n = scores.length;
  if (labels.length !== n) throw new RangeError(`invalid labels: length ${labels.length} (expected ${n})`);
  if (n === 0) throw new RangeError('invalid scores: empty (expected at least one labelled row)');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]))
      throw new RangeError(`invalid scores[${i}]: ${scores[i]} (expected a finite number)`);
    if (labels[i] !== 0 && labels[i] !== 1)
      throw new RangeError(`invalid labels[${i}]: ${labels[i]} (expected 0 or 1)`);
  }
  if (o.method === 'histogram') return fitHistogram(scores, labels, o.bins);
  if (o.method !== 'isotonic')
    throw new RangeError(`invalid method: ${String(o.method)} (expected 'isotonic' or 'histogram')`);
  return fitIsotonic(scores, labels);
}

function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): Calibrator {
  // Distinct scores with their label sums and counts (sklearn pools tied x first): the scores
  // of each class sorted as typed arrays, then merged. O(n log n) without a comparator sort.
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const pos = new Float64Array(positives);
  const neg = new Float64Array(scores.length - positives);
  let a = 0;
  let b = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i]) pos[a++] = scores[i];
    else neg[b++] = scores[i];
  }
  pos.sort();
  neg.sort();
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  a = 0;
  b = 0;
  while (a < pos.length || b < neg.length) {
    const x = b >= neg.length || (a < pos.length && pos[a] <= neg[b]) ? pos[a] : neg[b];
    let sum = 0;
    let weight = 0;
    while (a < pos.length && pos[a] === x) {
      sum++;
      weight++;
      a++;
    }
    while (b < neg.length && neg[b] === x) {
      weight++;
      b++;
    }
    xs.push(x);
    sums.push(sum);
    weights.push(weight);
  }
  const m = xs.length;
  const blockValue: number[] = [];
  const blockWeight: number[] = [];
  const blockEnd: number[] = [];
  for (let j = 0; j < m; j++) {
    let value = sums[j] / weights[j];
    let weight = weights[j];
    while (blockValue.length > 0 && blockValue[blockValue.length - 1] >= value) {
      const w = blockWeight.pop()!;
      const v = blockValue.pop()!;
      blockEnd.pop();
      value = (v * w + value * weight) / (w + weight);
      weight += w;
    }
    blockValue.push(value);
    blockWeight.push(weight);
    blockEnd.push(j);
  }
  const fitted = new Float64Array(m);
  let start = 0;
  for (let b = 0; b < blockValue.length; b++) {
    for (let j = start; j <= blockEnd[b]; j++) fitted[j] = blockValue[b];
    start = blockEnd[b] + 1;
  }
  // Keep only knots where the fit changes slope (sklearn keeps the first and last of each flat run).
  const keepX: number[] = [];
  const keepY: number[] = [];
  for (let j = 0; j < m; j++) {
    const flatBefore = j > 0 && fitted[j - 1] === fitted[j];
    const flatAfter = j < m - 1 && fitted[j + 1] === fitted[j];
    if (!(flatBefore && flatAfter)) {
      keepX.push(xs[j]);
      keepY.push(fitted[j]);
    }
  }
  return { method: 'isotonic', x: Float64Array.from(keepX), y: Float64Array.from(keepY) };
}

function fitHistogram(scores: ArrayLike<number>, labels: ArrayLike<number>, bins: number): Calibrator {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`invalid bins: ${bins} (expected a positive integer)`);
  const x = Float64Array.from({ length: bins + 1 }, (_, i) => i / bins);
  const positives = new Float64Array(bins);
  const totals = new Float64Array(bins);
  for (let i = 0; i < scores.length; i++) {
    const b = histogramBin(scores[i], bins);
    positives[b] += labels[i];
    totals[b]++;
  }
  // An empty bin takes the overall positive rate (no evidence either way).
  let overall = 0;
  for (let i = 0; i < labels.length; i++) overall += labels[i];
  overall /= labels.length;
  const y = positives.map((p, b) => (totals[b] > 0 ? p / totals[b] : overall));
  return { method: 'histogram', x, y };
}

function histogramBin(score: number, bins: number): number {
  return Math.min(bins - 1, Math.max(0, Math.floor(score * bins)));
}

/** Calibrated probability of one score. O(log k). */
export function calibrate(calibrator: Calibrator, score: number): number {
  const { x, y } = calibrator;
  if (calibrator.method === 'histogram') return y[histogramBin(score, y.length)];
  if (score <= x[0]) return y[0];
  const k = x.length;
  if (score >= x[k - 1]) return y[k - 1];
  let lo = 0;
  let hi = k - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  const t = (score - x[lo]) / (x[hi] - x[lo]);
  return y[lo] + t * (y[hi] - y[lo]);
}

/** Calibrated probabilities of many scores. */
export function calibrateAll(calibrator: Calibrator, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = calibrate(calibrator, scores[i]);
  return out;
}

/** The metrics CBPE estimates. */
export type CbpeMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'rocAuc';

/** One estimated metric: the expectation and the simulated interval (null when undefined). */
export interface CbpeEstimate {
  value: number | null;
  ci: { low: number; high: number } | null;
}

/** Options of {@link estimatePerformance}. */
export interface EstimateOptions {
  /** Predicted classes (0/1); default: score ≥ threshold. */
  yPred?: ArrayLike<number>;
  /** Decision threshold on the raw scores when yPred is absent. Default 0.5. */
  threshold?: number;
  /** 'analytic' (default) or 'simulation' (see the module comment). */
  interval?: 'analytic' | 'simulation';
  /** Simulated label sets for interval 'simulation'. Default 200. */
  simulations?: number;
  /** Two-sided confidence level. Default 0.95. */
  confidence?: number;
  /** Seed of the simulation. Default 0. */
  seed?: number;
}

const estimateDefaults = {
  threshold: 0.5,
  interval: 'analytic' as 'analytic' | 'simulation',
  simulations: 200,
  confidence: 0.95,
  seed: 0,
};

/** Estimated performance of one window. */
export interface CbpeResult {
  n: number;
  /** Expected number of positives Σ pᵢ. */
  expectedPositives: number;
  metrics: Record<CbpeMetric, CbpeEstimate>;
}

interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

function countMetrics(c: Counts): Record<Exclude<CbpeMetric, 'rocAuc'>, number | null> {
  const n = c.tp + c.fp + c.fn + c.tn;
  return {
    accuracy: ratio(c.tp + c.tn, n),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

/** Index of each row's distinct score, distinct scores ascending (typed sort + binary search). */
function scoreGroups(scores: ArrayLike<number>): { group: Int32Array; k: number } {
  const sorted = Float64Array.from(scores).sort();
  let k = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[k++] = sorted[i];
  const distinct = sorted.subarray(0, k);
  const group = new Int32Array(scores.length);
  for (let i = 0; i < scores.length; i++) group[i] = lowerBound(distinct, scores[i]);
  return { group, k };
}

/**
 * AUC of the ROC curve traced by per-row positive weights w⁺ᵢ (and 1 − w⁺ᵢ negative) with the
 * threshold moving down the distinct scores (tied scores form one step, trapezoid within it).
 */
function groupedAuc(groups: { group: Int32Array; k: number }, pos: ArrayLike<number>): number | null {
  const posSum = new Float64Array(groups.k);
  const negSum = new Float64Array(groups.k);
  for (let i = 0; i < groups.group.length; i++) {
    posSum[groups.group[i]] += pos[i];
    negSum[groups.group[i]] += 1 - pos[i];
  }
  let tp = 0;
  let area = 0;
  let totalNeg = 0;
  for (let g = groups.k - 1; g >= 0; g--) {
    area += negSum[g] * (tp + posSum[g] / 2);
    tp += posSum[g];
    totalNeg += negSum[g];
  }
  return tp > 0 && totalNeg > 0 ? area / (tp * totalNeg) : null;
}

/**
 * Estimates accuracy, precision, recall, F1 and ROC-AUC of a window from calibrated probabilities
 * (see the module comment), with percentile intervals from simulated labels. `scores` are the raw
 * scores (they order the ROC curve and make yPred); `probabilities` the calibrated ones.
 */
export function estimatePerformance(
  scores: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  options: EstimateOptions = {},
): CbpeResult {
  const o = { ...estimateDefaults, ...options };
  const n = scores.length;
  if (probabilities.length !== n)
    throw new RangeError(`invalid probabilities: length ${probabilities.length} (expected ${n})`);
  checkConfidence(o.confidence);
  if (!Number.isInteger(o.simulations) || o.simulations < 0)
    throw new RangeError(`invalid simulations: ${o.simulations} (expected an integer >= 0)`);
  const yPred = new Uint8Array(n);
  for (let i = 0; i < n; i++) yPred[i] = (o.yPred ? o.yPred[i] : scores[i] >= o.threshold ? 1 : 0) ? 1 : 0;
  const expected: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  let expectedPositives = 0;
  for (let i = 0; i < n; i++) {
    const p = probabilities[i];
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`invalid probabilities[${i}]: ${p} (expected a number in [0, 1])`);
    expectedPositives += p;
    if (yPred[i]) {
      expected.tp += p;
      expected.fp += 1 - p;
    } else {
      expected.fn += p;
      expected.tn += 1 - p;
    }
  }
  const groups = scoreGroups(scores);
  const point = { ...countMetrics(expected), rocAuc: groupedAuc(groups, probabilities) };
  if (o.interval === 'analytic') {
    return {
      n,
      expectedPositives,
      metrics: analyticIntervals(point, probabilities, yPred, expected, o.confidence),
    };
  }
  if (o.interval !== 'simulation')
    throw new RangeError(`invalid interval: ${String(o.interval)} (expected 'analytic' or 'simulation')`);
  const names: CbpeMetric[] = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc'];
  const draws: Record<CbpeMetric, number[]> = { accuracy: [], precision: [], recall: [], f1: [], rocAuc: [] };
  const rng = createRng(o.seed);
  const simulated = new Float64Array(n);
  for (let s = 0; s < o.simulations; s++) {
    const c: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
    for (let i = 0; i < n; i++) {
      const y = rng.next() < probabilities[i] ? 1 : 0;
      simulated[i] = y;
      if (yPred[i]) y ? c.tp++ : c.fp++;
      else y ? c.fn++ : c.tn++;
    }
    const m = { ...countMetrics(c), rocAuc: groupedAuc(groups, simulated) };
    for (const name of names) {
      const v = m[name];
      if (v !== null) draws[name].push(v);
    }
  }
  const tail = (1 - o.confidence) / 2;
  const metrics = {} as Record<CbpeMetric, CbpeEstimate>;
  for (const name of names) {
    const d = sortFloat64(draws[name]);
    const ci =
      point[name] !== null && d.length >= 2
        ? { low: quantileSorted(d, tail), high: quantileSorted(d, 1 - tail) }
        : null;
    metrics[name] = { value: point[name], ci };
  }
  return { n, expectedPositives, metrics };
}

/** Normal intervals from the Bernoulli variances of the realised counts (see the module comment). */
function analyticIntervals(
  point: Record<CbpeMetric, number | null>,
  p: ArrayLike<number>,
  yPred: Uint8Array,
  e: Counts,
  confidence: number,
): Record<CbpeMetric, CbpeEstimate> {
  const n = p.length;
  let vPos = 0; // Σ_{ŷ=1} p(1 − p): variance of TP (and of FP)
  let vNeg = 0; // Σ_{ŷ=0} p(1 − p): variance of FN (and of TN)
  for (let i = 0; i < n; i++) {
    const v = p[i] * (1 - p[i]);
    if (yPred[i]) vPos += v;
    else vNeg += v;
  }
  const predictedPositive = e.tp + e.fp;
  const a = e.tp;
  const b = e.fn;
  const variance: Record<CbpeMetric, number> = {
    accuracy: (vPos + vNeg) / (n * n),
    precision: predictedPositive > 0 ? vPos / (predictedPositive * predictedPositive) : Number.NaN,
    recall: a + b > 0 ? (b * b * vPos + a * a * vNeg) / (a + b) ** 4 : Number.NaN,
    f1: (4 * (predictedPositive + b) ** 2 * vPos + 4 * a * a * vNeg) / (predictedPositive + a + b) ** 4,
    rocAuc: Number.NaN,
  };
  const auc = point.rocAuc;
  const n1 = e.tp + e.fn;
  const n0 = e.fp + e.tn;
  if (auc !== null && n1 > 1 && n0 > 1) {
    // Hanley & McNeil (1982), eq. 2, at the expected numbers of positives and negatives
    const q1 = auc / (2 - auc);
    const q2 = (2 * auc * auc) / (1 + auc);
    variance.rocAuc =
      (auc * (1 - auc) + (n1 - 1) * (q1 - auc * auc) + (n0 - 1) * (q2 - auc * auc)) / (n1 * n0);
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const out = {} as Record<CbpeMetric, CbpeEstimate>;
  for (const name of Object.keys(variance) as CbpeMetric[]) {
    const value = point[name];
    const sd = Math.sqrt(variance[name]);
    out[name] =
      value === null || !Number.isFinite(sd)
        ? { value, ci: null }
        : { value, ci: { low: Math.max(0, value - z * sd), high: Math.min(1, value + z * sd) } };
  }
  return out;
}
