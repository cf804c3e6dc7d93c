/**
 * Prediction and label events in DuckDB. Each model has a typed table `pred_<model>` (a column
 * `f_<name>` per feature) appended in arrival order, which follows event time closely so that
 * DuckDB's per-row-group min/max indexes on `ts` prune time-range scans. Values never enter SQL
 * text: predictions go through DuckDB's Appender (column-wise data chunks), everything else is bound
 * as parameters. A prediction group is deduplicated against `EventIdIndex` (no index in DuckDB:
 * an ART primary key over millions of ids was the costliest part of a write). Callers hold the
 * connection lock (`commitPredictionGroup` takes it itself).
 */
import {
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  type DuckDBType,
  TIMESTAMP,
  timestampValue,
  VARCHAR,
} from '@duckdb/node-api';
import { errors } from '../../errors.js';
import type {
  HourlyAggregate,
  LabelConflict,
  LabeledPrediction,
  LabelInsertResult,
  LabelRecord,
  Model,
  PredictionInsertResult,
  PredictionRecord,
  RowSelector,
  StoredLabel,
  StoredPrediction,
  TimeRange,
} from '../store.js';
import type { LockedConnection } from './connection.js';
import { IdHashSet } from './id-set.js';
import { labeledFromRow, labelFromRow, predictionColumns, predictionFromRow } from './rows.js';
import { featureColumn, featureSqlType, Params, predictionTable } from './sql.js';

const HOUR_MS = 3_600_000;
/** Rows per data chunk (DuckDB's vector size). */
const chunkRows = 2048;
const kindOf = { numeric: 'number', categorical: 'string', boolean: 'boolean' } as const;

/** DDL of a model's prediction table. */
export function predictionTableDdl(model: Model): string {
  const features = model.schema.features.map((f) => `, ${featureColumn(f.name)} ${featureSqlType(f.type)}`);
  return `CREATE TABLE IF NOT EXISTS ${predictionTable(model.id)} (
    event_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL, version VARCHAR NOT NULL, prediction VARCHAR NOT NULL,
    score DOUBLE NOT NULL, scores VARCHAR, latency_ms DOUBLE NOT NULL, stages VARCHAR, tags VARCHAR NOT NULL,
    weight DOUBLE NOT NULL${features.join('')})`;
}

const allRows: RowSelector = (fresh) => fresh.map((_, index) => ({ index, weight: 1 }));

/** One batch of a group commit. */
export interface PredictionBatch {
  events: PredictionRecord[];
  select?: RowSelector;
}

/**
 * Accepted event ids per model, for dedupe without a primary-key index: a compact hash set per
 * model, built from `event_ids` on the model's first write (the table is the truth). Writes are
 * serialised by the connection lock, and an id enters the set only after its transaction
 * commits; a failed transaction drops the model's set so that the next write rebuilds it.
 */
export class EventIdIndex {
  private readonly sets = new Map<string, IdHashSet>();

  /** The model's set, built from the table if not loaded yet (caller holds the lock). */
  async load(conn: LockedConnection, model: string): Promise<IdHashSet> {
    const cached = this.sets.get(model);
    if (cached) return cached;
    const p = new Params().str(model);
    const [{ n }] = await conn.all('SELECT count(*)::DOUBLE AS n FROM event_ids WHERE model = $1', p);
    const set = new IdHashSet(Number(n));
    try {
      const result = await conn.raw.stream(
        'SELECT event_id FROM event_ids WHERE model = $1',
        p.values,
        p.types,
      );
      for (
        let chunk = await result.fetchChunk();
        chunk && chunk.rowCount > 0;
        chunk = await result.fetchChunk()
      ) {
        for (const id of chunk.getColumnValues(0)) set.add(id as string);
      }
    } catch (err) {
      throw errors.store(`loading the event ids of ${model} failed: ${(err as Error).message}`, [], {
        cause: err,
      });
    }
    this.sets.set(model, set);
    return set;
  }

  /** Forgets a model's set (after a failed write, or when the table changed behind the store). */
  forget(model: string): void {
    this.sets.delete(model);
  }
}

/**
 * Files made when `event_ids` had a PRIMARY KEY (an ART index over every id, the costliest part
 * of a write) are rewritten without it; dedupe goes through `EventIdIndex`.
 */
export async function migrateEventIds(conn: LockedConnection): Promise<void> {
  const pk = await conn.all(
    "SELECT 1 FROM duckdb_constraints() WHERE table_name = 'event_ids' AND constraint_type = 'PRIMARY KEY'",
  );
  if (pk.length === 0) return;
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run('CREATE TABLE event_ids_plain AS SELECT model, event_id FROM event_ids');
    await conn.run('DROP TABLE event_ids');
    await conn.run('ALTER TABLE event_ids_plain RENAME TO event_ids');
    await conn.run('COMMIT');
  } catch (err) {
    await conn.raw.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/**
 * Writes a group of prediction batches in one transaction (one WAL sync for the group) and adds
 * their accepted ids to `index` once COMMIT has returned. Takes the connection lock and calls
 * `onStart` when it has it (the group is closed then; later batches form the next group).
 */
export function commitPredictionGroup(
  conn: LockedConnection,
  model: Model,
  batches: PredictionBatch[],
  index: EventIdIndex,
  onStart: () => void = () => undefined,
): Promise<PredictionInsertResult[]> {
  return conn.exclusive(async () => {
    onStart();
    const ids = await index.load(conn, model.id);
    await conn.run('BEGIN TRANSACTION');
    try {
      const { results, fresh } = await insertPredictionGroup(conn, model, batches, ids);
      await conn.run('COMMIT');
      for (const id of fresh) ids.add(id);
      return results;
    } catch (err) {
      await conn.raw.run('ROLLBACK').catch(() => undefined);
      index.forget(model.id);
      throw err;
    }
  });
}

/**
 * Inserts a group of prediction batches, in order, with one append per table: dedupe by event
 * id (within a batch, across the group, and against `seen`: ids the set may hold are confirmed
 * against `event_ids`), detailed rows for the selected events, hourly counters for every accepted
 * event. Returns each batch's result and the accepted ids (for the caller to add to `seen` after
 * COMMIT). The caller holds the lock and an open transaction.
 */
export async function insertPredictionGroup(
  conn: LockedConnection,
  model: Model,
  batches: PredictionBatch[],
  seen: IdHashSet,
): Promise<{ results: PredictionInsertResult[]; fresh: string[] }> {
  const claimed = new Set<string>();
  const suspects: string[] = [];
  const firsts = batches.map((b) =>
    b.events.filter((e) => {
      if (claimed.has(e.eventId)) return false;
      claimed.add(e.eventId);
      if (seen.mayHave(e.eventId)) suspects.push(e.eventId);
      return true;
    }),
  );
  const old = new Set<string>();
  if (suspects.length > 0) {
    const rows = await conn.all(
      'SELECT event_id FROM event_ids WHERE model = $1 AND event_id IN (SELECT unnest($2))',
      new Params().str(model.id).strList(suspects),
    );
    for (const r of rows) old.add(String(r.event_id));
  }
  // Column-friendly lists, no per-row objects: accepted events, whether each is stored, and the
  // stored events with their weights.
  const fresh: string[] = [];
  const counted: PredictionRecord[] = [];
  const isStored: boolean[] = [];
  const stored: PredictionRecord[] = [];
  const weights: number[] = [];
  const results = batches.map((b, i) => {
    const accepted = old.size > 0 ? firsts[i].filter((e) => !old.has(e.eventId)) : firsts[i];
    const chosen = accepted.length > 0 ? (b.select ?? allRows)(accepted) : [];
    const keep = new Uint8Array(accepted.length);
    for (const c of chosen) {
      keep[c.index] = 1;
      stored.push(accepted[c.index]);
      weights.push(c.weight);
    }
    for (let j = 0; j < accepted.length; j++) {
      fresh.push(accepted[j].eventId);
      counted.push(accepted[j]);
      isStored.push(keep[j] === 1);
    }
    return {
      accepted: accepted.length,
      duplicates: b.events.length - accepted.length,
      stored: chosen.length,
    };
  });
  if (fresh.length > 0) await appendIds(conn, model, fresh);
  if (stored.length > 0) await appendRows(conn, model, stored, weights);
  if (counted.length > 0) await appendHourly(conn, model, counted, isStored);
  return { results, fresh };
}

async function appendIds(conn: LockedConnection, model: Model, ids: string[]): Promise<void> {
  const appender = await conn.raw.createAppender('event_ids');
  try {
    for (const id of ids) {
      appender.appendVarchar(model.id);
      appender.appendVarchar(id);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Column types of a model's prediction table, in table order. */
function predictionTypes(model: Model): DuckDBType[] {
  const fixed = [VARCHAR, TIMESTAMP, VARCHAR, VARCHAR, DOUBLE, VARCHAR, DOUBLE, VARCHAR, VARCHAR, DOUBLE];
  return [
    ...fixed,
    ...model.schema.features.map((f) =>
      f.type === 'numeric' ? DOUBLE : f.type === 'categorical' ? VARCHAR : BOOLEAN,
    ),
  ];
}

async function appendRows(
  conn: LockedConnection,
  model: Model,
  rows: PredictionRecord[],
  weights: number[],
): Promise<void> {
  // Column-wise through data chunks: numbers, times and booleans reach DuckDB in one copy per
  // column (the row Appender crosses into native code once per value), strings once per value.
  const appender = await conn.raw.createAppender(`pred_${model.id}`);
  const features = model.schema.features;
  const types = predictionTypes(model);
  try {
    for (let from = 0; from < rows.length; from += chunkRows) {
      const n = Math.min(chunkRows, rows.length - from);
      const chunk = DuckDBDataChunk.create(types, n);
      const cols = types.map((_, c) => chunk.getColumnVector(c));
      const [id, ts, version, prediction, score, scores, latency, stages, tags, weight] = cols;
      for (let i = 0; i < n; i++) {
        const r = rows[from + i];
        id.setItem(i, r.eventId);
        ts.setItem(i, timestampValue(BigInt(Math.round(r.timeMs * 1000))));
        version.setItem(i, r.version);
        prediction.setItem(i, r.prediction);
        score.setItem(i, r.score);
        scores.setItem(i, r.scores ? JSON.stringify(r.scores) : null);
        latency.setItem(i, r.latencyMs);
        stages.setItem(i, r.stages ? JSON.stringify(r.stages) : null);
        tags.setItem(i, JSON.stringify(r.tags));
        weight.setItem(i, weights[from + i]);
        for (let j = 0; j < features.length; j++) {
          const f = features[j];
          const v = r.features[f.name];
          cols[10 + j].setItem(i, v === null || v === undefined ? null : asType(v, kindOf[f.type], f.name));
        }
      }
      for (const c of cols) c.flush();
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } catch (err) {
    throw errors.store(`appending to pred_${model.id} failed: ${(err as Error).message}`, [], { cause: err });
  } finally {
    try {
      appender.closeSync();
    } catch {
      // Closing after a failed row can throw again; the transaction is rolled back anyway.
    }
  }
}

function asType<T extends 'number' | 'string' | 'boolean'>(
  v: unknown,
  type: T,
  feature: string,
): T extends 'number' ? number : T extends 'string' ? string : boolean {
  if (typeof v !== type)
    throw new TypeError(`feature ${feature}: expected a ${type}, got ${JSON.stringify(v)}`);
  return v as never;
}

/**
 * Appends this write's partial hourly counters; `queryHourly` sums the partials. Appending keeps
 * the write path free of upserts (a partial row per (version, hour) per write) and the counters
 * mergeable, as every aggregate in Plumbline must be.
 */
async function appendHourly(
  conn: LockedConnection,
  model: Model,
  events: PredictionRecord[],
  isStored: boolean[],
): Promise<void> {
  const groups = new Map<string, Omit<HourlyAggregate, 'model'>>();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const hourMs = Math.floor(e.timeMs / HOUR_MS) * HOUR_MS;
    const key = `${e.version}\u0000${hourMs}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        version: e.version,
        hourMs,
        count: 0,
        positivePredictions: 0,
        scoreSum: 0,
        latencySum: 0,
        latencyMax: 0,
        storedRows: 0,
      };
      groups.set(key, g);
    }
    g.count++;
    if (e.prediction === model.schema.positiveClass) g.positivePredictions++;
    g.scoreSum += e.score;
    g.latencySum += e.latencyMs;
    g.latencyMax = Math.max(g.latencyMax, e.latencyMs);
    if (isStored[i]) g.storedRows++;
  }
  const appender = await conn.raw.createAppender('hourly');
  try {
    for (const g of groups.values()) {
      appender.appendVarchar(model.id);
      appender.appendVarchar(g.version);
      appender.appendTimestamp(timestampValue(BigInt(g.hourMs) * 1000n));
      appender.appendBigInt(BigInt(g.count));
      appender.appendBigInt(BigInt(g.positivePredictions));
      appender.appendDouble(g.scoreSum);
      appender.appendDouble(g.latencySum);
      appender.appendDouble(g.latencyMax);
      appender.appendBigInt(BigInt(g.storedRows));
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

function rangeClause(range: TimeRange | undefined, p: Params, column: string, first: number): string {
  if (!range) return '';
  p.int(range.fromMs).int(range.toMs);
  return ` WHERE ${column} >= epoch_ms($${first}) AND ${column} < epoch_ms($${first + 1})`;
}

function selectFeatures(model: Model, alias = ''): string {
  return model.schema.features.map((f) => `, ${alias}${featureColumn(f.name)}`).join('');
}

/** Stored prediction rows of a model, by event time then event id. */
export async function queryPredictions(
  conn: LockedConnection,
  model: Model,
  range?: TimeRange,
): Promise<StoredPrediction[]> {
  const p = new Params();
  const where = rangeClause(range, p, 'ts', 1);
  const rows = await conn.all(
    `SELECT ${predictionColumns()}${selectFeatures(model)} FROM ${predictionTable(model.id)}${where} ORDER BY ts, event_id`,
    p,
  );
  const names = model.schema.features.map((f) => f.name);
  return rows.map((r) => predictionFromRow(r, names));
}

/** Stored predictions with their labels (null when not yet arrived). */
export async function queryLabeledPredictions(
  conn: LockedConnection,
  model: Model,
  range?: TimeRange,
): Promise<LabeledPrediction[]> {
  const p = new Params().str(model.id);
  const where = rangeClause(range, p, 'p.ts', 2);
  const rows = await conn.all(
    `SELECT ${predictionColumns('p.')}${selectFeatures(model, 'p.')}, l.label, epoch_ms(l.label_time)::DOUBLE AS label_time_ms
     FROM ${predictionTable(model.id)} p LEFT JOIN labels l ON l.model = $1 AND l.event_id = p.event_id${where}
     ORDER BY p.ts, p.event_id`,
    p,
  );
  const names = model.schema.features.map((f) => f.name);
  return rows.map((r) => labeledFromRow(r, names));
}

/** How far back from a label's time its prediction is looked up to record the label delay. */
const delayLookbackMs = 90 * 24 * HOUR_MS;

/**
 * Inserts labels: the first label of an event wins; a different later one is a conflict. Written
 * with INSERT OR IGNORE … RETURNING so that the common case (new labels) reads no existing label;
 * the label delay is looked up among predictions of the 90 days before the label (min/max pruning
 * on `ts` keeps that cheap) and left null when the prediction is older, absent or sampled out.
 */
export async function insertLabels(
  conn: LockedConnection,
  model: Model,
  labels: LabelRecord[],
  nowMs: number,
): Promise<LabelInsertResult> {
  const conflicts: LabelConflict[] = [];
  const candidates = new Map<string, LabelRecord>();
  const later: { index: number; label: LabelRecord }[] = [];
  labels.forEach((l, index) => {
    if (candidates.has(l.eventId)) later.push({ index, label: l });
    else candidates.set(l.eventId, l);
  });
  if (candidates.size === 0) return { accepted: 0, duplicates: 0, conflicts };
  const fresh = [...candidates.values()];
  let minT = Number.POSITIVE_INFINITY;
  let maxT = Number.NEGATIVE_INFINITY;
  for (const l of fresh) {
    minT = Math.min(minT, l.timeMs);
    maxT = Math.max(maxT, l.timeMs);
  }
  const inserted = await conn.all(
    `INSERT OR IGNORE INTO labels
     SELECT $1, l.event_id, l.label, epoch_ms(l.t), epoch_ms($5), l.t - epoch_ms(p.ts)
     FROM (SELECT unnest($2) AS event_id, unnest($3) AS label, unnest($4) AS t) l
     LEFT JOIN (SELECT event_id, min(ts) AS ts FROM ${predictionTable(model.id)}
                WHERE ts >= epoch_ms($6) AND ts <= epoch_ms($7) AND event_id IN (SELECT unnest($2))
                GROUP BY event_id) p ON p.event_id = l.event_id
     RETURNING event_id`,
    new Params()
      .str(model.id)
      .strList(fresh.map((l) => l.eventId))
      .strList(fresh.map((l) => l.label))
      .intList(fresh.map((l) => l.timeMs))
      .int(nowMs)
      .int(minT - delayLookbackMs)
      .int(maxT + 24 * HOUR_MS),
  );
  const insertedIds = new Set(inserted.map((r) => String(r.event_id)));
  const stored = new Map<string, string>();
  for (const l of fresh) if (insertedIds.has(l.eventId)) stored.set(l.eventId, l.label);
  const old = fresh.filter((l) => !insertedIds.has(l.eventId)).map((l) => l.eventId);
  if (old.length > 0) {
    const rows = await conn.all(
      'SELECT event_id, label FROM labels WHERE model = $1 AND event_id IN (SELECT unnest($2))',
      new Params().str(model.id).strList(old),
    );
    for (const r of rows) stored.set(String(r.event_id), String(r.label));
  }
  let duplicates = 0;
  const check = (index: number, l: LabelRecord) => {
    const first = stored.get(l.eventId) as string;
    if (first === l.label) duplicates++;
    else conflicts.push({ index, eventId: l.eventId, stored: first, received: l.label });
  };
  labels.forEach((l, index) => {
    if (candidates.get(l.eventId) === l && !insertedIds.has(l.eventId)) check(index, l);
  });
  for (const { index, label } of later) check(index, label);
  conflicts.sort((a, b) => a.index - b.index);
  return { accepted: insertedIds.size, duplicates, conflicts };
}

/** Labels of a model, by event id. */
export async function queryLabels(conn: LockedConnection, model: Model): Promise<StoredLabel[]> {
  const rows = await conn.all(
    `SELECT event_id, label, epoch_ms(label_time)::DOUBLE AS time_ms, epoch_ms(received_at)::DOUBLE AS received_at_ms,
       delay_ms FROM labels WHERE model = $1 ORDER BY event_id`,
    new Params().str(model.id),
  );
  return rows.map(labelFromRow);
}

/** Hourly counters of a model, by hour then version. */
export async function queryHourly(
  conn: LockedConnection,
  model: Model,
  range?: TimeRange,
): Promise<HourlyAggregate[]> {
  const p = new Params().str(model.id);
  const where = range ? ' AND hour >= epoch_ms($2) AND hour < epoch_ms($3)' : '';
  if (range) p.int(range.fromMs).int(range.toMs);
  const rows = await conn.all(
    `SELECT version, epoch_ms(hour)::DOUBLE AS hour_ms, sum(n)::DOUBLE AS n, sum(positive)::DOUBLE AS positive,
       sum(score_sum) AS score_sum, sum(latency_sum) AS latency_sum, max(latency_max) AS latency_max,
       sum(stored)::DOUBLE AS stored
     FROM hourly WHERE model = $1${where} GROUP BY version, hour ORDER BY hour, version`,
    p,
  );
  return rows.map((r) => ({
    model: model.id,
    version: String(r.version),
    hourMs: Number(r.hour_ms),
    count: Number(r.n),
    positivePredictions: Number(r.positive),
    scoreSum: Number(r.score_sum),
    latencySum: Number(r.latency_sum),
    latencyMax: Number(r.latency_max),
    storedRows: Number(r.stored),
  }));
}
