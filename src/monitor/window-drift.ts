/**
 * Feature drift of monitor windows: the rule of `detectDrift` (src/drift/detect-drift.ts:
 * significant AND material, Benjamini–Hochberg across columns, the tests chosen by
 * chooseDefaultTests) with the resampled nulls CACHED across windows.
 *
 * Why: the null of a binned distance costs B multinomial draws over the column's bins; for a
 * 4 000-route categorical at B = 199 that is ~0.8 s per window, ~2 minutes for six months of
 * days. The null depends on the window only through its effective size m′ = nm/(n+m); it is
 * estimated once per (column, size bucket), buckets being a geometric grid of ratio
 * `bucketRatio` (default 1.25), at the bucket's centre m_b, and rescaled to m′ by the first-order
 * law of these statistics (null-threshold.ts): PSI (a divergence, ∝ 1/m′) by m_b/m′, and JS,
 * Hellinger and normalised W1 distances (∝ 1/√m′) by √(m_b/m′). Within a bucket m_b/m′ is
 * within [0.89, 1.12], so the correction is small and exact in the large-count limit.
 */
import {
  type ColumnDrift,
  type ColumnDriftResult,
  countColumn,
  type DriftReport,
  type DriftTests,
} from '../drift/detect-drift.js';
import {
  debiasEffect,
  empiricalPValue,
  estimateNullThreshold,
  type NullStatistic,
  thresholdOf,
} from '../drift/null-threshold.js';
import {
  type CategoricalValues,
  type NumericValues,
  type PreparedReference,
  prepareCurrent,
} from '../drift/prepare.js';
import {
  chooseDefaultTests,
  type DriftTestName,
  type DriftTestValue,
  driftTests,
} from '../drift/registry.js';
import { decideColumnDrift } from '../drift/verdict.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';

/** Cached null distributions, keyed by column, statistic and size bucket. */
export type NullCache = Map<string, { mEffective: number; values: Float64Array }>;

/** One column of a window. */
export interface WindowDriftColumn {
  name: string;
  reference: PreparedReference;
  current: NumericValues | CategoricalValues;
}

/** Options of {@link detectWindowDrift}. */
export interface WindowDriftOptions {
  /** Significance level and false discovery rate. Default 0.05. */
  alpha?: number;
  /** Fewer non-missing values gives insufficient_data. Default 200. */
  minSamples?: number;
  /** Resampled windows B (raised to ⌈k/α⌉ − 1, as detectDrift). Default 199. */
  resamples?: number;
  /** Seed of the null of column i: seed + i. Default 0. */
  seed?: number;
  /** Ratio of the geometric grid of cached window sizes. Default 1.25. */
  bucketRatio?: number;
}

const defaults = { alpha: 0.05, minSamples: 200, resamples: 199, seed: 0, bucketRatio: 1.25 };

const scaleExponent = (s: NullStatistic): number => (s === 'psi' ? 1 : 0.5);

/** The null of `statistic` at window size m, from the cache (estimated once per size bucket). */
function cachedNull(
  cache: NullCache,
  name: string,
  reference: PreparedReference,
  statistic: NullStatistic,
  m: number,
  o: typeof defaults,
  seed: number,
): { values: Float64Array; mEffective: number } {
  const n = reference.n;
  const mEff = (n * m) / (n + m);
  const bucket = Math.round(Math.log(m) / Math.log(o.bucketRatio));
  const key = `${name}\u0000${statistic}\u0000${bucket}\u0000${o.resamples}`;
  let hit = cache.get(key);
  if (!hit) {
    const mb = Math.max(1, Math.round(o.bucketRatio ** bucket));
    const nullDist = estimateNullThreshold({
      reference,
      m: mb,
      statistic,
      alpha: o.alpha,
      resamples: o.resamples,
      seed,
    });
    hit = { mEffective: nullDist.mEffective, values: nullDist.values };
    cache.set(key, hit);
  }
  const factor = (hit.mEffective / mEff) ** scaleExponent(statistic);
  return { values: hit.values.map((v) => v * factor), mEffective: Math.round(mEff) };
}

/** Drift of a window's columns against their prepared references, nulls from `cache`. */
export function detectWindowDrift(
  columns: readonly WindowDriftColumn[],
  cache: NullCache,
  options: WindowDriftOptions = {},
): DriftReport {
  const o = { ...defaults, ...options };
  if (!(o.alpha > 0 && o.alpha < 1))
    throw new RangeError(`invalid alpha: ${o.alpha} (expected 0 < alpha < 1)`);
  if (!(o.bucketRatio > 1)) throw new RangeError(`invalid bucketRatio: ${o.bucketRatio} (expected > 1)`);
  o.resamples = Math.max(o.resamples, Math.ceil(columns.length / o.alpha) - 1);
  const results: (ColumnDriftResult & { name: string })[] = columns.map((column, i) => {
    const ref = column.reference;
    const cur = prepareCurrent(ref, column.current);
    const { counts, insufficient } = countColumn(ref, cur, o.minSamples);
    if (insufficient) return { name: column.name, ...insufficient };
    const chosen = chooseDefaultTests(ref.type, cur.n);
    // The binned distances (O(bins)) and the two deciding tests; KS and W1 scan the whole
    // sorted reference, so they are computed only when they decide.
    const tests = new Map<DriftTestName, DriftTestValue>();
    const wanted = new Set<DriftTestName>([
      'psi',
      'jensenShannon',
      'hellinger',
      chosen.significance,
      chosen.effect,
    ]);
    for (const name of wanted) tests.set(name, driftTests[name].compute(ref, cur));
    const effectTest = chosen.effect as NullStatistic;
    const effectNull = cachedNull(cache, column.name, ref, effectTest, cur.n, o, o.seed + i);
    const sig = tests.get(chosen.significance)!;
    const significance: ColumnDrift['significance'] = {
      test: chosen.significance,
      statistic: sig.value,
      pValue: Number.NaN,
    };
    if (driftTests[chosen.significance].kind === 'test') significance.pValue = sig.pValue ?? Number.NaN;
    else {
      const sigNull =
        chosen.significance === chosen.effect
          ? effectNull
          : cachedNull(cache, column.name, ref, chosen.significance as NullStatistic, cur.n, o, o.seed + i);
      significance.pValue = empiricalPValue(sigNull.values, sig.value);
      significance.null = {
        threshold: thresholdOf(sigNull.values, o.alpha),
        alpha: o.alpha,
        resamples: o.resamples,
        mEffective: sigNull.mEffective,
      };
    }
    const value = tests.get(effectTest)!.value;
    const result: ColumnDrift & { name: string } = {
      name: column.name,
      status: 'ok',
      ...counts,
      tests: toTests(tests),
      significance,
      effect: {
        test: effectTest,
        value,
        debiased: debiasEffect(effectTest, value, effectNull.values),
        floor: driftTests[effectTest].materialFloor ?? Number.NaN,
      },
      significant: false,
      material: false,
      drifted: false,
      reason: '',
    };
    return decideColumnDrift(result, o.alpha) as ColumnDrift & { name: string };
  });
  const tested = results.filter((r): r is ColumnDrift & { name: string } => r.status === 'ok');
  const { adjusted } = benjaminiHochberg(
    tested.map((r) => (Number.isNaN(r.significance.pValue) ? 1 : r.significance.pValue)),
    o.alpha,
  );
  tested.forEach((r, i) => {
    r.significance.adjustedPValue = adjusted[i];
    decideColumnDrift(r, o.alpha, tested.length);
  });
  return { alpha: o.alpha, columns: results, drifted: tested.filter((r) => r.drifted).map((r) => r.name) };
}

function toTests(tests: Map<DriftTestName, DriftTestValue>): DriftTests {
  const v = (name: DriftTestName) => tests.get(name)?.value ?? Number.NaN;
  const out: DriftTests = {
    psi: { value: v('psi') },
    jensenShannon: { value: v('jensenShannon') },
    hellinger: { value: v('hellinger') },
  };
  const ks = tests.get('ks');
  if (ks) out.ks = { statistic: ks.value, pValue: ks.pValue ?? Number.NaN };
  const chi = tests.get('chiSquare');
  if (chi) out.chiSquare = { statistic: chi.value, pValue: chi.pValue ?? Number.NaN };
  const w = tests.get('wasserstein');
  if (w) out.wasserstein = { value: w.raw ?? Number.NaN, normalized: w.value };
  return out;
}
