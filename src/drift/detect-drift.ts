/**
 * Drift of one column, and of many columns under one false-discovery budget.
 *
 * Rule (DESIGN.md): a column has drifted when the change is both **significant** — its p-value
 * is ≤ α: the analytic KS / chi-square p-value for small windows, or, for large ones, the
 * empirical p-value of the effect size against its null resampled at this window's size
 * (null-threshold.ts) — and **material** — the effect size, less the part that sampling noise
 * alone produces at this n (debiasEffect), reaches its floor (PSI ≥ 0.1, JS ≥ 0.1, normalised
 * W1 ≥ 0.1). Without that correction a 10-bin PSI of 100 values averages 0.09 with no drift at
 * all, so every small window would count as material. Which tests decide is chosen by `chooseDefaultTests` (registry.ts).
 * Across columns, `detectDrift` replaces the p-values by Benjamini–Hochberg adjusted ones, so the
 * expected share of false discoveries among flagged columns stays ≤ α.
 */

import { benjaminiHochberg } from '../stats/multiple-testing.js';
import {
  debiasEffect,
  empiricalPValue,
  estimateNullThreshold,
  type NullStatistic,
} from './null-threshold.js';
import {
  type CategoricalValues,
  type DriftColumnType,
  type NumericValues,
  type PreparedCurrent,
  type PreparedReference,
  prepareCurrent,
  prepareReference,
} from './prepare.js';
import { chooseDefaultTests, type DriftTestName, driftTests } from './registry.js';
import { decideColumnDrift as decide, formatCount } from './verdict.js';

/** Options of {@link detectColumnDrift} and {@link detectDrift}. */
export interface DriftOptions {
  /** Significance level per column, and the false discovery rate across columns. Default 0.05. */
  alpha?: number;
  /** Seed of the null resampling (column i of detectDrift uses seed + i). Default 0. */
  seed?: number;
  /** Fewer non-missing values than this, in the window or the reference, gives insufficient_data. Default 50. */
  minSamples?: number;
  /** Reference-quantile bins of numeric PSI / JS / Hellinger. Default 10. */
  bins?: number;
  /** Resampled null windows B (see estimateNullThreshold). Default 199; detectDrift raises it to ⌈k/α⌉ − 1. */
  resamples?: number;
  /** Override the test deciding significance (default: chooseDefaultTests). */
  significance?: DriftTestName;
  /** Override the effect size deciding materiality (default: chooseDefaultTests). */
  effect?: DriftTestName;
  /** Override the effect's material floor (default: the registry's floor). */
  materialFloor?: number;
}

const defaults = { alpha: 0.05, seed: 0, minSamples: 50, bins: 10, resamples: 199 };

/** Every statistic computed for a column (all the registered tests of its type). */
export interface DriftTests {
  ks?: { statistic: number; pValue: number };
  chiSquare?: { statistic: number; pValue: number };
  /** W1 in data units and divided by the reference's std (ddof 0). */
  wasserstein?: { value: number; normalized: number };
  psi: { value: number };
  jensenShannon: { value: number };
  hellinger: { value: number };
}

/** What every column result says of its sizes, and why its verdict is what it is. */
export interface ColumnCounts {
  type: DriftColumnType;
  /** Non-missing values in the current window. */
  n: number;
  /** Non-missing values in the reference. */
  nReference: number;
  /** Missing values skipped on each side. */
  missing: { reference: number; current: number };
  /** A human sentence that explains the verdict. */
  reason: string;
}

/** A column's drift verdict with every statistic behind it. */
export interface ColumnDrift extends ColumnCounts {
  status: 'ok';
  tests: DriftTests;
  /** The test that decided significance; `null` is set when its null was resampled. */
  significance: {
    test: DriftTestName;
    statistic: number;
    /** Per-column p-value (analytic or empirical). */
    pValue: number;
    /** Benjamini–Hochberg adjusted p-value (detectDrift only). */
    adjustedPValue?: number;
    null?: { threshold: number; alpha: number; resamples: number; mEffective: number };
  };
  /**
   * The effect size that decided materiality: `value` as computed, and `debiased`, its sampling
   * noise at this n removed (debiasEffect), which is what is compared with `floor`.
   */
  effect: { test: DriftTestName; value: number; debiased: number; floor: number };
  significant: boolean;
  material: boolean;
  drifted: boolean;
}

/** Too few values for a verdict: never flagged. */
export interface InsufficientColumnDrift extends ColumnCounts {
  status: 'insufficient_data';
  significant: false;
  material: false;
  drifted: false;
}

/** The result of detectColumnDrift. */
export type ColumnDriftResult = ColumnDrift | InsufficientColumnDrift;

/**
 * The counts every column result carries, with the insufficient-data result when either side has
 * fewer than `minSamples` non-missing values (then no test runs).
 */
export function countColumn(
  ref: PreparedReference,
  cur: PreparedCurrent,
  minSamples: number,
): { counts: Omit<ColumnCounts, 'reason'>; insufficient?: InsufficientColumnDrift } {
  const counts = {
    type: ref.type,
    n: cur.n,
    nReference: ref.n,
    missing: { reference: ref.missing, current: cur.missing },
  };
  if (cur.n >= minSamples && ref.n >= minSamples) return { counts };
  const [side, size] = cur.n < minSamples ? ['current', cur.n] : ['reference', ref.n];
  return {
    counts,
    insufficient: {
      status: 'insufficient_data',
      ...counts,
      significant: false,
      material: false,
      drifted: false,
      reason: `only ${formatCount(size)} non-missing ${side} values (minimum ${minSamples})`,
    },
  };
}

/** Column values of any type (booleans with type 'boolean'). */
export type ColumnValues = NumericValues | CategoricalValues | ArrayLike<boolean | null | undefined>;

/**
 * Drift of one column: all registered statistics of its type, the significance test and effect
 * size chosen by chooseDefaultTests(type, n), and the verdict with its reason. Missing values
 * are skipped and counted. Pass a PreparedReference to test many windows against one reference.
 */
export function detectColumnDrift(
  reference: ColumnValues | PreparedReference,
  current: ColumnValues,
  options: DriftOptions & { type?: DriftColumnType | 'boolean' } = {},
): ColumnDriftResult {
  const o = { ...defaults, ...options };
  checkOptions(o);
  // booleans are two categories, 'true' and 'false'
  const type = o.type === 'boolean' ? 'categorical' : o.type;
  const asType = (values: ColumnValues): NumericValues | CategoricalValues =>
    o.type === 'boolean' ? booleansAsCategories(values) : (values as NumericValues | CategoricalValues);
  const ref = isPrepared(reference) ? reference : prepareColumn(asType(reference), type, o.bins);
  if (type !== undefined && type !== ref.type) {
    throw new TypeError(`invalid type: ${o.type} (expected ${ref.type}, the prepared reference's type)`);
  }
  const cur = prepareCurrent(ref, asType(current));
  const { counts, insufficient } = countColumn(ref, cur, o.minSamples);
  if (insufficient) return insufficient;
  const chosen = chooseDefaultTests(ref.type, cur.n);
  const significanceTest = o.significance ?? chosen.significance;
  const effectTest = o.effect ?? chosen.effect;
  const tests = new Map<DriftTestName, ReturnType<(typeof driftTests)['psi']['compute']>>();
  for (const spec of Object.values(driftTests)) {
    if (spec.columnTypes.includes(ref.type)) tests.set(spec.name, spec.compute(ref, cur));
  }
  for (const name of [significanceTest, effectTest]) {
    if (!tests.has(name))
      throw new TypeError(`invalid test: ${name} (expected a test for ${ref.type} columns)`);
  }
  if (driftTests[effectTest].kind !== 'distance') {
    throw new TypeError(
      `invalid effect: ${effectTest} (expected a distance: psi, jensenShannon, hellinger or wasserstein)`,
    );
  }
  const sig = tests.get(significanceTest)!;
  const significance: ColumnDrift['significance'] = {
    test: significanceTest,
    statistic: sig.value,
    pValue: Number.NaN,
  };
  const nullOf = (statistic: DriftTestName) =>
    estimateNullThreshold({
      reference: ref,
      m: cur.n,
      statistic: statistic as NullStatistic,
      alpha: o.alpha,
      resamples: o.resamples,
      seed: o.seed,
    });
  const effectNull = nullOf(effectTest);
  if (driftTests[significanceTest].kind === 'test') {
    significance.pValue = sig.pValue ?? Number.NaN;
  } else {
    const nullDist = significanceTest === effectTest ? effectNull : nullOf(significanceTest);
    significance.pValue = empiricalPValue(nullDist.values, sig.value);
    significance.null = {
      threshold: nullDist.threshold,
      alpha: o.alpha,
      resamples: nullDist.resamples,
      mEffective: nullDist.mEffective,
    };
  }
  const value = tests.get(effectTest)!.value;
  const effect = {
    test: effectTest,
    value,
    debiased: debiasEffect(effectTest as NullStatistic, value, effectNull.values),
    floor: o.materialFloor ?? driftTests[effectTest].materialFloor ?? Number.NaN,
  };
  const result: ColumnDrift = {
    status: 'ok',
    ...counts,
    tests: toDriftTests(tests),
    significance,
    effect,
    significant: false,
    material: false,
    drifted: false,
    reason: '',
  };
  return decide(result, o.alpha);
}

/** One column of detectDrift's input. */
export interface DriftColumn {
  name: string;
  /** 'boolean' columns are tested as the categories 'true' / 'false'. */
  type: DriftColumnType | 'boolean';
  /** Raw reference values, or the column prepared once with prepareReference. */
  reference: ColumnValues | PreparedReference;
  current: ColumnValues;
  /** Per-column overrides (effect, significance, materialFloor, minSamples, bins); alpha and seed stay global. */
  options?: Omit<DriftOptions, 'alpha' | 'seed' | 'resamples'>;
}

/** Drift of many columns. */
export interface DriftReport {
  alpha: number;
  /** One result per input column, in input order, with its name. */
  columns: (ColumnDriftResult & { name: string })[];
  /** Names of the drifted columns. */
  drifted: string[];
}

/**
 * Drift of many columns: each column as detectColumnDrift, then Benjamini–Hochberg across the
 * p-values of the columns with a verdict, so the false discovery rate stays ≤ α. B is raised to
 * ⌈k/α⌉ − 1 so that a resampled p-value (≥ 1/(B+1)) can pass BH's smallest cut α/k.
 */
export function detectDrift(columns: readonly DriftColumn[], options: DriftOptions = {}): DriftReport {
  const o = { ...defaults, ...options };
  checkOptions(o);
  const resamples = Math.max(o.resamples, Math.ceil(columns.length / o.alpha) - 1);
  const results = columns.map((column, i) => ({
    name: column.name,
    ...detectColumnDrift(column.reference, column.current, {
      ...o,
      ...column.options,
      type: column.type,
      seed: o.seed + i,
      resamples,
    }),
  }));
  const tested = results.filter((r): r is ColumnDrift & { name: string } => r.status === 'ok');
  const pValues = tested.map((r) => (Number.isNaN(r.significance.pValue) ? 1 : r.significance.pValue));
  const { adjusted } = benjaminiHochberg(pValues, o.alpha);
  tested.forEach((r, i) => {
    r.significance.adjustedPValue = adjusted[i];
    decide(r, o.alpha, tested.length);
  });
  return { alpha: o.alpha, columns: results, drifted: tested.filter((r) => r.drifted).map((r) => r.name) };
}

function toDriftTests(
  tests: Map<DriftTestName, { value: number; pValue?: number; raw?: number }>,
): DriftTests {
  const out: DriftTests = {
    psi: { value: tests.get('psi')!.value },
    jensenShannon: { value: tests.get('jensenShannon')!.value },
    hellinger: { value: tests.get('hellinger')!.value },
  };
  const ks = tests.get('ks');
  if (ks) out.ks = { statistic: ks.value, pValue: ks.pValue! };
  const chi = tests.get('chiSquare');
  if (chi) out.chiSquare = { statistic: chi.value, pValue: chi.pValue! };
  const w = tests.get('wasserstein');
  if (w) out.wasserstein = { value: w.raw!, normalized: w.value };
  return out;
}

function prepareColumn(
  values: ColumnValues,
  type: DriftColumnType | undefined,
  bins: number,
): PreparedReference {
  if (type === 'numeric') return prepareReference({ type, values: values as NumericValues }, { bins });
  if (type === 'categorical') return prepareReference({ type, values: values as CategoricalValues });
  throw new TypeError(`invalid type: ${type} (expected 'numeric' or 'categorical')`);
}

function booleansAsCategories(values: ArrayLike<unknown>): CategoricalValues {
  return Array.from(values, (v) => (v === null || v === undefined ? v : String(v)));
}

function isPrepared(x: ColumnValues | PreparedReference): x is PreparedReference {
  return !Array.isArray(x) && !ArrayBuffer.isView(x) && typeof (x as PreparedReference).type === 'string';
}

function checkOptions(o: typeof defaults): void {
  if (!(o.alpha > 0 && o.alpha < 1))
    throw new RangeError(`invalid alpha: ${o.alpha} (expected 0 < alpha < 1)`);
  if (!(o.minSamples >= 1))
    throw new RangeError(`invalid minSamples: ${o.minSamples} (expected a number >= 1)`);
}
