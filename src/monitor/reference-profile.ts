/**
 * The reference profile of a model: everything the monitor compares windows with, computed once
 * per reference snapshot (prepared drift references per feature and for the score, a quality
 * profile, the CBPE calibrator, and the reference's own metric values as baselines). Pure.
 */
import {
  type PreparedReference,
  prepareCategoricalReference,
  prepareNumericReference,
} from '../drift/prepare.js';
import { type Calibrator, fitCalibrator } from '../metrics/cbpe.js';
import type { DictionaryColumn, Model, NumericColumn } from '../store/store.js';
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
  return profile;
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
