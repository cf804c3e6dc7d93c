/**
 * The reference profile of a model: everything the monitor compares windows with, computed once
 * per reference snapshot (prepared drift references per feature and for the score, a quality
 * profile, the CBPE calibrator, and the reference's own metric values as baselines). Pure.
 */
import {
  type PreparedReference,
  prepareCategoricalReference,
  prepareCurrent,
  prepareNumericReference,
} from '../drift/prepare.js';
import { chooseDefaultTests, driftTests } from '../drift/registry.js';
import { type Calibrator, calibrateAll, estimatePerformance, fitCalibrator } from '../metrics/cbpe.js';
import { rocAuc } from '../metrics/roc-auc.js';
import type { DictionaryColumn, Model, NumericColumn } from '../store/store.js';
import { type PriorVariance, pooledVariance } from './day-baseline.js';
import type { NullCache } from './window-drift.js';
import { computeWindowMetrics, type WindowMetrics } from './window-metrics.js';

/** Reference rows as typed columns (the shape of `EventColumns`, without times). */
export interface ReferenceData {
  /** Identity of the reference (snapshot id), the profile cache key. */
  id: string;
  n: number;
  features: Record<string, NumericColumn | DictionaryColumn>;
  /** P(positive) per row, if the reference has scores. */
  score?: Float64Array;
  /** 1 positive, 0 negative, −1 unlabelled, if the reference has labels. */
  label?: Int8Array;
  /** 1 when predicted positive, if known (else score ≥ threshold). */
  predicted?: Int8Array;
  /** Event times (epoch ms), when known: they give the reference's days (`ReferenceProfile.days`). */
  timeMs?: Float64Array;
}

/**
 * The reference's days, each profiled like a monitor day window (day-baseline.ts): per segment
 * ('all' or '<feature>=<value>'), the per-day values of each metric; per feature (and `score`),
 * each day's effect distance to the rest of the reference (leave one day out).
 */
export interface DayProfile {
  /** Days with at least `minDayRows` rows. */
  days: number;
  metrics: Map<string, Record<string, number[]>>;
  drift: Map<string, { test: string; values: number[] }>;
  /** Per `<segment column>\u0000<metric>`, the pooled variance of that column's segments. */
  priors: Map<string, PriorVariance>;
}

/** What the quality checks compare with, per feature. */
export interface QualityProfile {
  missingRate: number;
  /** Numeric: the reference range. */
  min?: number;
  max?: number;
  /** Categorical: the reference categories. */
  categories?: Set<string>;
}

/** A model's reference, profiled once. */
export interface ReferenceProfile {
  id: string;
  n: number;
  features: Map<
    string,
    { type: 'numeric' | 'categorical'; prepared: PreparedReference; quality: QualityProfile }
  >;
  score?: PreparedReference;
  calibrator?: Calibrator;
  /** Share of rows predicted positive, and its row count. */
  positiveRate?: { value: number; n: number };
  /** Metrics of the labelled reference rows (baselines). */
  metrics?: WindowMetrics;
  /** Resampled drift nulls, filled as windows are tested (window-drift.ts). */
  nullCache: NullCache;
  /** The reference's days (when its event times are known). */
  days?: DayProfile;
}

/** Strings of a dictionary column (null for missing). */
export function dictionaryValues(col: DictionaryColumn, rows?: ArrayLike<number>): (string | null)[] {
  const n = rows ? rows.length : col.codes.length;
  const out = new Array<string | null>(n);
  for (let k = 0; k < n; k++) {
    const c = col.codes[rows ? rows[k] : k];
    out[k] = c < 0 ? null : col.dictionary[c];
  }
  return out;
}

/** Profiles a reference for the monitor. O(n log n) per numeric feature. */
export function buildReferenceProfile(model: Model, data: ReferenceData): ReferenceProfile {
  const features: ReferenceProfile['features'] = new Map();
  for (const spec of model.schema.features) {
    const col = data.features[spec.name];
    if (!col) continue;
    if (col.kind === 'numeric') {
      const prepared = prepareNumericReference(col.values);
      const sorted = prepared.sorted;
      features.set(spec.name, {
        type: 'numeric',
        prepared,
        quality: {
          missingRate: data.n > 0 ? prepared.missing / data.n : 0,
          min: sorted.length > 0 ? sorted[0] : Number.NaN,
          max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
        },
      });
    } else {
      const prepared = prepareCategoricalReference(dictionaryValues(col));
      features.set(spec.name, {
        type: 'categorical',
        prepared,
        quality: {
          missingRate: data.n > 0 ? prepared.missing / data.n : 0,
          categories: new Set(prepared.counts.keys()),
        },
      });
    }
  }
  const profile: ReferenceProfile = { id: data.id, n: data.n, features, nullCache: new Map() };
  const { score, label } = data;
  if (score) {
    profile.score = prepareNumericReference(score);
    let positive = 0;
    for (let i = 0; i < data.n; i++)
      positive += data.predicted ? data.predicted[i] : score[i] >= model.schema.threshold ? 1 : 0;
    profile.positiveRate = { value: data.n > 0 ? positive / data.n : Number.NaN, n: data.n };
  }
  if (score && label) {
    const idx: number[] = [];
    for (let i = 0; i < data.n; i++) if (label[i] >= 0 && Number.isFinite(score[i])) idx.push(i);
    if (idx.length > 0) {
      const s = Float64Array.from(idx, (i) => score[i]);
      const y = Float64Array.from(idx, (i) => label[i]);
      const p = Float64Array.from(idx, (i) =>
        data.predicted ? data.predicted[i] : score[i] >= model.schema.threshold ? 1 : 0,
      );
      profile.calibrator = fitCalibrator(s, y);
      profile.metrics = computeWindowMetrics(y, s, p);
    }
  }
  if (data.timeMs) profile.days = buildDayProfile(model, data, profile);
  return profile;
}

/** Fewest rows of a reference day (or of a segment within it) to count it. */
const minDayRows = 100;
const DAY = 86_400_000;

/**
 * Accuracy, ROC-AUC and positive rate of some rows (labelled rows for the first two); with a
 * calibrator, the CBPE estimates and `accuracy_gap` (accuracy − CBPE accuracy).
 */
function dayMetrics(
  data: ReferenceData,
  threshold: number,
  rows: readonly number[],
  calibrator?: Calibrator,
): Record<string, number> {
  const { score, label, predicted } = data;
  const out: Record<string, number> = {};
  if (!score) return out;
  const pred = (i: number) => (predicted ? predicted[i] : score[i] >= threshold ? 1 : 0);
  let positive = 0;
  for (const i of rows) positive += pred(i);
  out.positive_rate = positive / rows.length;
  if (!label) return out;
  const lab = rows.filter((i) => label[i] >= 0 && Number.isFinite(score[i]));
  if (lab.length < minDayRows) return out;
  let hit = 0;
  for (const i of lab) hit += pred(i) === label[i] ? 1 : 0;
  out.accuracy = hit / lab.length;
  const y = Float64Array.from(lab, (i) => label[i]);
  const auc = rocAuc(
    y,
    Float64Array.from(lab, (i) => score[i]),
  );
  if (Number.isFinite(auc)) out.roc_auc = auc;
  if (calibrator) {
    const scores = Float64Array.from(rows, (i) => score[i]);
    const est = estimatePerformance(scores, calibrateAll(calibrator, scores), {
      yPred: Float64Array.from(rows, (i) => pred(i)),
      interval: 'analytic',
    });
    for (const [k, e] of Object.entries(est.metrics))
      if (e.value !== null) out[`cbpe.${k === 'rocAuc' ? 'roc_auc' : k}`] = e.value;
    if (out['cbpe.accuracy'] !== undefined) out.accuracy_gap = out.accuracy - out['cbpe.accuracy'];
  }
  return out;
}

/** Appends `value` to the list at `key`. */
function pushTo<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Profiles the reference's days (see DayProfile). O(days × (segments + features) × rows of a day). */
function buildDayProfile(model: Model, data: ReferenceData, profile: ReferenceProfile): DayProfile {
  const time = data.timeMs as Float64Array;
  const byDay = new Map<number, number[]>();
  for (let i = 0; i < data.n; i++) pushTo(byDay, Math.floor(time[i] / DAY) * DAY, i);
  const days = [...byDay.values()].filter((rows) => rows.length >= minDayRows);
  const metrics = new Map<string, Record<string, number[]>>();
  const push = (segment: string, values: Record<string, number>) => {
    const m = metrics.get(segment) ?? {};
    metrics.set(segment, m);
    for (const [k, v] of Object.entries(values)) {
      m[k] ??= [];
      m[k].push(v);
    }
  };
  const threshold = model.schema.threshold;
  const segmentColumns = model.schema.segments.filter((s) => data.features[s]?.kind === 'dictionary');
  for (const rows of days) {
    const all = dayMetrics(data, threshold, rows, profile.calibrator);
    push('all', all);
    for (const name of segmentColumns) {
      const col = data.features[name] as DictionaryColumn;
      const groups = new Map<number, number[]>();
      for (const i of rows) if (col.codes[i] >= 0) pushTo(groups, col.codes[i], i);
      for (const [code, g] of groups) {
        if (g.length < minDayRows) continue;
        const m = dayMetrics(data, threshold, g, profile.calibrator);
        // The segment's gap beyond the whole day's (a storm everywhere moves both).
        if (m.accuracy_gap !== undefined && all.accuracy_gap !== undefined)
          m.accuracy_gap_vs_all = m.accuracy_gap - all.accuracy_gap;
        push(`${name}=${col.dictionary[code]}`, m);
      }
    }
  }
  const drift = new Map<string, { test: string; values: number[] }>();
  const columns: [string, PreparedReference, ArrayLike<number> | (string | null)[] | undefined][] = [
    ...[...profile.features].map(
      ([name, f]): [string, PreparedReference, ArrayLike<number> | (string | null)[]] => {
        const col = data.features[name];
        return [name, f.prepared, col.kind === 'numeric' ? col.values : dictionaryValues(col)];
      },
    ),
    ['score', profile.score as PreparedReference, data.score],
  ];
  for (const [name, prepared, values] of columns) {
    if (!prepared || !values) continue;
    const type = prepared.type;
    const test = chooseDefaultTests(type, days[0]?.length ?? 0).effect;
    const out: number[] = [];
    // Leave one day out: a new day is not part of the reference, so each reference day is
    // compared with the reference without it (its weekday may then be missing, as for a new day).
    const dayOf = new Int32Array(data.n).fill(-1);
    days.forEach((rows, d) => {
      for (const i of rows) dayOf[i] = d;
    });
    days.forEach((rows, d) => {
      let rest: PreparedReference;
      let current: Float64Array | (string | null)[];
      if (prepared.type === 'numeric') {
        const v = values as ArrayLike<number>;
        const others = new Float64Array(data.n - rows.length);
        let k = 0;
        for (let i = 0; i < data.n; i++) if (dayOf[i] !== d) others[k++] = v[i];
        rest = prepareNumericReference(others);
        current = Float64Array.from(rows, (i) => v[i]);
      } else {
        const v = values as (string | null)[];
        current = rows.map((i) => v[i]);
        const counts = new Map(prepared.counts);
        let missing = prepared.missing;
        for (const x of current) {
          if (x === null) missing--;
          else counts.set(x, (counts.get(x) ?? 0) - 1);
        }
        for (const [k, c] of counts) if (c <= 0) counts.delete(k);
        const binCounts = Float64Array.from(counts.values());
        const n = binCounts.reduce((a, b) => a + b, 0);
        rest = { type: 'categorical', counts, binCounts, n, missing };
      }
      out.push(driftTests[test].compute(rest, prepareCurrent(rest, current)).value);
    });
    drift.set(name, { test, values: out });
  }
  // Per segment column and metric, the pooled variance of its segments (day-baseline.ts).
  const families = new Map<string, number[][]>();
  for (const [segment, m] of metrics) {
    const eq = segment.indexOf('=');
    if (eq < 0) continue;
    for (const [metric, values] of Object.entries(m)) {
      const key = `${segment.slice(0, eq)}\u0000${metric}`;
      families.set(key, [...(families.get(key) ?? []), values]);
    }
  }
  const priors = new Map<string, PriorVariance>();
  for (const [key, series] of families) {
    const prior = pooledVariance(series);
    if (prior) priors.set(key, prior);
  }
  return { days: days.length, metrics, drift, priors };
}

/**
 * Reference rows (as a snapshot returns them: column name → value) as typed columns: features by
 * name, the score from `schema.scoreField` (or `score`), the label from `schema.label.name`, the
 * prediction from `prediction` when present.
 */
export function referenceFromRows(
  model: Model,
  id: string,
  rows: readonly Record<string, unknown>[],
): ReferenceData {
  const n = rows.length;
  const features: ReferenceData['features'] = {};
  for (const spec of model.schema.features) {
    if (n > 0 && !(spec.name in rows[0])) continue;
    if (spec.type === 'numeric') {
      features[spec.name] = {
        kind: 'numeric',
        values: Float64Array.from(rows, (r) => {
          const v = r[spec.name];
          return v === null || v === undefined || v === '' ? Number.NaN : Number(v);
        }),
      };
    } else {
      const dictionary: string[] = [];
      const index = new Map<string, number>();
      const codes = Int32Array.from(rows, (r) => {
        const v = r[spec.name];
        if (v === null || v === undefined) return -1;
        const s = String(v);
        let c = index.get(s);
        if (c === undefined) {
          c = dictionary.length;
          index.set(s, c);
          dictionary.push(s);
        }
        return c;
      });
      features[spec.name] = { kind: 'dictionary', codes, dictionary };
    }
  }
  const data: ReferenceData = { id, n, features };
  const scoreField = [model.schema.scoreField, 'score'].find((f) => n > 0 && f in rows[0]);
  if (scoreField) data.score = Float64Array.from(rows, (r) => Number(r[scoreField]));
  const labelName = model.schema.label.name;
  if (n > 0 && labelName in rows[0]) {
    data.label = Int8Array.from(rows, (r) => {
      const v = r[labelName];
      if (v === null || v === undefined) return -1;
      return String(v) === model.schema.positiveClass || v === true ? 1 : 0;
    });
  }
  if (n > 0 && 'prediction' in rows[0]) {
    data.predicted = Int8Array.from(rows, (r) =>
      String(r.prediction) === model.schema.positiveClass ? 1 : 0,
    );
  }
  return data;
}
