/**
 * RCA reports in DuckDB: one row per report, the report and its trigger as JSON, the window and
 * baseline as epoch-ms bounds. Callers hold the connection lock.
 */
import type { RcaReportRow } from '../store.js';
import type { LockedConnection } from './connection.js';
import type { Row } from './rows.js';
import { Params } from './sql.js';

/** DDL of the RCA table. */
export const rcaDdl = [
  `CREATE TABLE IF NOT EXISTS rca_reports (id VARCHAR PRIMARY KEY, model VARCHAR NOT NULL, created_at BIGINT NOT NULL,
     trigger_json VARCHAR NOT NULL, window_from BIGINT NOT NULL, window_to BIGINT NOT NULL,
     baseline_from BIGINT NOT NULL, baseline_to BIGINT NOT NULL, report_json VARCHAR NOT NULL)`,
];

/** The parameters of one report row, in column order. */
export function rcaReportToRow(r: RcaReportRow): Params {
  return new Params()
    .str(r.id)
    .str(r.model)
    .int(r.createdAtMs)
    .str(JSON.stringify(r.trigger))
    .int(r.window.fromMs)
    .int(r.window.toMs)
    .int(r.baseline.fromMs)
    .int(r.baseline.toMs)
    .str(JSON.stringify(r.report));
}

/** A report row read back. */
export function rcaReportFromRow(r: Row): RcaReportRow {
  return {
    id: String(r.id),
    model: String(r.model),
    createdAtMs: Number(r.created_at),
    trigger: JSON.parse(String(r.trigger_json)),
    window: { fromMs: Number(r.window_from), toMs: Number(r.window_to) },
    baseline: { fromMs: Number(r.baseline_from), toMs: Number(r.baseline_to) },
    report: JSON.parse(String(r.report_json)),
  };
}

/** Adds or replaces a report. */
export async function insertRcaReport(conn: LockedConnection, row: RcaReportRow): Promise<void> {
  await conn.run(
    'INSERT OR REPLACE INTO rca_reports VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    rcaReportToRow(row),
  );
}

/** One report of a model, or undefined. */
export async function getRcaReport(
  conn: LockedConnection,
  model: string,
  id: string,
): Promise<RcaReportRow | undefined> {
  const rows = await conn.all(
    'SELECT * FROM rca_reports WHERE model = $1 AND id = $2',
    new Params().str(model).str(id),
  );
  return rows.length > 0 ? rcaReportFromRow(rows[0]) : undefined;
}

/** A model's reports, newest first. */
export async function queryRcaReports(
  conn: LockedConnection,
  model: string,
  limit: number,
): Promise<RcaReportRow[]> {
  const rows = await conn.all(
    'SELECT * FROM rca_reports WHERE model = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
    new Params().str(model).int(limit),
  );
  return rows.map(rcaReportFromRow);
}
