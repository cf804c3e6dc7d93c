/**
 * The event store: one interface, several adapters (`./duckdb/` embedded, ClickHouse later).
 * Every adapter runs the same contract suite (`./store.contract.ts`).
 *
 * Naming: `getX` reads one entity (or `undefined`), `insertX` writes, `queryX` reads many.
 * Times are epoch milliseconds (UTC) throughout.
 */

//// Models ////

/** Type of one model input as the store keeps it (a typed column per feature). */
export type FeatureKind = 'numeric' | 'categorical' | 'boolean';

/** One model input. */
export interface FeatureSpec {
  name: string;
  type: FeatureKind;
}

/** What a model takes in and puts out; fixed once the model is created. */
export interface ModelSchema {
  features: FeatureSpec[];
  /** The ground-truth column: its name and its two classes (as strings). */
  label: { name: string; classes: [string, string] };
  /** The class whose probability `score` is. */
  positiveClass: string;
  /** Name of the score field in prediction events (default `score`). */
  scoreField: string;
  /** Decision threshold on the positive-class score. */
  threshold: number;
  /** Features or tags (`tags.<name>`) to slice by. */
  segments: string[];
}

/** A monitored model. */
export interface Model {
  id: string;
  task: 'binary';
  schema: ModelSchema;
  createdAtMs: number;
}

//// Versions ////

/** Artifact formats a model version may carry. */
export type ArtifactFormat = 'plumbline-gbdt' | 'xgboost-json' | 'lightgbm-text' | 'onnx';

/** Life-cycle stage of a model version. */
export type VersionStage = 'registered' | 'shadow' | 'canary' | 'champion' | 'retired';

/** Where a version came from, for reproducibility. */
export interface Lineage {
  snapshotId?: string;
  params?: Record<string, unknown>;
  codeVersion?: string;
  seed?: number;
}

/** One version of a model; `contentHash` is the SHA-256 (hex) of the artifact bytes. */
export interface ModelVersion {
  id: string;
  model: string;
  format: ArtifactFormat;
  /** The artifact itself (kept in the store) or a path to it (kept outside). */
  artifact: { bytes: Uint8Array } | { path: string };
  contentHash: string;
  lineage: Lineage;
  stage: VersionStage;
  createdAtMs: number;
}

/** A version as listed: its artifact by path, or by size in bytes. */
export type VersionSummary = Omit<ModelVersion, 'artifact'> & {
  artifact: { path: string } | { bytes: number };
};

//// Reference snapshots ////

/** A column of a snapshot as read from its source. */
export interface SnapshotColumn {
  name: string;
  type: string;
}

/** An immutable dataset, content-addressed: `id` is the SHA-256 (hex) of its canonical bytes. */
export interface Snapshot {
  id: string;
  model: string;
  source:
    | { kind: 'file'; path: string; format: 'parquet' | 'csv' }
    | { kind: 'events'; fromMs: number; toMs: number };
  columns: SnapshotColumn[];
  rowCount: number;
  createdAtMs: number;
}

//// Events ////

/** A feature value; `null` is a missing value. */
export type FeatureValue = number | string | boolean | null;

/** A validated prediction event, ready to store. */
export interface PredictionRecord {
  eventId: string;
  timeMs: number;
  version: string;
  features: Record<string, FeatureValue>;
  prediction: string;
  /** Probability of the positive class. */
  score: number;
  /** The class → probability map when the event sent one. */
  scores: Record<string, number> | null;
  latencyMs: number;
  stages: Record<string, number> | null;
  tags: Record<string, string>;
}

/** A stored prediction row: the record plus its inverse-probability sampling weight. */
export interface StoredPrediction extends PredictionRecord {
  weight: number;
}

/** A validated label event. */
export interface LabelRecord {
  eventId: string;
  label: string;
  timeMs: number;
}

/** A stored label; `delayMs` is label time minus prediction time when the prediction was known. */
export interface StoredLabel extends LabelRecord {
  receivedAtMs: number;
  delayMs: number | null;
}

/** A stored prediction joined with its label, if any. */
export interface LabeledPrediction extends StoredPrediction {
  label: string | null;
  labelTimeMs: number | null;
}

/** Counters of one (model, version, hour) window, updated for 100 % of accepted events. */
export interface HourlyAggregate {
  model: string;
  version: string;
  hourMs: number;
  count: number;
  positivePredictions: number;
  scoreSum: number;
  latencySum: number;
  latencyMax: number;
  storedRows: number;
}

/** Chooses which fresh (non-duplicate) events get a detailed row, each with its weight. */
export type RowSelector = (fresh: PredictionRecord[]) => { index: number; weight: number }[];

/** Outcome of a prediction batch. */
export interface PredictionInsertResult {
  accepted: number;
  duplicates: number;
  stored: number;
}

/** A label that disagrees with the one already stored (the first is kept). */
export interface LabelConflict {
  index: number;
  eventId: string;
  stored: string;
  received: string;
}

/** Outcome of a label batch. */
export interface LabelInsertResult {
  accepted: number;
  duplicates: number;
  conflicts: LabelConflict[];
}

//// API keys ////

/** What a key may do. */
export type KeyScope = 'ingest' | 'read' | 'admin';

/** An API key as stored: only the hash of the secret. */
export interface ApiKey {
  id: string;
  /** SHA-256 (hex) of the secret part of the key. */
  hash: string;
  scopes: KeyScope[];
  createdAtMs: number;
  revoked: boolean;
}

//// Metric points and monitor reads ////

/** Size of a tumbling monitor window. */
export type WindowSize = 'hour' | 'day';

/** One computed signal of one window, version and segment; the key is (model, version, window, segment, metric). */
export interface MetricPoint {
  model: string;
  /** A version id, or '*' for all versions. */
  version: string;
  window: { size: WindowSize; startMs: number };
  /** 'all' or '<column>=<value>' (column a feature or `tags.<name>`). */
  segment: string;
  metric: string;
  /** The point value; null when undefined (e.g. precision with no predicted positives). */
  value: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Rows behind the value. */
  n: number;
  status: 'ok' | 'insufficient_data';
  /** True for label-free estimates (CBPE). */
  estimated: boolean;
  /** The reference value compared with, if any. */
  baseline?: number;
  /** Whether the change from the baseline is significant (drift: significant AND material). */
  significant?: boolean;
  detail?: Record<string, unknown>;
}

/** Filter of `queryMetricPoints`; times bound the window start, [fromMs, toMs). */
export interface MetricPointQuery {
  model: string;
  metric?: string;
  segment?: string;
  window?: WindowSize;
  fromMs?: number;
  toMs?: number;
  version?: string;
  /** Metric names, any of (a point matches `metrics` or `metricPrefixes`; `metric`, if given, also applies). */
  metrics?: string[];
  /** Metric name prefixes, any of (e.g. `drift.`). */
  metricPrefixes?: string[];
  /**
   * Which points keep their `detail` (default true: all): false for none, or metric name prefixes;
   * details are most of the bytes and of the parsing time, so list pages leave them out.
   */
  detail?: boolean | string[];
  /** Only the last N windows of each series (metric, segment, version, window size); default all. */
  last?: number;
}

/** A dictionary-encoded string column: `codes[i]` indexes `dictionary`, −1 is missing. */
export interface DictionaryColumn {
  kind: 'dictionary';
  codes: Int32Array;
  dictionary: string[];
}

/** A numeric column; NaN is missing. */
export interface NumericColumn {
  kind: 'numeric';
  values: Float64Array;
}

/** Options of `queryEventColumns`. */
export interface EventColumnsOptions {
  /** Features to read (default: all of the schema); booleans come as the categories 'true'/'false'. */
  features?: string[];
  /** Tag names to read (dictionary-encoded). Default none. */
  tags?: string[];
  /** Join labels (label, delay, arrival). Default true. */
  withLabels?: boolean;
}

/** Stored prediction rows of a time range as typed columns, ordered by event time. */
export interface EventColumns {
  n: number;
  timeMs: Float64Array;
  score: Float64Array;
  latencyMs: Float64Array;
  weight: Float64Array;
  /** 1 when the predicted class is the positive class, else 0. */
  predicted: Int8Array;
  /** 1 positive, 0 negative, −1 no label yet. */
  label: Int8Array;
  /** Label time minus prediction time; NaN without a label. */
  labelDelayMs: Float64Array;
  /** When the store received the label; NaN without a label. */
  labelReceivedMs: Float64Array;
  version: DictionaryColumn;
  features: Record<string, NumericColumn | DictionaryColumn>;
  tags: Record<string, DictionaryColumn>;
}

/** What metric points a model has: metric names (with window sizes), segments, versions, time span. */
export interface MetricCatalog {
  metrics: { metric: string; windows: WindowSize[]; estimated: boolean; points: number }[];
  segments: string[];
  versions: string[];
  /** First and last window start, or null when there are no points. */
  fromMs: number | null;
  toMs: number | null;
}

/** Latency quantiles of one pipeline stage in one window (version '*' is all versions). */
export interface StageLatency {
  startMs: number;
  version: string;
  stage: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Per-window counts used to find the windows changed since the last monitor pass. */
export interface WindowFingerprint {
  startMs: number;
  /** Accepted events (hourly counters, 100 %). */
  events: number;
  /** Stored detailed rows. */
  rows: number;
  /** Labels joined to those rows. */
  labels: number;
}

//// Alerts ////

/** A stored silence (the alert engine's `Silence`): matchers are `{ name, op, value }`. */
export interface SilenceRow {
  id: string;
  matchers: { name: string; op: '=' | '!=' | '=~' | '!~'; value: string }[];
  startsAtMs: number;
  endsAtMs: number;
  createdBy: string;
  comment: string;
}

/** One delivery of one notification to one target (kept, failures included). */
export interface AlertDeliveryRow {
  notificationId: string;
  target: string;
  ok: boolean;
  /** Attempts made (1 + retries). */
  attempts: number;
  /** Last HTTP status, if any. */
  status: number | null;
  error: string | null;
  atMs: number;
}

/** Filter of `queryAlertDeliveries` (newest first; default limit 100). */
export interface AlertDeliveryQuery {
  notificationId?: string;
  failedOnly?: boolean;
  limit?: number;
}

//// RCA reports ////

/** A stored root-cause analysis report (the report itself is JSON: trigger, window, baseline, hypotheses, caveats). */
export interface RcaReportRow {
  id: string;
  model: string;
  createdAtMs: number;
  /** What asked for it: `{ metric, alertId?, segment?, … }`. */
  trigger: Record<string, unknown>;
  /** The analysed window and its baseline, [fromMs, toMs). */
  window: TimeRange;
  baseline: TimeRange;
  report: Record<string, unknown>;
}

//// The interface ////

/** A time range [fromMs, toMs) in epoch milliseconds. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** The one store interface every adapter implements. */
export interface Store {
  /** Creates tables if needed; idempotent. */
  init(): Promise<void>;
  /** Flushes and releases the store. */
  close(): Promise<void>;

  /** Adds a model; `exists` if identical, throws `PLB_ERR_CONFLICT` if different. */
  insertModel(model: Model): Promise<'created' | 'exists'>;
  getModel(id: string): Promise<Model | undefined>;
  queryModels(): Promise<Model[]>;

  /** Adds a version; `exists` if identical, throws `PLB_ERR_CONFLICT` if different. */
  insertModelVersion(version: ModelVersion): Promise<'created' | 'exists'>;
  getModelVersion(model: string, id: string): Promise<ModelVersion | undefined>;
  queryModelVersions(model: string): Promise<ModelVersion[]>;
  /** The versions without their artifact bytes (only their size): what a listing shows, without reading blobs. */
  queryVersionSummaries(model: string): Promise<VersionSummary[]>;

  /** Loads a Parquet/CSV file into an immutable snapshot, addressed by the SHA-256 of the file bytes. */
  insertSnapshotFromFile(model: string, path: string): Promise<Snapshot>;
  /** Freezes the stored predictions of a time range into a snapshot (hash of its canonical rows). */
  insertSnapshotFromEvents(model: string, range: TimeRange): Promise<Snapshot>;
  getSnapshot(id: string): Promise<Snapshot | undefined>;
  /** Rows of a snapshot as plain objects (column → value). */
  querySnapshotRows(id: string, options?: { limit?: number }): Promise<Record<string, unknown>[]>;
  /** Makes a snapshot the reference (baseline) of a model. */
  setReference(model: string, snapshotId: string): Promise<void>;
  getReference(model: string): Promise<Snapshot | undefined>;

  /**
   * Inserts a batch in one transaction, skipping event ids already seen (in the batch or before);
   * `select` picks which fresh events get a detailed row (default: all, weight 1). Hourly
   * aggregates count every fresh event.
   */
  insertPredictions(
    model: string,
    events: PredictionRecord[],
    select?: RowSelector,
  ): Promise<PredictionInsertResult>;
  queryPredictions(model: string, range?: TimeRange): Promise<StoredPrediction[]>;
  /** Inserts labels in one transaction; the first label of an event wins, later different ones are conflicts. */
  insertLabels(model: string, labels: LabelRecord[], nowMs: number): Promise<LabelInsertResult>;
  queryLabels(model: string): Promise<StoredLabel[]>;
  queryLabeledPredictions(model: string, range?: TimeRange): Promise<LabeledPrediction[]>;
  queryHourlyAggregates(model: string, range?: TimeRange): Promise<HourlyAggregate[]>;
  /** Row counts, for metrics and for tests that check a rejected request changed nothing. */
  getCounts(): Promise<{
    models: number;
    versions: number;
    events: number;
    predictions: number;
    labels: number;
  }>;
  /** Bytes used by the store, as the backend reports it. */
  getSizeBytes(): Promise<number>;

  /** Upserts metric points by (model, version, window size, window start, segment, metric); returns the count written. */
  insertMetricPoints(points: MetricPoint[]): Promise<number>;
  /** Replaces every point of `model` whose window starts in [fromMs, toMs) by `points` (one transaction). */
  replaceMetricPoints(model: string, range: TimeRange, points: MetricPoint[]): Promise<number>;
  /** Metric points matching the filter, by metric, segment, version, then window start. */
  queryMetricPoints(query: MetricPointQuery): Promise<MetricPoint[]>;
  /** The metrics, segments and versions stored for a model. */
  queryMetricCatalog(model: string): Promise<MetricCatalog>;
  /** Per-stage latency quantiles (linear interpolation) per window of `size`, for events that carry stages. */
  queryStageLatency(model: string, size: WindowSize, range: TimeRange): Promise<StageLatency[]>;
  /** Stored prediction rows of [fromMs, toMs) as typed columns (labels joined), by event time. */
  queryEventColumns(model: string, range: TimeRange, options?: EventColumnsOptions): Promise<EventColumns>;
  /** Event, row and label counts per tumbling window of `size` over the range. */
  queryWindowFingerprints(model: string, size: WindowSize, range?: TimeRange): Promise<WindowFingerprint[]>;
  /** A model's monitor state (JSON) under `key`, or undefined. */
  getMonitorState(model: string, key: string): Promise<unknown>;
  /** Saves a model's monitor state (JSON) under `key`. */
  setMonitorState(model: string, key: string, value: unknown): Promise<void>;

  /** The alert engine's state document (JSON) under `key`, or undefined. */
  getAlertState(key: string): Promise<unknown>;
  /** Saves the alert engine's state document under `key`. */
  setAlertState(key: string, value: unknown): Promise<void>;
  /** A model's alert configuration (rules, inhibit rules, policies; JSON), or undefined when never set. */
  getAlertConfig(model: string): Promise<unknown>;
  /** Saves a model's alert configuration. */
  setAlertConfig(model: string, config: unknown): Promise<void>;
  /** Adds or replaces a silence. */
  insertSilence(silence: SilenceRow): Promise<void>;
  /** Every silence (expired ones included), by start time. */
  querySilences(): Promise<SilenceRow[]>;
  /** Deletes a silence; false when there was none. */
  deleteSilence(id: string): Promise<boolean>;
  /** Appends notification delivery records. */
  insertAlertDeliveries(rows: AlertDeliveryRow[]): Promise<void>;
  /** Delivery records, newest first. */
  queryAlertDeliveries(query?: AlertDeliveryQuery): Promise<AlertDeliveryRow[]>;

  /** Stores an RCA report (replaces one with the same id). */
  insertRcaReport(row: RcaReportRow): Promise<void>;
  /** One RCA report of a model, or undefined. */
  getRcaReport(model: string, id: string): Promise<RcaReportRow | undefined>;
  /** A model's RCA reports, newest first (default limit 50). */
  queryRcaReports(model: string, options?: { limit?: number }): Promise<RcaReportRow[]>;

  insertApiKey(key: ApiKey): Promise<void>;
  getApiKey(id: string): Promise<ApiKey | undefined>;
  queryApiKeys(): Promise<ApiKey[]>;
}
