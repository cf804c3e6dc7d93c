/**
 * What the alert engine keeps in DuckDB: its state document per key (active alerts with history,
 * acks, escalation levels, groups), each model's alert configuration, silences, and the append-only
 * delivery log. Callers hold the connection lock.
 */
import type { AlertDeliveryQuery, AlertDeliveryRow, SilenceRow } from '../store.js';
import type { LockedConnection } from './connection.js';
import type { Row } from './rows.js';
import { Params } from './sql.js';

/** DDL of the alert tables. */
export const alertDdl = [
  'CREATE TABLE IF NOT EXISTS alert_state (key VARCHAR PRIMARY KEY, value_json VARCHAR NOT NULL)',
  'CREATE TABLE IF NOT EXISTS alert_config (model VARCHAR PRIMARY KEY, config_json VARCHAR NOT NULL)',
  `CREATE TABLE IF NOT EXISTS alert_silences (id VARCHAR PRIMARY KEY, matchers_json VARCHAR NOT NULL,
     starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL, created_by VARCHAR NOT NULL, comment VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_deliveries (seq BIGINT NOT NULL, notification_id VARCHAR NOT NULL,
     target VARCHAR NOT NULL, ok BOOLEAN NOT NULL, attempts INTEGER NOT NULL, status INTEGER, error VARCHAR,
     at_ms BIGINT NOT NULL)`,
];

async function getJson(conn: LockedConnection, sql: string, key: string): Promise<unknown> {
  const rows = await conn.all(sql, new Params().str(key));
  return rows.length > 0 ? JSON.parse(String(rows[0].v)) : undefined;
}

/** The alert state document under `key` as stored (JSON text), or undefined. */
export async function getAlertStateText(conn: LockedConnection, key: string): Promise<string | undefined> {
  const rows = await conn.all(
    'SELECT value_json AS v FROM alert_state WHERE key = $1',
    new Params().str(key),
  );
  return rows.length > 0 ? String(rows[0].v) : undefined;
}

/** Saves the alert state document (JSON text) under `key`. */
export async function setAlertState(conn: LockedConnection, key: string, json: string): Promise<void> {
  await conn.run('INSERT OR REPLACE INTO alert_state VALUES ($1, $2)', new Params().str(key).str(json));
}

/** A model's alert configuration, or undefined. */
export const getAlertConfig = (conn: LockedConnection, model: string) =>
  getJson(conn, 'SELECT config_json AS v FROM alert_config WHERE model = $1', model);

/** Saves a model's alert configuration. */
export async function setAlertConfig(conn: LockedConnection, model: string, config: unknown): Promise<void> {
  await conn.run(
    'INSERT OR REPLACE INTO alert_config VALUES ($1, $2)',
    new Params().str(model).str(JSON.stringify(config)),
  );
}

const silenceFromRow = (r: Row): SilenceRow => ({
  id: String(r.id),
  matchers: JSON.parse(String(r.matchers_json)),
  startsAtMs: Number(r.starts_at),
  endsAtMs: Number(r.ends_at),
  createdBy: String(r.created_by),
  comment: String(r.comment),
});

/** Adds or replaces a silence. */
export async function insertSilence(conn: LockedConnection, s: SilenceRow): Promise<void> {
  await conn.run(
    'INSERT OR REPLACE INTO alert_silences VALUES ($1, $2, $3, $4, $5, $6)',
    new Params()
      .str(s.id)
      .str(JSON.stringify(s.matchers))
      .int(s.startsAtMs)
      .int(s.endsAtMs)
      .str(s.createdBy)
      .str(s.comment),
  );
}

/** Every silence, by start time then id. */
export async function querySilences(conn: LockedConnection): Promise<SilenceRow[]> {
  return (await conn.all('SELECT * FROM alert_silences ORDER BY starts_at, id')).map(silenceFromRow);
}

/** Deletes a silence; false when there was none. */
export async function deleteSilence(conn: LockedConnection, id: string): Promise<boolean> {
  return (await conn.run('DELETE FROM alert_silences WHERE id = $1', new Params().str(id))) > 0;
}

/** Appends delivery records (in order). */
export async function insertAlertDeliveries(conn: LockedConnection, rows: AlertDeliveryRow[]): Promise<void> {
  if (rows.length === 0) return;
  const [{ next }] = await conn.all('SELECT coalesce(max(seq), 0) + 1 AS next FROM alert_deliveries');
  let seq = Number(next);
  for (const r of rows)
    await conn.run(
      'INSERT INTO alert_deliveries VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      new Params()
        .int(seq++)
        .str(r.notificationId)
        .str(r.target)
        .bool(r.ok)
        .int(r.attempts)
        .int(r.status)
        .str(r.error)
        .int(r.atMs),
    );
}

/** Delivery records, newest first, optionally of one notification or only failures. */
export async function queryAlertDeliveries(
  conn: LockedConnection,
  query: AlertDeliveryQuery,
): Promise<AlertDeliveryRow[]> {
  const p = new Params();
  const where: string[] = [];
  if (query.notificationId !== undefined) {
    p.str(query.notificationId);
    where.push(`notification_id = $${p.values.length}`);
  }
  if (query.failedOnly) where.push('NOT ok');
  p.int(query.limit ?? 100);
  const rows = await conn.all(
    `SELECT * FROM alert_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY seq DESC LIMIT $${p.values.length}`,
    p,
  );
  return rows.map((r) => ({
    notificationId: String(r.notification_id),
    target: String(r.target),
    ok: Boolean(r.ok),
    attempts: Number(r.attempts),
    status: r.status === null ? null : Number(r.status),
    error: r.error === null ? null : String(r.error),
    atMs: Number(r.at_ms),
  }));
}
