/**
 * Without a key: check 3 (distributional transformation detectors) and check 4, population vs
 * pipeline. Each feature's drift (detectDrift: significant after Benjamini–Hochberg, and material)
 * is set against the drift of the raw inputs: raw stable but a feature moved means preprocessing;
 * raw and features moved alike means the population changed. A feature with the same name in the
 * raw data is compared with its own raw column; otherwise with the raw data as a whole. Pure.
 */
import { type DriftColumn, detectDrift } from '../drift/detect-drift.js';
import { twoProportionZTest } from '../stats/two-proportion.js';
import { categoryCounts, presentValues } from './schema.js';
import { gatherColumn, missingRate, sampleRows } from './table.js';
import {
  fitCategoryFrequencies,
  fitQuantiles,
  noTransformFinding,
  type TransformFit,
  type TransformOptions,
  transformFinding,
} from './transforms.js';
import type { FeatureColumnData, Finding } from './types.js';

/** Options of {@link checkDistributional} and {@link checkPopulation}. */
export interface PopulationOptions extends TransformOptions {
  /** Rows per side used for drift tests (a seeded subsample). Default 20000. */
  maxRows?: number;
  /** Significance level / false discovery rate. Default 0.05. */
  alpha?: number;
  /** Seed of the subsample and the resampled nulls. Default 0. */
  seed?: number;
}

const defaults = { maxRows: 20_000, alpha: 0.05, seed: 0 };

/** Distinct values of an integer-valued column when at most `max`, else undefined (codes look like this). */
function integerCodes(values: Float64Array, max = 1000): Map<string, number> | undefined {
  const m = new Map<string, number>();
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) return undefined;
    const k = String(v);
    m.set(k, (m.get(k) ?? 0) + 1);
    if (m.size > max) return undefined;
  }
  return m;
}

/** Share of all rows per value (nulls and NaN left out). */
function valueShares(column: FeatureColumnData): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of column.values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    const k = String(v);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const [k, c] of counts) counts.set(k, c / column.values.length);
  return counts;
}

/**
 * Without a key, a changed null fill: the null rate moved by d ≥ 1 point and one value's share
 * moved the other way by d (within 20 %): missing values are now filled with it, or it is no
 * longer used as a fill.
 */
export function fitNullFill(before: FeatureColumnData, after: FeatureColumnData): TransformFit | undefined {
  const d = missingRate(before) - missingRate(after);
  if (Math.abs(d) < 0.01) return undefined;
  const sb = valueShares(before);
  const sa = valueShares(after);
  let best: [string, number] | undefined;
  for (const k of new Set([...sb.keys(), ...sa.keys()])) {
    const gain = (sa.get(k) ?? 0) - (sb.get(k) ?? 0);
    if (!best || Math.sign(d) * gain > Math.sign(d) * best[1]) best = [k, gain];
  }
  if (!best || Math.abs(best[1] - d) > 0.2 * Math.abs(d)) return undefined;
  return {
    kind: 'null-fill',
    description:
      d > 0
        ? `missing values (${(100 * d).toFixed(1)}% of rows) are now filled with ${best[0]}`
        : `the fill value ${best[0]} is gone: ${(100 * -d).toFixed(1)}% of rows are now missing instead`,
    parameters: { fillValue: best[0], nullRateChange: -d, shareChange: best[1] },
    coverage: 1 - Math.abs(best[1] - d) / Math.abs(d),
  };
}

/** Check 3 without a key: quantile and category-frequency fits for every shared feature. */
export function checkDistributional(
  before: readonly FeatureColumnData[],
  after: readonly FeatureColumnData[],
  options: PopulationOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  for (const b of before) {
    const a = after.find((c) => c.name === b.name);
    if (!a || (a.kind === 'categorical') !== (b.kind === 'categorical')) continue;
    // a changed fill value explains the change; the other detectors would only see its side effects
    let fit = fitNullFill(b, a);
    if (!fit && a.kind === 'categorical' && b.kind === 'categorical') {
      fit = fitCategoryFrequencies(categoryCounts(b.values), categoryCounts(a.values));
    } else if (!fit && a.kind !== 'categorical' && b.kind !== 'categorical') {
      const cb = integerCodes(b.values);
      const ca = cb && integerCodes(a.values);
      if (ca && cb) fit = fitCategoryFrequencies(cb, ca);
      // few integer values are category codes: their quantiles jump between codes, so a
      // population change (Monday–Wednesday vs Thursday–Saturday) can look like an offset
      const fewCodes = ca && cb && Math.max(ca.size, cb.size) <= 50;
      if (!fit && !fewCodes) fit = fitQuantiles(presentValues(b.values), presentValues(a.values), options);
    }
    if (fit) findings.push(transformFinding(b.name, fit, 'distributional'));
  }
  if (findings.length === 0)
    findings.push(
      noTransformFinding(
        'distributional',
        'no feature follows a scaling, offset, log, or relabelling of its previous distribution',
      ),
    );
  return findings;
}

const driftColumn = (
  b: FeatureColumnData,
  a: FeatureColumnData,
  rb: Int32Array,
  ra: Int32Array,
): DriftColumn => {
  const type = b.kind === 'categorical' ? 'categorical' : 'numeric';
  return {
    name: b.name,
    type,
    reference: gatherColumn(b, rb).values,
    current: gatherColumn(a, ra).values,
    // analytic p-values: no resampled null for significance, which keeps 25 columns fast
    options: { significance: type === 'numeric' ? 'ks' : 'chiSquare' },
  };
};

/** Drift of the shared columns of two tables (subsampled), as detectDrift reports it. */
function driftOf(
  before: readonly FeatureColumnData[],
  after: readonly FeatureColumnData[],
  o: typeof defaults,
): Map<string, { drifted: boolean; significant: boolean; effect?: number; test?: string; pValue?: number }> {
  const pairs = before.flatMap((b) => {
    const a = after.find((c) => c.name === b.name);
    return a && (a.kind === 'categorical') === (b.kind === 'categorical') ? [[b, a] as const] : [];
  });
  const out = new Map();
  if (pairs.length === 0) return out;
  const rb = sampleRows(pairs[0][0].values.length, o.maxRows, o.seed);
  const ra = sampleRows(pairs[0][1].values.length, o.maxRows, o.seed + 1);
  const report = detectDrift(
    pairs.map(([b, a]) => driftColumn(b, a, rb, ra)),
    { alpha: o.alpha, seed: o.seed, resamples: 49 },
  );
  for (const c of report.columns) {
    out.set(
      c.name,
      c.status === 'ok'
        ? {
            drifted: c.drifted,
            significant: (c.significance.adjustedPValue ?? c.significance.pValue) <= o.alpha,
            effect: c.effect.debiased,
            test: c.effect.test,
            pValue: c.significance.adjustedPValue ?? c.significance.pValue,
          }
        : { drifted: false, significant: false },
    );
  }
  return out;
}

/** Check 4: drift of features against drift of raw inputs (and of the label rate). */
export function checkPopulation(args: {
  before: readonly FeatureColumnData[];
  after: readonly FeatureColumnData[];
  rawBefore?: readonly FeatureColumnData[];
  rawAfter?: readonly FeatureColumnData[];
  labelBefore?: Uint8Array;
  labelAfter?: Uint8Array;
  /** Features a transformation detector already explains (not blamed on the population). */
  explained?: ReadonlySet<string>;
  options?: PopulationOptions;
}): Finding[] {
  const o = { ...defaults, ...args.options };
  const findings: Finding[] = [];
  const features = driftOf(args.before, args.after, o);
  const raw = args.rawBefore && args.rawAfter ? driftOf(args.rawBefore, args.rawAfter, o) : undefined;
  const rawMoved = raw ? [...raw].filter(([, r]) => r.significant).map(([n]) => n) : [];
  let labelMoved = false;
  if (args.labelBefore && args.labelAfter && args.labelBefore.length > 0 && args.labelAfter.length > 0) {
    const x1 = args.labelBefore.reduce((s, v) => s + v, 0);
    const x2 = args.labelAfter.reduce((s, v) => s + v, 0);
    const t = twoProportionZTest(x1, args.labelBefore.length, x2, args.labelAfter.length);
    const p1 = x1 / args.labelBefore.length;
    const p2 = x2 / args.labelAfter.length;
    const pValue = t.status === 'ok' ? t.pValue : 1;
    labelMoved = pValue <= o.alpha && Math.abs(p2 / p1 - 1) >= 0.05;
    findings.push({
      check: 'population',
      kind: 'label-rate',
      feature: null,
      verdict: labelMoved ? 'fail' : 'pass',
      severity: labelMoved ? 'warning' : 'info',
      ...(labelMoved ? { cause: 'population-change' as const } : {}),
      message: `positive rate ${(100 * p1).toFixed(1)}% → ${(100 * p2).toFixed(1)}%${labelMoved ? ' (the outcome itself moved: a population change)' : ''}`,
      evidence: { before: p1, after: p2, pValue },
    });
  }
  for (const [name, d] of features) {
    if (!d.significant || args.explained?.has(name)) continue;
    const own = raw?.get(name);
    let cause: 'population-change' | 'preprocessing-bug' | undefined;
    let why: string;
    if (own) {
      cause = own.significant ? 'population-change' : d.drifted ? 'preprocessing-bug' : undefined;
      why = own.significant
        ? `raw ${name} moved as well (p = ${fmtP(own.pValue)}): the population changed`
        : `raw ${name} is stable (p = ${fmtP(own.pValue)}) but the feature moved: preprocessing`;
    } else if (raw) {
      cause =
        rawMoved.length > 0 || labelMoved ? 'population-change' : d.drifted ? 'preprocessing-bug' : undefined;
      why =
        rawMoved.length > 0
          ? `raw inputs moved too (${rawMoved.slice(0, 4).join(', ')}): consistent with a population change`
          : 'no raw input moved: the change comes from preprocessing';
    } else {
      cause = 'population-change';
      why =
        'no simple transformation explains it; without raw inputs (--raw-before/--raw-after) a population change is the likelier cause';
    }
    if (!cause) continue;
    findings.push({
      check: 'population',
      kind: cause === 'population-change' ? 'population-drift' : 'pipeline-drift',
      feature: name,
      verdict: 'fail',
      severity: cause === 'population-change' ? 'warning' : 'error',
      cause,
      message: `${name} moved (${d.test} ${d.effect?.toFixed(3)}, p = ${fmtP(d.pValue)}${d.drifted ? ', material' : ', not material'}); ${why}`,
      evidence: { feature: d, raw: own ?? null, rawMoved },
    });
  }
  if (!findings.some((f) => f.verdict === 'fail'))
    findings.push({
      check: 'population',
      kind: 'stable',
      feature: null,
      verdict: 'pass',
      severity: 'info',
      message: `no feature${raw ? ' or raw input' : ''} moved significantly`,
      evidence: { features: features.size, raw: raw?.size ?? null },
    });
  return findings;
}

const fmtP = (p: number | undefined) =>
  p === undefined ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4);
