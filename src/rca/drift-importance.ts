/**
 * Drift × importance: features ranked by how much they drifted (the drift effect size divided by
 * its material floor, so that numeric and categorical effects share a scale) times how much the
 * model relies on them (mean |SHAP| relative to the most important feature), with the data-quality
 * changes (missing rate, new categories, out-of-range values) of the same features.
 *
 * Drift uses `detectColumnDrift` with analytic significance (KS for numeric, χ² for categorical,
 * so no null resampling) and its default effect size; quality uses `checkQuality`.
 */
import { type ColumnDriftResult, detectColumnDrift } from '../drift/detect-drift.js';
import { checkQuality, type QualityColumn, type QualityIssue } from '../drift/quality.js';
import type { ModelFeature } from '../models/types.js';

/** Options of `rankDriftImportance`. */
export interface DriftImportanceOptions {
  /** Significance level of the per-feature drift tests. Default 0.05. */
  alpha?: number;
  /** Fewest non-missing values for a drift verdict. Default 50. */
  minSamples?: number;
  /** Null windows resampled to debias each effect (`detectColumnDrift`'s `resamples`). Default 99. */
  resamples?: number;
}

const defaults: Required<DriftImportanceOptions> = { alpha: 0.05, minSamples: 50, resamples: 99 };

/** Input of `rankDriftImportance`: feature columns (categorical as codes, NaN missing) and mean |SHAP| per feature. */
export interface DriftImportanceInput {
  features: readonly ModelFeature[];
  current: Readonly<Record<string, ArrayLike<number>>>;
  baseline: Readonly<Record<string, ArrayLike<number>>>;
  importance: Readonly<Record<string, number>>;
}

/** One feature's drift, importance and quality findings. */
export interface FeatureDriftImportance {
  feature: string;
  drift: {
    drifted: boolean;
    /** The effect size (debiased) and its test name. */
    effect: number;
    test: string;
    /** effect / material floor (≥ 1: material). */
    effectRatio: number;
    pValue: number;
  } | null;
  /** Mean |SHAP| and its share of the largest one. */
  importance: number;
  relativeImportance: number;
  /** effectRatio × relativeImportance. */
  score: number;
  quality: QualityIssue[];
}

/** Result of `rankDriftImportance`, features by decreasing score. */
export interface DriftImportanceResult {
  features: FeatureDriftImportance[];
}

/** Category labels of codes (NaN → null, an unknown code → `#code`). */
export function decodeCategories(
  codes: ArrayLike<number>,
  categories: readonly string[] = [],
): (string | null)[] {
  return Array.from(codes, (c) => (Number.isNaN(c) ? null : (categories[c] ?? `#${c}`)));
}

/** Ranks features by drift effect × importance and attaches their quality issues. */
export function rankDriftImportance(
  input: DriftImportanceInput,
  options: DriftImportanceOptions = {},
): DriftImportanceResult {
  const o = { ...defaults, ...options };
  const maxImportance = Math.max(0, ...input.features.map((f) => input.importance[f.name] ?? 0));
  const qualityColumns: QualityColumn[] = input.features.map((f) => {
    const cur = input.current[f.name];
    const base = input.baseline[f.name];
    if (cur === undefined || base === undefined)
      throw new RangeError(
        `invalid input: missing column ${f.name} (expected every model feature in both windows)`,
      );
    return f.type === 'categorical'
      ? {
          name: f.name,
          type: 'categorical',
          reference: decodeCategories(base, f.categories),
          current: decodeCategories(cur, f.categories),
        }
      : { name: f.name, type: 'numeric', reference: base, current: cur };
  });
  const quality = checkQuality({ columns: qualityColumns });
  const features = qualityColumns.map((col): FeatureDriftImportance => {
    const name = col.name;
    const d: ColumnDriftResult =
      col.type === 'numeric'
        ? detectColumnDrift(col.reference, col.current, {
            type: 'numeric',
            significance: 'ks',
            alpha: o.alpha,
            minSamples: o.minSamples,
            resamples: o.resamples,
          })
        : detectColumnDrift(col.reference, col.current, {
            type: 'categorical',
            significance: 'chiSquare',
            alpha: o.alpha,
            minSamples: o.minSamples,
            resamples: o.resamples,
          });
    const importance = input.importance[name] ?? 0;
    const relativeImportance = maxImportance > 0 ? importance / maxImportance : 0;
    const drift =
      d.status === 'ok'
        ? {
            drifted: d.drifted,
            effect: d.effect.debiased,
            test: d.effect.test,
            effectRatio: d.effect.floor > 0 ? Math.max(0, d.effect.debiased) / d.effect.floor : 0,
            pValue: d.significance.pValue,
          }
        : null;
    return {
      feature: name,
      drift,
      importance,
      relativeImportance,
      score: (drift?.drifted ? drift.effectRatio : 0) * relativeImportance,
      quality: quality.issues.filter((q) => q.column === name),
    };
  });
  features.sort((a, b) => b.score - a.score);
  return { features };
}
