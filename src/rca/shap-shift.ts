/**
 * SHAP comparison of two groups of rows (a segment now vs the same segment in the baseline, or its
 * errors vs its correct predictions): per feature, mean |SHAP| (importance) and mean signed SHAP,
 * their shift with percentile-bootstrap intervals (each group resampled independently), and the
 * rank change of importance. By local accuracy (Lundberg & Lee 2017; Lundberg et al. 2020),
 * margin(x) = φ₀ + Σ_f φ_f(x) with the same φ₀ for both groups, so
 *   Δ mean margin = Σ_f Δ mean φ_f
 * exactly: `contribution` is that per-feature decomposition.
 *
 * Attributions are path-dependent TreeSHAP by default (they follow the training distribution);
 * `method: 'interventional'` uses the baseline sample as the background instead.
 */
import type { CompiledModel } from '../models/compile.js';
import { alignColumns, type FeatureColumns } from '../models/predict.js';
import { interventionalShap } from '../models/shap/interventional.js';
import { treeShap } from '../models/shap/linear.js';
import { percentileInterval } from '../stats/bootstrap.js';
import { createRng, type Rng } from '../stats/random.js';

/** Options of `compareShap` / `compareAttributions`. */
export interface ShapShiftOptions {
  /** Rows explained per group (a seeded sample without replacement beyond this). Default 2000. */
  maxRows?: number;
  /** Bootstrap resamples of each interval. Default 200. */
  resamples?: number;
  /** Two-sided confidence of the intervals. Default 0.95. */
  confidence?: number;
  /** Seed of the row sample and of the bootstrap. Default 0. */
  seed?: number;
  /** `path` (TreeSHAP, default) or `interventional` (background: the baseline sample). */
  method?: 'path' | 'interventional';
  /** Background rows of interventional SHAP. Default 100. */
  maxBackground?: number;
}

const defaults: Required<ShapShiftOptions> = {
  maxRows: 2000,
  resamples: 200,
  confidence: 0.95,
  seed: 0,
  method: 'path',
  maxBackground: 100,
};

/** A difference between the groups with its bootstrap interval. */
export interface Shift {
  current: number;
  baseline: number;
  /** current − baseline. */
  shift: number;
  interval: { low: number; high: number };
}

/** One feature's attributions in both groups. */
export interface FeatureShapShift {
  feature: string;
  /** Mean |φ_f|: importance. */
  meanAbs: Shift;
  /** Mean φ_f; its shift is the feature's contribution to Δ mean margin. */
  meanSigned: Shift;
  /** 1-based importance rank in each group, and baseline − current (positive: more important now). */
  rank: { current: number; baseline: number; change: number };
}

/** Result of `compareAttributions`. */
export interface AttributionComparison {
  status: 'ok';
  n: { current: number; baseline: number };
  /** Mean margin of each group (φ₀ + Σ mean φ) and the difference. */
  meanMargin: { current: number; baseline: number; delta: number };
  /** Features by decreasing |Δ mean φ|. */
  features: FeatureShapShift[];
}

/** Too few rows in a group. */
export interface InsufficientShap {
  status: 'insufficient_data';
  n: { current: number; baseline: number };
}

/** Seeded sample of at most `k` of `n` indices (partial Fisher–Yates), in increasing order. */
export function sampleIndices(n: number, k: number, rng: Rng): Int32Array {
  if (n <= k) return Int32Array.from({ length: n }, (_, i) => i);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx.subarray(0, k).sort();
}

/** Picks rows `idx` of every column. */
export function takeRows(cols: readonly Float64Array[], idx: ArrayLike<number>): Float64Array[] {
  return cols.map((col) => Float64Array.from(idx, (r) => col[r]));
}

/** The percentile bootstrap interval of resampled values (sorts them in place). */
function percentile(values: Float64Array, confidence: number): { low: number; high: number } {
  const { low, high } = percentileInterval(values, Number.NaN, confidence, values.length, values.length);
  return { low, high };
}

/** Compares per-feature attributions (rows of φ) of two groups sharing the same base value φ₀. */
export function compareAttributions(
  current: readonly Float64Array[],
  baseline: readonly Float64Array[],
  featureNames: readonly string[],
  baseValue: number,
  options: ShapShiftOptions = {},
): AttributionComparison | InsufficientShap {
  const o = { ...defaults, ...options };
  if (!(Number.isInteger(o.resamples) && o.resamples >= 1))
    throw new RangeError(`invalid resamples: ${o.resamples} (expected an integer >= 1)`);
  if (!(o.confidence > 0 && o.confidence < 1))
    throw new RangeError(`invalid confidence: ${o.confidence} (expected a number in (0, 1))`);
  const nc = current.length;
  const nb = baseline.length;
  if (nc < 2 || nb < 2) return { status: 'insufficient_data', n: { current: nc, baseline: nb } };
  const nf = featureNames.length;
  const means = (rows: readonly Float64Array[], pick: (i: number) => number, len: number) => {
    const abs = new Float64Array(nf);
    const signed = new Float64Array(nf);
    for (let i = 0; i < len; i++) {
      const phi = rows[pick(i)];
      for (let f = 0; f < nf; f++) {
        abs[f] += Math.abs(phi[f]);
        signed[f] += phi[f];
      }
    }
    for (let f = 0; f < nf; f++) {
      abs[f] /= len;
      signed[f] /= len;
    }
    return { abs, signed };
  };
  const cur = means(current, (i) => i, nc);
  const base = means(baseline, (i) => i, nb);
  const rng = createRng(o.seed);
  const bootAbs = Array.from({ length: nf }, () => new Float64Array(o.resamples));
  const bootSigned = Array.from({ length: nf }, () => new Float64Array(o.resamples));
  for (let b = 0; b < o.resamples; b++) {
    const c = means(current, () => rng.int(nc), nc);
    const r = means(baseline, () => rng.int(nb), nb);
    for (let f = 0; f < nf; f++) {
      bootAbs[f][b] = c.abs[f] - r.abs[f];
      bootSigned[f][b] = c.signed[f] - r.signed[f];
    }
  }
  const ranks = (imp: Float64Array): Int32Array => {
    const order = Array.from({ length: nf }, (_, f) => f).sort((a, b) => imp[b] - imp[a] || a - b);
    const out = new Int32Array(nf);
    order.forEach((f, k) => {
      out[f] = k + 1;
    });
    return out;
  };
  const rc = ranks(cur.abs);
  const rb = ranks(base.abs);
  const features: FeatureShapShift[] = featureNames.map((feature, f) => ({
    feature,
    meanAbs: {
      current: cur.abs[f],
      baseline: base.abs[f],
      shift: cur.abs[f] - base.abs[f],
      interval: percentile(bootAbs[f], o.confidence),
    },
    meanSigned: {
      current: cur.signed[f],
      baseline: base.signed[f],
      shift: cur.signed[f] - base.signed[f],
      interval: percentile(bootSigned[f], o.confidence),
    },
    rank: { current: rc[f], baseline: rb[f], change: rb[f] - rc[f] },
  }));
  const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
  const mc = baseValue + sum(cur.signed);
  const mb = baseValue + sum(base.signed);
  features.sort((a, b) => Math.abs(b.meanSigned.shift) - Math.abs(a.meanSigned.shift));
  return {
    status: 'ok',
    n: { current: nc, baseline: nb },
    meanMargin: { current: mc, baseline: mb, delta: mc - mb },
    features,
  };
}

/** Result of `compareShap`: the window comparison and, with errors, errors vs correct predictions now. */
export interface ShapShiftResult {
  status: 'ok';
  method: 'path' | 'interventional';
  /** φ₀ shared by both groups. */
  baseValue: number;
  windows: AttributionComparison | InsufficientShap;
  /** Current errors (as "current") vs current correct predictions (as "baseline"). */
  errors?: AttributionComparison | InsufficientShap;
  /** The explained rows of each window (indices into its columns). */
  rows: { current: Int32Array; baseline: Int32Array };
  /** Their attributions, one row of φ per explained row. */
  values: { current: Float64Array[]; baseline: Float64Array[] };
}

/**
 * Explains a sample of each window (at most `maxRows` rows each) and compares the attributions;
 * `currentErrors` (0/1 per current row, NaN unlabelled) adds the errors-vs-correct comparison.
 */
export function compareShap(
  model: CompiledModel,
  current: FeatureColumns,
  baseline: FeatureColumns,
  currentErrors?: ArrayLike<number>,
  options: ShapShiftOptions = {},
): ShapShiftResult {
  const o = { ...defaults, ...options };
  if (!(Number.isInteger(o.maxRows) && o.maxRows >= 1))
    throw new RangeError(`invalid maxRows: ${o.maxRows} (expected an integer >= 1)`);
  if (o.method !== 'path' && o.method !== 'interventional')
    throw new RangeError(`invalid method: ${o.method} (expected 'path' or 'interventional')`);
  const colsC = alignColumns(model, current);
  const colsB = alignColumns(model, baseline);
  const rng = createRng(o.seed);
  const rowsC = sampleIndices(colsC[0]?.length ?? 0, o.maxRows, rng);
  const rowsB = sampleIndices(colsB[0]?.length ?? 0, o.maxRows, rng);
  const xc = takeRows(colsC, rowsC);
  const xb = takeRows(colsB, rowsB);
  const explain = (x: Float64Array[]) =>
    o.method === 'path'
      ? treeShap(model, x)
      : interventionalShap(model, x, xb, {
          maxBackground: Math.max(1, Math.min(o.maxBackground, rowsB.length)),
        });
  const sc = explain(xc);
  const sb = explain(xb);
  const names = model.featureNames;
  const out: ShapShiftResult = {
    status: 'ok',
    method: o.method,
    baseValue: sc.baseValue,
    windows: compareAttributions(sc.values, sb.values, names, sc.baseValue, o),
    rows: { current: rowsC, baseline: rowsB },
    values: { current: sc.values, baseline: sb.values },
  };
  if (currentErrors !== undefined) {
    const wrong: Float64Array[] = [];
    const right: Float64Array[] = [];
    rowsC.forEach((r, k) => {
      if (currentErrors[r] === 1) wrong.push(sc.values[k]);
      else if (currentErrors[r] === 0) right.push(sc.values[k]);
    });
    out.errors = compareAttributions(wrong, right, names, sc.baseValue, o);
  }
  return out;
}
