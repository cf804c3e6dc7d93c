/**
 * Cohort drift: within one window, the rows of a minority tag value (a new pipeline, a canary host)
 * against the rows of the other values of the same tag. Both cohorts see the same hour's traffic,
 * so hour-of-day, weekday and natural drift cancel: like is compared with like, with no reference
 * slice at all (as canary analysis does, e.g. Kayenta). A difference is a property of the cohort.
 *
 * Per feature the test is detectDrift's rule with analytic tests (KS for numeric columns,
 * chi-square for categorical; both cohorts are small samples of one window) and no resampled null
 * (it would cost a multinomial draw per bin and resample, every hour): drifted when the
 * Benjamini–Hochberg adjusted p-value is ≤ alpha and the effect is material (PSI ≥ 0.1, JS ≥ 0.1,
 * the registry's floors, after removing the distances' small-sample bias: for small differences
 * PSI (symmetrised KL) and 8 ln2 · JS² both ≈ Σ (p − q)²/π, whose expectation under no drift is
 * (K − 1)/m′ for K bins or categories and m′ = nm/(n+m)). Pure.
 */
import { prepareCategoricalReference, prepareCurrent, prepareNumericReference } from '../drift/prepare.js';
import { type DriftTestName, driftTests } from '../drift/registry.js';
import { benjaminiHochberg } from '../stats/multiple-testing.js';
import type { EventColumns, MetricPoint, Model, WindowSize } from '../store/store.js';
import { dictionaryValues } from './reference-profile.js';
import { finiteQuantilesInPlace } from './select-quantiles.js';

/** Options of {@link cohortDriftPoints}. */
export interface CohortDriftOptions {
  /** Fewest rows in each cohort for a comparison. Default 50. */
  minCohort?: number;
  /** Significance level and false discovery rate. Default 0.05. */
  alpha?: number;
}

const defaults = { minCohort: 50, alpha: 0.05 };

/** Input of {@link cohortDriftPoints}. */
export interface CohortDriftInput {
  model: Model;
  columns: EventColumns;
  /** Rows [begin, end) of the window. */
  begin: number;
  end: number;
  window: { size: WindowSize; startMs: number };
  /** Segment columns; only tags (`tags.<name>`) make cohorts. */
  segments: readonly string[];
  options?: CohortDriftOptions;
}

/**
 * `cohort_drift.<feature>` points (segment `tags.<tag>=<value>`, version `*`) for every minority
 * value of a tag with at least `minCohort` rows while the other values have as many: value = the
 * effect size, baseline = its floor, significant = drifted against the rest of the window.
 */
export function cohortDriftPoints(input: CohortDriftInput): MetricPoint[] {
  const o = { ...defaults, ...input.options };
  const { columns: c, begin, end, model } = input;
  const out: MetricPoint[] = [];
  for (const segment of input.segments) {
    if (!segment.startsWith('tags.')) continue;
    const tag = c.tags[segment.slice(5)];
    if (tag?.kind !== 'dictionary') continue;
    const counts = new Map<number, number>();
    for (let i = begin; i < end; i++) {
      const code = tag.codes[i];
      if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    if (counts.size < 2) continue;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
    for (const [code, count] of counts) {
      if (code === majority) continue;
      if (count < o.minCohort || total - count < o.minCohort) {
        // Present but too small (a quiet night hour): insufficient data keeps its alerts as they are.
        for (const spec of model.schema.features)
          out.push({
            model: model.id,
            version: '*',
            window: input.window,
            segment: `${segment}=${tag.dictionary[code]}`,
            metric: `cohort_drift.${spec.name}`,
            value: null,
            ciLow: null,
            ciHigh: null,
            n: count,
            status: 'insufficient_data',
            estimated: false,
          });
        continue;
      }
      const inside: number[] = [];
      const rest: number[] = [];
      for (let i = begin; i < end; i++) {
        if (tag.codes[i] < 0) continue;
        (tag.codes[i] === code ? inside : rest).push(i);
      }
      const name = `${segment}=${tag.dictionary[code]}`;
      const tested: {
        feature: string;
        p: number;
        effect: number;
        floor: number;
        test: DriftTestName;
        effectTest: DriftTestName;
        n: number;
      }[] = [];
      for (const spec of model.schema.features) {
        const col = c.features[spec.name];
        if (!col) continue;
        const numeric = col.kind === 'numeric';
        const reference = numeric
          ? prepareNumericReference(Float64Array.from(rest, (i) => col.values[i]))
          : prepareCategoricalReference(dictionaryValues(col, rest));
        const current = prepareCurrent(
          reference,
          numeric ? Float64Array.from(inside, (i) => col.values[i]) : dictionaryValues(col, inside),
        );
        const base = {
          model: model.id,
          version: '*',
          window: input.window,
          segment: name,
          metric: `cohort_drift.${spec.name}`,
          ciLow: null,
          ciHigh: null,
          n: current.n,
          estimated: false,
        };
        if (current.n < o.minCohort || reference.n < o.minCohort) {
          out.push({ ...base, value: null, status: 'insufficient_data' });
          continue;
        }
        const test: DriftTestName = numeric ? 'ks' : 'chiSquare';
        const effectTest: DriftTestName = numeric ? 'psi' : 'jensenShannon';
        const p = driftTests[test].compute(reference, current).pValue ?? Number.NaN;
        let effect = driftTests[effectTest].compute(reference, current).value;
        // Both distances are biased up at small sizes; their expectation under no drift is removed
        // so that the floor measures the shift itself (m′ = nm/(n+m), K bins or categories):
        // m′·PSI ≈ χ²(K − 1), and 8 ln2 · m′ · JS² ≈ χ²(K − 1) (JS distance base 2).
        const mEff = (reference.n * current.n) / (reference.n + current.n);
        if (reference.type === 'numeric') effect = Math.max(0, effect - reference.edges.length / mEff);
        else if (current.type === 'categorical') {
          const k = new Set([...reference.counts.keys(), ...current.counts.keys()]).size;
          effect = Math.sqrt(Math.max(0, effect * effect - (k - 1) / (8 * Math.LN2 * mEff)));
        }
        tested.push({
          feature: spec.name,
          p: Number.isNaN(p) ? 1 : p,
          effect,
          floor: driftTests[effectTest].materialFloor ?? Number.NaN,
          test,
          effectTest,
          n: current.n,
        });
      }
      const { adjusted } = benjaminiHochberg(
        tested.map((t) => t.p),
        o.alpha,
      );
      tested.forEach((t, k) => {
        out.push({
          model: model.id,
          version: '*',
          window: input.window,
          segment: name,
          metric: `cohort_drift.${t.feature}`,
          value: t.effect,
          ciLow: null,
          ciHigh: null,
          n: t.n,
          status: 'ok',
          estimated: false,
          baseline: t.floor,
          significant: adjusted[k] <= o.alpha && t.effect >= t.floor,
          detail: {
            against: `${segment}≠${tag.dictionary[code]}`,
            nAgainst: rest.length,
            test: t.test,
            pValue: t.p,
            adjustedPValue: adjusted[k],
            effect: t.effectTest,
          },
        });
      });
    }
  }
  return out;
}

/**
 * Canary latency: within one window, each minority model version's latency quantiles over the
 * other versions' (`cohort_latency_p50` / `cohort_latency_p99`, value = the ratio, segment 'all',
 * version = the minority one). Both see the same hour's traffic, so a ratio well above 1 is the
 * version's own. Versions below `minCohort` rows (or whose rest is) report insufficient_data.
 */
export function versionLatencyPoints(
  input: Omit<CohortDriftInput, 'segments' | 'model'> & { model: string },
): MetricPoint[] {
  const o = { ...defaults, ...input.options };
  const { columns: c, begin, end } = input;
  const counts = new Map<number, number>();
  for (let i = begin; i < end; i++) counts.set(c.version.codes[i], (counts.get(c.version.codes[i]) ?? 0) + 1);
  if (counts.size < 2) return [];
  const total = end - begin;
  const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const out: MetricPoint[] = [];
  for (const [code, count] of counts) {
    if (code === majority || code < 0) continue;
    const base = {
      model: input.model,
      version: c.version.dictionary[code],
      window: input.window,
      segment: 'all',
      ciLow: null,
      ciHigh: null,
      estimated: false,
    };
    const enough = count >= o.minCohort && total - count >= o.minCohort;
    const inside = new Float64Array(enough ? count : 0);
    const rest = new Float64Array(enough ? total - count : 0);
    if (enough) {
      let a = 0;
      let b = 0;
      for (let i = begin; i < end; i++)
        if (c.version.codes[i] === code) inside[a++] = c.latencyMs[i];
        else rest[b++] = c.latencyMs[i];
    }
    const qi = finiteQuantilesInPlace(inside, [0.5, 0.99]);
    const qr = finiteQuantilesInPlace(rest, [0.5, 0.99]);
    ['cohort_latency_p50', 'cohort_latency_p99'].forEach((metric, k) => {
      const x = qi.q[k];
      const y = qr.q[k];
      if (!enough || x === null || y === null || !(y > 0))
        out.push({ ...base, metric, value: null, n: count, status: 'insufficient_data' });
      else
        out.push({
          ...base,
          metric,
          value: x / y,
          n: qi.n,
          status: 'ok',
          baseline: 1,
          detail: { version: x, others: y, nOthers: qr.n },
        });
    });
  }
  return out;
}
