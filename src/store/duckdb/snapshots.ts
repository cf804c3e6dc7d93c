/**
 * Reference snapshots in DuckDB: immutable tables `snapshot_<sha256>`, content-addressed. A file
 * snapshot is addressed by the SHA-256 of the file bytes; an events snapshot by the SHA-256 of its
 * rows as canonical JSON lines ordered by event id (DuckDB's JSON conversion of each row, streamed),
 * read in the same transaction that freezes them.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { errors } from '../../errors.js';
import type { Model, Snapshot, TimeRange } from '../store.js';
import type { LockedConnection } from './connection.js';
import { snapshotFromRow, snapshotToRow } from './rows.js';
import { featureColumn, Params, predictionTable, quoteIdent, snapshotTable } from './sql.js';

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Creates the snapshot table and row unless the id exists (caller holds a transaction). */
async function createSnapshot(
  conn: LockedConnection,
  id: string,
  model: string,
  source: Snapshot['source'],
  select: string,
  params: Params,
  nowMs: number,
): Promise<Snapshot> {
  const old = await conn.all('SELECT * FROM snapshots WHERE id = $1', new Params().str(id));
  if (old.length > 0) return snapshotFromRow(old[0]);
  await conn.run(`CREATE TABLE ${snapshotTable(id)} AS ${select}`, params);
  const described = await conn.all(`DESCRIBE ${snapshotTable(id)}`);
  const count = await conn.all(`SELECT count(*)::DOUBLE AS n FROM ${snapshotTable(id)}`);
  const snapshot: Snapshot = {
    id,
    model,
    source,
    columns: described.map((r) => ({ name: String(r.column_name), type: String(r.column_type) })),
    rowCount: Number(count[0].n),
    createdAtMs: nowMs,
  };
  await conn.run('INSERT INTO snapshots VALUES ($1, $2, $3, $4, $5, $6)', snapshotToRow(snapshot));
  return snapshot;
}

/** Loads a Parquet or CSV file as a snapshot. */
export async function insertSnapshotFromFile(
  conn: LockedConnection,
  model: Model,
  path: string,
  nowMs: number,
): Promise<Snapshot> {
  const format: 'parquet' | 'csv' | undefined = /\.parquet$/i.test(path)
    ? 'parquet'
    : /\.csv$/i.test(path)
      ? 'csv'
      : undefined;
  if (!format) {
    throw errors.invalidInput(`unsupported snapshot file ${path}`, [
      { field: 'path', value: path, expected: 'a .parquet or .csv file' },
    ]);
  }
  try {
    await access(path);
  } catch {
    throw errors.fileNotFound(`no such file ${path}`, [
      { field: 'path', value: path, expected: 'a readable file' },
    ]);
  }
  const id = await sha256File(path);
  const reader = format === 'parquet' ? 'read_parquet($1)' : 'read_csv($1)';
  const source = { kind: 'file' as const, path, format };
  return conn.transaction(() =>
    createSnapshot(conn, id, model.id, source, `SELECT * FROM ${reader}`, new Params().str(path), nowMs),
  );
}

/** Freezes the stored predictions of [fromMs, toMs), with their labels, as a snapshot. */
export async function insertSnapshotFromEvents(
  conn: LockedConnection,
  model: Model,
  range: TimeRange,
  nowMs: number,
): Promise<Snapshot> {
  const cols = model.schema.features
    .map((f) => `p.${featureColumn(f.name)} AS ${quoteIdent(f.name)}`)
    .join(', ');
  const select = `SELECT p.event_id, epoch_ms(p.ts) AS time_ms, p.version, ${cols}, p.prediction, p.score, p.weight,
      l.label AS ${quoteIdent(model.schema.label.name)}
    FROM ${predictionTable(model.id)} p LEFT JOIN labels l ON l.model = $1 AND l.event_id = p.event_id
    WHERE p.ts >= epoch_ms($2) AND p.ts < epoch_ms($3) ORDER BY p.event_id`;
  const params = () => new Params().str(model.id).int(range.fromMs).int(range.toMs);
  const source = { kind: 'events' as const, fromMs: range.fromMs, toMs: range.toMs };
  return conn.transaction(async () => {
    const p = params();
    // streamed chunk by chunk (2 048 rows): reading every row at once held ~400 MB in the demo
    const hash = createHash('sha256');
    const result = await conn.raw.stream(select, p.values, p.types);
    for await (const rows of result.yieldRowsJson())
      for (const row of rows) hash.update(`${JSON.stringify(row)}\n`);
    return createSnapshot(conn, hash.digest('hex'), model.id, source, select, params(), nowMs);
  });
}
