import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractEvent, contractModel } from '../store.contract.js';
import type { LockedConnection } from './connection.js';
import { createDuckDbStore } from './duckdb-store.js';
import { snapshotTable } from './sql.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-snapshots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('insertSnapshotFromEvents', () => {
  it('hashes the rows streamed chunk by chunk exactly as the rows read all at once (the earlier way)', async () => {
    const store = await createDuckDbStore({ path: join(dir, 'snap.duckdb') });
    await store.insertModel(contractModel);
    // 5 000 rows: three DuckDB chunks of 2 048, with nulls and labels on part of them
    const events = Array.from({ length: 5000 }, (_, i) =>
      contractEvent(i, i % 7 === 0 ? { features: { distance: null, carrier: 'AA', weekend: false } } : {}),
    );
    await store.insertPredictions(contractModel.id, events);
    await store.insertLabels(
      contractModel.id,
      events
        .filter((_, i) => i % 3 !== 0)
        .map((e, i) => ({ eventId: e.eventId, label: i % 2 ? '1' : '0', timeMs: e.timeMs + 3_600_000 })),
      Date.UTC(2001, 0, 10),
    );
    const range = { fromMs: events[0].timeMs, toMs: events[4990].timeMs };
    const snapshot = await store.insertSnapshotFromEvents(contractModel.id, range);
    expect(snapshot.rowCount).toBe(4990);
    // the earlier implementation: every row read into memory, then hashed as JSON lines
    const conn = (store as unknown as { conn: LockedConnection }).conn;
    const all = await conn.raw.runAndReadAll(`SELECT * FROM ${snapshotTable(snapshot.id)} ORDER BY event_id`);
    const hash = createHash('sha256');
    for (const row of all.getRowsJson()) hash.update(`${JSON.stringify(row)}\n`);
    expect(snapshot.id).toBe(hash.digest('hex'));
    // content-addressed: one more label gives another id
    await store.insertLabels(
      contractModel.id,
      [{ eventId: 'e3', label: '1', timeMs: events[3].timeMs + 7_200_000 }],
      Date.UTC(2001, 0, 11),
    );
    const other = await store.insertSnapshotFromEvents(contractModel.id, range);
    expect(other.id).not.toBe(snapshot.id);
    await store.close();
  });
});
