/**
 * Check 6, SHAP shift and training artifact. Importance of a feature = its share of the total
 * mean |SHAP| (path-dependent TreeSHAP in margin space, `treeShap`) over a seeded sample of rows,
 * before (model before on data before) and after (model after on data after), with 95 % percentile
 * bootstrap intervals over those rows (the same resampled indices on both sides, so identical data
 * gives a paired interval of the shift). Models are the given ones, or one per side trained with
 * `trainGbdt` (row and column subsampling 0.8, so seeds matter). The chance band of a feature is the
 * range of its share across N retrains on the same data with other seeds and N retrains on bootstrap
 * resamples of the rows: a shift inside that band is a training artifact. Pure.
 */
import { frequencyDictionary } from '../features/encode.js';
import { type CompiledModel, compileModel } from '../models/compile.js';
import { type GbdtOptions, trainGbdt } from '../models/gbdt/train.js';
import { treeShap } from '../models/shap/linear.js';
import type { ModelFeature } from '../models/types.js';
import { formatPercent } from '../report/svg.js';
import { quantileSorted, sortFloat64 } from '../stats/quantile.js';
import { createRng } from '../stats/random.js';
import { gatherNumeric, sampleRows } from './table.js';
import type { FeatureColumnData, Finding, ShapShiftRow } from './types.js';

/** Options of {@link checkShapShift}. */
export interface ShapShiftOptions {
  /** Retrains per kind (seed, bootstrap) that measure the chance band. Default 0 (no band). */
  retrainSeeds?: number;
  /** Rows used to train a model (seeded subsample). Default 20000. */
  trainRows?: number;
  /** Rows explained with SHAP per side. Default 2000. */
  shapRows?: number;
  /** Bootstrap resamples of the SHAP rows. Default 200. */
  resamples?: number;
  /** Smallest share change reported as a real importance shift (artifacts have no floor). Default 0.02. */
  minShift?: number;
  /** Trainer options for models trained here. Default {@link retrainDefaults}. */
  gbdt?: GbdtOptions;
  seed?: number;
}

/** Trainer settings for models trained by the check (subsampling so that seeds matter). */
export const retrainDefaults: GbdtOptions = {
  nTrees: 60,
  eta: 0.15,
  maxDepth: 5,
  subsample: 0.8,
  colsampleBytree: 0.8,
  maxBin: 64,
};

const defaults = {
  retrainSeeds: 0,
  trainRows: 20_000,
  shapRows: 2000,
  resamples: 200,
  minShift: 0.02,
  seed: 0,
};

/** A training matrix from feature columns (categories coded by decreasing frequency). */
export function toDataset(
  table: readonly FeatureColumnData[],
  rows: Int32Array,
): { features: ModelFeature[]; columns: Float64Array[] } {
  const features: ModelFeature[] = [];
  const columns: Float64Array[] = [];
  for (const c of table) {
    if (c.kind === 'categorical') {
      const values = Array.from(rows, (i) => c.values[i]);
      const dictionary = frequencyDictionary(values, 1000);
      const codes = new Map(dictionary.map((v, i) => [v, i]));
      features.push({ name: c.name, type: 'categorical', categories: dictionary });
      columns.push(
        Float64Array.from(values, (v) => (v === null ? Number.NaN : (codes.get(v) ?? Number.NaN))),
      );
    } else {
      features.push({ name: c.name, type: 'numeric' });
      columns.push(gatherNumeric(c.values, rows));
    }
  }
  return { features, columns };
}

/** The model's input columns from a table (by name; absent columns are all missing). */
export function modelInputs(
  c: CompiledModel,
  table: readonly FeatureColumnData[],
  rows: Int32Array,
): Float64Array[] {
  return c.featureNames.map((name, j) => {
    const col = table.find((t) => t.name === name);
    if (!col) return new Float64Array(rows.length).fill(Number.NaN);
    if (col.kind !== 'categorical') return gatherNumeric(col.values, rows);
    const labels = c.featureCategories[j];
    const index = new Map((labels ?? []).map((l, k) => [l, k]));
    return Float64Array.from(rows, (i) => {
      const v = col.values[i];
      if (v === null) return Number.NaN;
      return labels ? (index.get(v) ?? Number.NaN) : Number(v);
    });
  });
}

/** Per-feature |SHAP| of each explained row (feature-major). */
function absShap(
  c: CompiledModel,
  table: readonly FeatureColumnData[],
  rows: Int32Array,
): Map<string, Float64Array> {
  const { values, featureNames } = treeShap(c, modelInputs(c, table, rows));
  const out = new Map<string, Float64Array>();
  featureNames.forEach((name, j) => {
    out.set(
      name,
      Float64Array.from(values, (phi) => Math.abs(phi[j])),
    );
  });
  return out;
}

/** Importance shares from |SHAP| columns over the rows `idx` (all rows when absent). */
function shares(abs: Map<string, Float64Array>, idx?: Int32Array): Map<string, number> {
  const sums = new Map<string, number>();
  let total = 0;
  for (const [name, col] of abs) {
    let s = 0;
    if (idx) for (const i of idx) s += col[i];
    else for (const v of col) s += v;
    sums.set(name, s);
    total += s;
  }
  for (const [name, s] of sums) sums.set(name, total > 0 ? s / total : 0);
  return sums;
}

/** SHAP importance before/after with intervals, the chance band, and findings. */
export function checkShapShift(args: {
  before: readonly FeatureColumnData[];
  after: readonly FeatureColumnData[];
  labelBefore: Uint8Array;
  labelAfter: Uint8Array;
  modelBefore?: CompiledModel;
  modelAfter?: CompiledModel;
  /** Features a failing check already names (a big shift there is explained). */
  implicated?: ReadonlySet<string>;
  options?: ShapShiftOptions;
}): { rows: ShapShiftRow[]; findings: Finding[] } {
  const o = { ...defaults, ...args.options };
  const gbdt = { ...retrainDefaults, ...args.options?.gbdt };
  const nb = args.labelBefore.length;
  const na = args.labelAfter.length;
  const trainBefore = sampleRows(nb, o.trainRows, o.seed);
  const trainOn = (
    table: readonly FeatureColumnData[],
    label: Uint8Array,
    rows: Int32Array,
    seed: number,
  ) => {
    const data = toDataset(table, rows);
    return compileModel(
      trainGbdt({ ...data, label: Array.from(rows, (i) => label[i]) }, { ...gbdt, seed }).model,
    );
  };
  const mb = args.modelBefore ?? trainOn(args.before, args.labelBefore, trainBefore, o.seed);
  const ma =
    args.modelAfter ?? trainOn(args.after, args.labelAfter, sampleRows(na, o.trainRows, o.seed), o.seed);
  const rowsB = sampleRows(nb, o.shapRows, o.seed + 7);
  const rowsA = sampleRows(na, o.shapRows, o.seed + 7);
  const absB = absShap(mb, args.before, rowsB);
  const absA = absShap(ma, args.after, rowsA);
  const shareB = shares(absB);
  const shareA = shares(absA);
  const names = [...new Set([...shareB.keys(), ...shareA.keys()])];
  const boot = new Map(names.map((n) => [n, { b: [] as number[], a: [] as number[], d: [] as number[] }]));
  const rng = createRng(o.seed + 11);
  const same = rowsA.length === rowsB.length;
  const ib = new Int32Array(rowsB.length);
  const ia = new Int32Array(rowsA.length);
  for (let r = 0; r < o.resamples; r++) {
    for (let k = 0; k < ib.length; k++) ib[k] = rng.int(ib.length);
    if (same) ia.set(ib);
    else for (let k = 0; k < ia.length; k++) ia[k] = rng.int(ia.length);
    const sb = shares(absB, ib);
    const sa = shares(absA, ia);
    for (const n of names) {
      const e = boot.get(n)!;
      const vb = sb.get(n);
      const va = sa.get(n);
      if (vb !== undefined) e.b.push(vb);
      if (va !== undefined) e.a.push(va);
      e.d.push((va ?? 0) - (vb ?? 0));
    }
  }
  // chance band: the same data, other seeds and bootstrap resamples of the training rows
  const retrained: Map<string, number>[] = args.modelBefore ? [] : [shareB];
  if (o.retrainSeeds > 0) {
    for (let k = 1; k <= o.retrainSeeds; k++) {
      retrained.push(
        shares(absShap(trainOn(args.before, args.labelBefore, trainBefore, o.seed + k), args.before, rowsB)),
      );
      const rs = createRng(o.seed + 1000 + k);
      const resampled = Int32Array.from(trainBefore, () => trainBefore[rs.int(trainBefore.length)]);
      retrained.push(
        shares(absShap(trainOn(args.before, args.labelBefore, resampled, o.seed), args.before, rowsB)),
      );
    }
  }
  const interval = (values: number[], value: number) => {
    const s = sortFloat64(values);
    return { value, low: quantileSorted(s, 0.025), high: quantileSorted(s, 0.975) };
  };
  const rows: ShapShiftRow[] = names.map((n) => {
    const e = boot.get(n)!;
    const vb = shareB.get(n);
    const va = shareA.get(n);
    const band =
      o.retrainSeeds > 0
        ? Math.max(...retrained.map((m) => m.get(n) ?? 0)) - Math.min(...retrained.map((m) => m.get(n) ?? 0))
        : null;
    return {
      feature: n,
      before: vb === undefined ? null : interval(e.b, vb),
      after: va === undefined ? null : interval(e.a, va),
      shift: interval(e.d, (va ?? 0) - (vb ?? 0)),
      chanceBand: band,
    };
  });
  rows.sort((p, q) => Math.abs(q.shift.value) - Math.abs(p.shift.value));
  return {
    rows,
    findings: judge(rows, o, args.implicated ?? new Set(), Boolean(args.modelBefore && args.modelAfter)),
  };
}

function judge(
  rows: ShapShiftRow[],
  o: typeof defaults,
  implicated: ReadonlySet<string>,
  given: boolean,
): Finding[] {
  const findings: Finding[] = [];
  for (const r of rows) {
    const s = r.shift;
    // beyond the rows' sampling noise; small shifts still count as artifacts when inside the band
    const beyondNoise = s.low > 0 || s.high < 0;
    const withinBand = r.chanceBand !== null && Math.abs(s.value) <= r.chanceBand;
    if (!beyondNoise || (!withinBand && Math.abs(s.value) < o.minShift)) continue;
    const from = r.before ? formatPercent(r.before.value) : 'absent';
    const to = r.after ? formatPercent(r.after.value) : 'absent';
    const evidence = { ...r, models: given ? 'given' : 'trained per side' };
    if (r.after && r.after.value >= 0.5 && (r.before?.value ?? 0) <= 0.25) {
      findings.push({
        check: 'shap',
        kind: 'importance-concentration',
        feature: r.feature,
        verdict: 'fail',
        severity: 'error',
        cause: 'leakage',
        message: `${r.feature} now carries ${to} of the model's attribution (was ${from}): importance concentrated in one ${r.before ? 'changed' : 'new'} feature`,
        evidence,
      });
    } else if (withinBand) {
      findings.push({
        check: 'shap',
        kind: 'training-artifact',
        feature: r.feature,
        verdict: 'fail',
        severity: 'info',
        cause: 'training-artifact',
        message: `${r.feature}: importance ${from} → ${to}, within what retraining alone moves it (up to ${formatPercent(r.chanceBand ?? 0)}): a training artifact`,
        evidence,
      });
    } else {
      findings.push({
        check: 'shap',
        kind: 'importance-shift',
        feature: r.feature,
        verdict: 'fail',
        severity: 'warning',
        message: `${r.feature}: importance ${from} → ${to}${r.chanceBand === null ? ' (no retraining band: pass --retrain-seeds to tell chance from change)' : `, beyond what retraining alone moves it (up to ${formatPercent(r.chanceBand)})`}${implicated.has(r.feature) ? '; explained by the findings above' : ''}`,
        evidence,
      });
    }
  }
  const concentrated = findings.filter((f) => f.kind === 'importance-concentration');
  if (concentrated.length > 0) {
    // the other features lose share because one took it: report the cause, not each consequence
    const others = findings.length - concentrated.length;
    if (others > 0) concentrated[0].message += `; ${others} other features lost share accordingly`;
    return concentrated;
  }
  if (findings.length === 0)
    findings.push({
      check: 'shap',
      kind: 'stable-importance',
      feature: null,
      verdict: 'pass',
      severity: 'info',
      message: `no feature's share of mean |SHAP| moved beyond its bootstrap interval by ≥ ${formatPercent(o.minShift)}`,
      evidence: { features: rows.length },
    });
  return findings;
}
