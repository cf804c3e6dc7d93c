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
import type { ModelFeature } from '../models/types.js';
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
}

const defaults: Required<ConcentrationOptions> = {
  minShare: 0.03,
  maxShare: 0.95,
  maxValues: 5,
  minRows: 100,
  alpha: 0.05,
  resamples: 49,
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
  const drift = (f: ModelFeature, ref: Float64Array, cur: Float64Array) => {
    const d =
      f.type === 'categorical'
        ? detectColumnDrift(decodeCategories(ref, f.categories), decodeCategories(cur, f.categories), {
            type: 'categorical',
            significance: 'chiSquare',
            alpha: o.alpha,
            resamples: o.resamples,
          })
        : detectColumnDrift(ref, cur, {
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
      const allBase = Array.from({ length: nBase }, (_, r) => r);
      let best: ConcentratedShift | null = null;
      for (const f of input.features) {
        const cur = input.current.columns[f.name];
        const base = input.baseline.columns[f.name];
        const inside = drift(f, pick(base, ownBaseline ? inBase : allBase), pick(cur, inCur));
        if (inside === null || !inside.drifted || inside.ratio < 1) continue;
        const outside = drift(
          f,
          pick(base, outBase.length >= o.minRows ? outBase : allBase),
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
