/**
 * `toRow` / `fromRow` converters between the store's entities and DuckDB rows
 * (JSON text for nested fields, epoch milliseconds for times).
 */
import type { DuckDBBlobValue, DuckDBValue } from '@duckdb/node-api';
import type {
  ApiKey,
  KeyScope,
  LabeledPrediction,
  Model,
  ModelVersion,
  Snapshot,
  StoredLabel,
  StoredPrediction,
} from '../store.js';
import { Params } from './sql.js';

/** A row as the driver returns it. */
export type Row = Record<string, DuckDBValue>;

const str = (v: DuckDBValue): string => String(v);
const num = (v: DuckDBValue): number => Number(v);
const json = <T>(v: DuckDBValue): T => JSON.parse(String(v)) as T;
const jsonOrNull = <T>(v: DuckDBValue): T | null => (v === null ? null : json<T>(v));

//// Models ////

/** Model → parameters of `INSERT INTO models (id, task, schema_json, created_at)`. */
export function modelToRow(m: Model): Params {
  return new Params().str(m.id).str(m.task).str(JSON.stringify(m.schema)).int(m.createdAtMs);
}

/** `models` row → Model. */
export function modelFromRow(r: Row): Model {
  return { id: str(r.id), task: 'binary', schema: json(r.schema_json), createdAtMs: num(r.created_at) };
}

//// Versions ////

/** Version → parameters of `INSERT INTO model_versions (...)` in column order. */
export function versionToRow(v: ModelVersion): Params {
  return new Params()
    .str(v.model)
    .str(v.id)
    .str(v.format)
    .blob('bytes' in v.artifact ? v.artifact.bytes : null)
    .str('path' in v.artifact ? v.artifact.path : null)
    .str(v.contentHash)
    .str(JSON.stringify(v.lineage))
    .str(v.stage)
    .int(v.createdAtMs);
}

/** `model_versions` row → ModelVersion. */
export function versionFromRow(r: Row): ModelVersion {
  const blob = r.artifact as DuckDBBlobValue | null;
  return {
    id: str(r.id),
    model: str(r.model),
    format: str(r.format) as ModelVersion['format'],
    artifact: blob !== null ? { bytes: new Uint8Array(blob.bytes) } : { path: str(r.artifact_path) },
    contentHash: str(r.content_hash),
    lineage: json(r.lineage_json),
    stage: str(r.stage) as ModelVersion['stage'],
    createdAtMs: num(r.created_at),
  };
}

//// Snapshots ////

/** Snapshot → parameters of `INSERT INTO snapshots (...)` in column order. */
export function snapshotToRow(s: Snapshot): Params {
  return new Params()
    .str(s.id)
    .str(s.model)
    .str(JSON.stringify(s.source))
    .str(JSON.stringify(s.columns))
    .int(s.rowCount)
    .int(s.createdAtMs);
}

/** `snapshots` row → Snapshot. */
export function snapshotFromRow(r: Row): Snapshot {
  return {
    id: str(r.id),
    model: str(r.model),
    source: json(r.source_json),
    columns: json(r.columns_json),
    rowCount: num(r.row_count),
    createdAtMs: num(r.created_at),
  };
}

//// API keys ////

/** ApiKey → parameters of `INSERT INTO api_keys (...)` in column order. */
export function apiKeyToRow(k: ApiKey): Params {
  return new Params().str(k.id).str(k.hash).str(k.scopes.join(',')).int(k.createdAtMs).bool(k.revoked);
}

/** `api_keys` row → ApiKey. */
export function apiKeyFromRow(r: Row): ApiKey {
  return {
    id: str(r.id),
    hash: str(r.hash),
    scopes: str(r.scopes).split(',').filter(Boolean) as KeyScope[],
    createdAtMs: num(r.created_at),
    revoked: r.revoked === true,
  };
}

//// Events ////

/** The SELECT list that `predictionFromRow` reads (feature columns come after, as `f_<name>`). */
export function predictionColumns(alias = ''): string {
  const a = alias;
  return `${a}event_id, epoch_ms(${a}ts)::DOUBLE AS time_ms, ${a}version, ${a}prediction, ${a}score, ${a}scores, ${a}latency_ms, ${a}stages, ${a}tags, ${a}weight`;
}

/** Prediction-table row → StoredPrediction; `features` lists the model's feature names. */
export function predictionFromRow(r: Row, features: string[]): StoredPrediction {
  const values: StoredPrediction['features'] = {};
  for (const name of features) values[name] = r[`f_${name}`] as StoredPrediction['features'][string];
  return {
    eventId: str(r.event_id),
    timeMs: num(r.time_ms),
    version: str(r.version),
    features: values,
    prediction: str(r.prediction),
    score: num(r.score),
    scores: jsonOrNull(r.scores),
    latencyMs: num(r.latency_ms),
    stages: jsonOrNull(r.stages),
    tags: json(r.tags),
    weight: num(r.weight),
  };
}

/** Joined prediction/label row → LabeledPrediction. */
export function labeledFromRow(r: Row, features: string[]): LabeledPrediction {
  return {
    ...predictionFromRow(r, features),
    label: r.label === null ? null : str(r.label),
    labelTimeMs: r.label_time_ms === null ? null : num(r.label_time_ms),
  };
}

/** `labels` row → StoredLabel. */
export function labelFromRow(r: Row): StoredLabel {
  return {
    eventId: str(r.event_id),
    label: str(r.label),
    timeMs: num(r.time_ms),
    receivedAtMs: num(r.received_at_ms),
    delayMs: r.delay_ms === null ? null : num(r.delay_ms),
  };
}
