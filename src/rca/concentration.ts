/**
 * Concentrated shifts: a feature whose distribution moved inside one group (a tag value, a version,
 * a segment value) while the rest of the traffic kept its baseline distribution. A new pipeline
 * that rescales a column, or an upstream change at one airport, shows this way even when the error
 * rate does not move (a score-drift or feature-drift alert).
 *
 * For each group value holding between `minShare` and `maxShare` of the current rows, each feature
 * is tested inside the value against its baseline (the value's own baseline rows when there are at
 * least `minRows`, else the whole baseline) and outside it against the baseline outside, with
 * `detectColumnDrift` (analytic KS / χ² significance, debiased effect and its material floor). The
 * shift is concentrated when the inside drifts (significant and material) and the outside stays
 * under the floor; score = (1 − ratio_out / ratio_in) · min(1, ratio_in / 2) · (0.5 + 0.5 ·
 * relative importance), ratio = effect / floor. Pure.
 */
import { detectColumnDrift } from '../drift/detect-drift.js';
import { type PreparedReference, prepareReference } from '../drift/prepare.js';
import type { ModelFeature } from '../models/types.js';
import { ks2SampSorted } from '../stats/ks.js';
import { sortFloat64InPlace } from '../stats/sort.js';
import { decodeCategories } from './drift-importance.js';

/** Options of {@link findConcentratedShifts}. */
export interface ConcentrationOptions {
  /** Smallest current share of a value. Default 0.03. */
  minShare?: number;
  /** Largest current share of a value (above, there is no outside to compare). Default 0.95. */
  maxShare?: number;
  /** Values tested per group key, the largest first. Default 5. */
  maxValues?: number;
  /** Fewest rows inside a value (and of its own baseline to use it). Default 100. */
  minRows?: number;
  /** Significance level of the drift tests. Default 0.05. */
  alpha?: number;
  /** Null windows resampled to debias each effect (`detectColumnDrift`'s `resamples`). Default 49. */
  resamples?: number;
  /** Screen: only features whose inside KS distance (numeric) or total variation (categorical) reaches this are tested. Default 0.05. */
  screen?: number;
}

const defaults: Required<ConcentrationOptions> = {
  minShare: 0.03,
  maxShare: 0.95,
  maxValues: 5,
  minRows: 100,
  alpha: 0.05,
  resamples: 49,
  screen: 0.05,
};

/** One window's feature columns (categorical as codes, NaN missing) and grouping columns. */
export interface ConcentrationWindow {
  columns: Readonly<Record<string, ArrayLike<number>>>;
  groups: Readonly<Record<string, ArrayLike<string | null>>>;
}

/** A feature shift concentrated in one group value. */
export interface ConcentratedShift {
  key: string;
  value: string;
  feature: string;
  share: { baseline: number; current: number };
  inside: { effect: number; ratio: number; test: string; pValue: number; n: number };
  outside: { effect: number; ratio: number };
  /** Whether the inside was compared with the value's own baseline rows (else the whole baseline). */
  ownBaseline: boolean;
  score: number;
}

function pick(values: ArrayLike<number>, rows: number[]): Float64Array {
  return Float64Array.from(rows, (r) => values[r]);
}

/** Non-missing values, sorted ascending. */
function sortedValues(values: Float64Array): Float64Array {
  return sortFloat64InPlace(values.filter((v) => !Number.isNaN(v)));
}

/** Total variation distance between the code frequencies of two samples (missing skipped). */
function totalVariation(a: Float64Array, b: Float64Array): number {
  const count = (x: Float64Array) => {
    const m = new Map<number, number>();
    let n = 0;
    for (const v of x)
      if (!Number.isNaN(v)) {
        m.set(v, (m.get(v) ?? 0) + 1);
        n++;
      }
    return { m, n };
  };
  const ca = count(a);
  const cb = count(b);
  if (ca.n === 0 || cb.n === 0) return 0;
  let tv = 0;
  for (const k of new Set([...ca.m.keys(), ...cb.m.keys()]))
    tv += Math.abs((ca.m.get(k) ?? 0) / ca.n - (cb.m.get(k) ?? 0) / cb.n);
  return tv / 2;
}

/** Concentrated shifts, the best feature per group value, by decreasing score (see the module comment). */
export function findConcentratedShifts(
  input: {
    features: readonly ModelFeature[];
    current: ConcentrationWindow;
    baseline: ConcentrationWindow;
    /** Mean |SHAP| per feature (relative importance is taken against the largest). */
    importance: Readonly<Record<string, number>>;
  },
  options: ConcentrationOptions = {},
): ConcentratedShift[] {
  const o = { ...defaults, ...options };
  const maxImp = Math.max(0, ...Object.values(input.importance));
  const out: ConcentratedShift[] = [];
  const sortedBaseCache = new Map<string, Float64Array>();
  const sortedBase = (name: string): Float64Array => {
    let s = sortedBaseCache.get(name);
    if (s === undefined) {
      s = sortedValues(Float64Array.from(input.baseline.columns[name]));
      sortedBaseCache.set(name, s);
    }
    return s;
  };
  // The whole baseline of a feature, prepared once (sorted, binned) for every value compared with it.
  const prepared = new Map<string, PreparedReference>();
  const wholeBaseline = (f: ModelFeature): PreparedReference => {
    let p = prepared.get(f.name);
    if (p === undefined) {
      const values = input.baseline.columns[f.name];
      p =
        f.type === 'categorical'
          ? prepareReference({ type: 'categorical', values: decodeCategories(values, f.categories) })
          : prepareReference({ type: 'numeric', values: Float64Array.from(values) });
      prepared.set(f.name, p);
    }
    return p;
  };
  const drift = (f: ModelFeature, ref: Float64Array | 'whole', cur: Float64Array) => {
    const reference =
      ref === 'whole'
        ? wholeBaseline(f)
        : f.type === 'categorical'
          ? decodeCategories(ref, f.categories)
          : ref;
    const d =
      f.type === 'categorical'
        ? detectColumnDrift(reference, decodeCategories(cur, f.categories), {
            type: 'categorical',
            significance: 'chiSquare',
            alpha: o.alpha,
            resamples: o.resamples,
          })
        : detectColumnDrift(reference, cur, {
            type: 'numeric',
            significance: 'ks',
            alpha: o.alpha,
            resamples: o.resamples,
          });
    if (d.status !== 'ok') return null;
    const ratio = d.effect.floor > 0 ? Math.max(0, d.effect.debiased) / d.effect.floor : 0;
    return {
      drifted: d.drifted,
      effect: d.effect.debiased,
      ratio,
      test: d.effect.test,
      pValue: d.significance.pValue,
    };
  };
  for (const [key, gc] of Object.entries(input.current.groups)) {
    const gb = input.baseline.groups[key];
    const nCur = gc.length;
    if (nCur === 0) continue;
    const counts = new Map<string, number>();
    for (let r = 0; r < nCur; r++) {
      const v = gc[r];
      if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const values = [...counts.entries()]
      .filter(([, c]) => c / nCur >= o.minShare && c / nCur <= o.maxShare && c >= o.minRows)
      .sort((a, b) => b[1] - a[1])
      .slice(0, o.maxValues);
    for (const [value, count] of values) {
      const inCur: number[] = [];
      const outCur: number[] = [];
      for (let r = 0; r < nCur; r++) (gc[r] === value ? inCur : outCur).push(r);
      const inBase: number[] = [];
      const outBase: number[] = [];
      const nBase = input.baseline.columns[input.features[0]?.name ?? '']?.length ?? 0;
      for (let r = 0; r < nBase; r++) (gb !== undefined && gb[r] === value ? inBase : outBase).push(r);
      const ownBaseline = inBase.length >= o.minRows;
      let best: ConcentratedShift | null = null;
      for (const f of input.features) {
        const cur = input.current.columns[f.name];
        const base = input.baseline.columns[f.name];
        const refInside = ownBaseline ? pick(base, inBase) : Float64Array.from(base);
        const curInside = pick(cur, inCur);
        // A cheap screen first: the full test (with its null resampling) only for visible shifts.
        const seen =
          f.type === 'categorical'
            ? totalVariation(refInside, curInside)
            : (() => {
                const k = ks2SampSorted(
                  ownBaseline ? sortedValues(refInside) : sortedBase(f.name),
                  sortedValues(curInside),
                  { method: 'asymp' },
                );
                return k.status === 'ok' ? k.statistic : 0;
              })();
        if (seen < o.screen) continue;
        const inside = drift(f, ownBaseline ? refInside : 'whole', curInside);
        if (inside === null || !inside.drifted || inside.ratio < 1) continue;
        const outside = drift(
          f,
          outBase.length >= o.minRows ? pick(base, outBase) : 'whole',
          pick(cur, outCur),
        );
        if (outside === null || outside.ratio >= 1) continue;
        const rel = maxImp > 0 ? (input.importance[f.name] ?? 0) / maxImp : 0;
        const score = (1 - outside.ratio / inside.ratio) * Math.min(1, inside.ratio / 2) * (0.5 + 0.5 * rel);
        if (best === null || score > best.score)
          best = {
            key,
            value,
            feature: f.name,
            share: { baseline: nBase > 0 ? inBase.length / nBase : 0, current: count / nCur },
            inside: {
              effect: inside.effect,
              ratio: inside.ratio,
              test: inside.test,
              pValue: inside.pValue,
              n: inCur.length,
            },
            outside: { effect: outside.effect, ratio: outside.ratio },
            ownBaseline,
            score,
          };
      }
      if (best !== null) out.push(best);
    }
  }
  return out.sort((a, b) => b.score - a.score);
}
