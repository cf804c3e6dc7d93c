/**
 * DeLong's variance of the ROC-AUC and the test of two correlated AUCs.
 *
 * With m positives x_i and n negatives y_j, ψ(x, y) = 1 if x > y, ½ if x = y, else 0,
 * the structural components are V10_i = (1/n) Σ_j ψ(x_i, y_j) and
 * V01_j = (1/m) Σ_i ψ(x_i, y_j); AUC = mean(V10) = mean(V01) and
 * Var(AUC) = S10/m + S01/n with S10, S01 the sample variances (ddof 1).
 * The components are computed as in Sun & Xu (2014) in O(n log n): each V10_i is the
 * count of negatives below x_i plus half the ties, found by binary search in the
 * sorted negatives (equal to Sun & Xu's midrank difference T_z − T_x).
 * Interval: plain normal, AUC ± z·se, clipped to [0, 1] (as pROC's `ci.auc(method =
 * 'delong')`). References: DeLong, DeLong & Clarke-Pearson (1988), Biometrics 44(3);
 * Sun & Xu (2014), IEEE Signal Processing Letters 21(11).
 */

import { normalQuantile, normalSf } from '../stats/distributions.js';
import { type InsufficientData, insufficientData } from '../stats/insufficient-data.js';
import { checkConfidence } from '../stats/wilson.js';
import { lowerBound, type SplitScores, splitScores, upperBound } from './binary-curve.js';
import { binarize, checkSameLength, type Label } from './labels.js';

/** Options of the DeLong functions. */
export interface DelongOptions {
  /** Two-sided confidence level; default 0.95. */
  confidence?: number;
  /** Label of the positive class; default 1. */
  positiveLabel?: Label;
}

/** DeLong's structural components, in input order of the positives and of the negatives. */
export interface DelongComponents {
  auc: number;
  v10: Float64Array;
  v01: Float64Array;
}

/** A DeLong interval for one AUC. */
export interface DelongInterval {
  auc: number;
  variance: number;
  se: number;
  low: number;
  high: number;
}

/** DeLong's test of H0: AUC_A = AUC_B for two scores of the same samples. */
export interface DelongTest {
  aucA: number;
  aucB: number;
  difference: number;
  se: number;
  z: number;
  /** Two-sided p-value, 2·(1 − Φ(|z|)); NaN when se = 0 and the AUCs are equal. */
  pValue: number;
}

const defaults = { confidence: 0.95, positiveLabel: 1 } as const;

/** Computes DeLong's components V10 (per positive) and V01 (per negative) for a 0/1 target. */
export function delongComponents(
  isPositive: ArrayLike<number>,
  scores: ArrayLike<number>,
  split: SplitScores = splitScores(isPositive, scores),
): DelongComponents {
  const { positives, negatives } = split;
  const m = positives.length;
  const n = negatives.length;
  const v10 = new Float64Array(m);
  const v01 = new Float64Array(n);
  let a = 0;
  let b = 0;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (isPositive[i]) {
      const below = lowerBound(negatives, s);
      v10[a] = (below + 0.5 * (upperBound(negatives, s) - below)) / n;
      sum += v10[a++];
    } else {
      const below = lowerBound(positives, s);
      v01[b++] = 1 - (below + 0.5 * (upperBound(positives, s) - below)) / m;
    }
  }
  return { auc: sum / m, v10, v01 };
}

/**
 * DeLong's components in sorted order (V10 by ascending positive score, V01 by ascending
 * negative score) by one linear merge of the split scores: O(m + n) after sorting. The
 * order does not matter for the variance of one AUC; {@link delongTest} needs input order.
 */
export function delongComponentsSorted({ positives, negatives }: SplitScores): DelongComponents {
  const m = positives.length;
  const n = negatives.length;
  // V10_i = (#negatives below x_i + ½ ties)/n; V01_j = 1 − (#positives below y_j + ½ ties)/m.
  const v10 = placementsSorted(positives, negatives).map((c) => c / n);
  const v01 = placementsSorted(negatives, positives).map((c) => 1 - c / m);
  let sum = 0;
  for (let i = 0; i < m; i++) sum += v10[i];
  return { auc: sum / m, v10, v01 };
}

// For each x of ascending `values`: #others < x + ½·#others = x, by one merge with ascending `others`.
function placementsSorted(values: Float64Array, others: Float64Array): Float64Array {
  const out = new Float64Array(values.length);
  let below = 0;
  let atMost = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    while (below < others.length && others[below] < x) below++;
    if (atMost < below) atMost = below;
    while (atMost < others.length && others[atMost] <= x) atMost++;
    out[i] = below + 0.5 * (atMost - below);
  }
  return out;
}

/** DeLong variance and interval of the ROC-AUC; insufficient data with fewer than 2 positives or negatives. */
export function delongInterval(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: DelongOptions = {},
): DelongInterval | InsufficientData {
  const { confidence, positiveLabel } = { ...defaults, ...options };
  checkSameLength(yTrue, scores, 'yTrue/scores');
  const isPositive = binarize(yTrue, positiveLabel);
  const m = countOnes(isPositive);
  const n = isPositive.length - m;
  if (m < 2 || n < 2) return insufficientData(Math.min(m, n));
  return delongIntervalFromComponents(delongComponentsSorted(splitScores(isPositive, scores)), confidence);
}

/** DeLong interval from precomputed components (at least 2 positives and 2 negatives). */
export function delongIntervalFromComponents(
  { auc, v10, v01 }: DelongComponents,
  confidence = 0.95,
): DelongInterval {
  checkConfidence(confidence);
  const variance = covariance(v10, v10) / v10.length + covariance(v01, v01) / v01.length;
  const se = Math.sqrt(variance);
  const z = -normalQuantile((1 - confidence) / 2);
  return { auc, variance, se, low: Math.max(0, auc - z * se), high: Math.min(1, auc + z * se) };
}

/** DeLong's test that two scores of the same samples have equal AUC; insufficient data as {@link delongInterval}. */
export function delongTest(
  yTrue: ArrayLike<Label>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: Pick<DelongOptions, 'positiveLabel'> = {},
): DelongTest | InsufficientData {
  checkSameLength(yTrue, scoresA, 'yTrue/scoresA');
  checkSameLength(yTrue, scoresB, 'yTrue/scoresB');
  const isPositive = binarize(yTrue, options.positiveLabel ?? defaults.positiveLabel);
  const m = countOnes(isPositive);
  const n = isPositive.length - m;
  if (m < 2 || n < 2) return insufficientData(Math.min(m, n));
  const a = delongComponents(isPositive, scoresA);
  const b = delongComponents(isPositive, scoresB);
  const variance =
    (covariance(a.v10, a.v10) + covariance(b.v10, b.v10) - 2 * covariance(a.v10, b.v10)) / m +
    (covariance(a.v01, a.v01) + covariance(b.v01, b.v01) - 2 * covariance(a.v01, b.v01)) / n;
  const difference = a.auc - b.auc;
  const se = Math.sqrt(Math.max(variance, 0));
  const z = difference / se;
  const pValue = Number.isNaN(z) ? Number.NaN : 2 * normalSf(Math.abs(z));
  return { aucA: a.auc, aucB: b.auc, difference, se, z, pValue };
}

// Sample covariance with ddof 1 (two-pass, centred).
function covariance(x: Float64Array, y: Float64Array): number {
  const k = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < k; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= k;
  my /= k;
  let s = 0;
  for (let i = 0; i < k; i++) s += (x[i] - mx) * (y[i] - my);
  return s / (k - 1);
}

function countOnes(a: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) c += a[i];
  return c;
}
