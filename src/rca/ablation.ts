/**
 * Error analysis and ablation. The confusion matrix of each window (predictions at `threshold`),
 * and, for suspect features, the current error rate after replacing the feature's current values
 * by values from its baseline distribution and re-scoring with the compiled model: if the error
 * recovers toward the baseline rate, the feature is implicated.
 * - `quantile` (default): numeric values are mapped through the quantile transform
 *   x ↦ F_baseline⁻¹(F_current(x)) (ranks kept, so the row's information survives and a shift or
 *   rescaling is undone); missing values and categories unseen in the baseline are drawn from it;
 * - `permutation`: every value is drawn (seeded, with replacement) from the baseline, so the feature's
 *   information is lost as well (classic permutation ablation).
 * `recoveredShare` = (error now − error ablated) / (error now − error baseline), all three on the
 * model's own re-scored predictions of the labelled rows.
 */
import type { CompiledModel } from '../models/compile.js';
import { alignColumns, type FeatureColumns, predictProbabilities } from '../models/predict.js';
import { quantileSorted, sortFloat64 } from '../stats/quantile.js';
import { createRng, type Rng } from '../stats/random.js';

/** Quantile-maps a numeric column onto the baseline (categorical: keeps known codes); missing and unseen values drawn from the baseline. */
function repairColumn(cur: Float64Array, base: Float64Array, categorical: boolean, rng: Rng): Float64Array {
  const present = base.filter((v) => !Number.isNaN(v));
  const draw = (): number => (present.length > 0 ? present[rng.int(present.length)] : Number.NaN);
  if (categorical) {
    const known = new Set(present);
    return cur.map((v) => (known.has(v) ? v : draw()));
  }
  const refSorted = sortFloat64(present);
  const order = Array.from(cur.keys())
    .filter((r) => !Number.isNaN(cur[r]))
    .sort((a, b) => cur[a] - cur[b]);
  const out = new Float64Array(cur.length);
  for (let r = 0; r < cur.length; r++) if (Number.isNaN(cur[r])) out[r] = draw();
  order.forEach((r, k) => {
    out[r] = refSorted.length > 0 ? quantileSorted(refSorted, (k + 0.5) / order.length) : Number.NaN;
  });
  return out;
}

/** Options of `ablateFeatures`. */
export interface AblationOptions {
  /** Probability at or above which the prediction is positive. Default 0.5. */
  threshold?: number;
  /** Seed of the baseline draws. Default 0. */
  seed?: number;
  /** Independent draws averaged per feature. Default 1. */
  repeats?: number;
  /** `quantile` (default) or `permutation`; see the module comment. */
  method?: 'quantile' | 'permutation';
}

const defaults: Required<AblationOptions> = { threshold: 0.5, seed: 0, repeats: 1, method: 'quantile' };

/** Confusion-matrix shares of one window. */
export interface ConfusionShares {
  n: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  errorRate: number;
  positiveRate: number;
  predictedPositiveRate: number;
}

/** Confusion shares of labelled rows (labels 0/1, NaN skipped) at a threshold. */
export function confusionShares(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold = 0.5,
): ConfusionShares {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let r = 0; r < labels.length; r++) {
    const y = labels[r];
    if (Number.isNaN(y) || Number.isNaN(scores[r])) continue;
    const p = scores[r] >= threshold;
    if (y === 1) p ? tp++ : fn++;
    else p ? fp++ : tn++;
  }
  const n = tp + fp + tn + fn;
  const s = (x: number) => (n > 0 ? x / n : Number.NaN);
  return {
    n,
    tp: s(tp),
    fp: s(fp),
    tn: s(tn),
    fn: s(fn),
    errorRate: s(fp + fn),
    positiveRate: s(tp + fn),
    predictedPositiveRate: s(tp + fp),
  };
}

/** One ablated feature. */
export interface FeatureAblation {
  feature: string;
  errorRate: number;
  /** Error now − error ablated. */
  recovered: number;
  /** recovered / (error now − error baseline); null when the error did not rise. */
  recoveredShare: number | null;
}

/** Result of `ablateFeatures`. */
export interface AblationResult {
  confusion: { current: ConfusionShares; baseline: ConfusionShares };
  features: FeatureAblation[];
}

/** Re-scores the current window with each listed feature drawn from the baseline (see the module comment). */
export function ablateFeatures(
  model: CompiledModel,
  current: FeatureColumns,
  labels: ArrayLike<number>,
  baseline: FeatureColumns,
  baselineLabels: ArrayLike<number>,
  features: readonly string[],
  options: AblationOptions = {},
): AblationResult {
  const o = { ...defaults, ...options };
  if (!(o.threshold > 0 && o.threshold < 1))
    throw new RangeError(`invalid threshold: ${o.threshold} (expected a number in (0, 1))`);
  if (!(Number.isInteger(o.repeats) && o.repeats >= 1))
    throw new RangeError(`invalid repeats: ${o.repeats} (expected an integer >= 1)`);
  const colsC = alignColumns(model, current);
  const colsB = alignColumns(model, baseline);
  const n = colsC[0]?.length ?? 0;
  const nb = colsB[0]?.length ?? 0;
  if (labels.length !== n) throw new RangeError(`invalid labels: ${labels.length} rows (expected ${n})`);
  const cur = confusionShares(predictProbabilities(model, colsC), labels, o.threshold);
  const base = confusionShares(predictProbabilities(model, colsB), baselineLabels, o.threshold);
  const rise = cur.errorRate - base.errorRate;
  const rng = createRng(o.seed);
  const out: FeatureAblation[] = features.map((feature) => {
    const j = model.featureNames.indexOf(feature);
    if (j < 0) throw new RangeError(`invalid feature: ${feature} (expected one of the model's features)`);
    let total = 0;
    for (let k = 0; k < o.repeats; k++) {
      const cols = colsC.slice();
      cols[j] =
        o.method === 'permutation'
          ? Float64Array.from({ length: n }, () => colsB[j][rng.int(nb)])
          : repairColumn(colsC[j], colsB[j], model.featureCategories[j] !== undefined, rng);
      total += confusionShares(predictProbabilities(model, cols), labels, o.threshold).errorRate;
    }
    const errorRate = total / o.repeats;
    const recovered = cur.errorRate - errorRate;
    return { feature, errorRate, recovered, recoveredShare: rise > 0 ? recovered / rise : null };
  });
  out.sort((a, b) => b.recovered - a.recovered);
  return { confusion: { current: cur, baseline: base }, features: out };
}
