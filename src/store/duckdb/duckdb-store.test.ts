import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { contractEvent, contractModel, runStoreContract } from '../store.contract.js';
import { createDuckDbStore } from './duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-duckdb-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('duckdb (temp file)', () => createDuckDbStore({ path: join(dir, `s${n++}.duckdb`) }));

describe('duckdb store file', () => {
  it('keeps committed batches across close and reopen', async () => {
    const path = join(dir, 'reopen.duckdb');
    const a = await createDuckDbStore({ path });
    await a.insertModel(contractModel);
    await a.insertPredictions(contractModel.id, [contractEvent(1), contractEvent(2)]);
    await a.close();
    const b = await createDuckDbStore({ path });
    expect((await b.queryPredictions(contractModel.id)).map((p) => p.eventId)).toEqual(['e1', 'e2']);
    expect(await b.insertPredictions(contractModel.id, [contractEvent(2)])).toMatchObject({ duplicates: 1 });
    expect(await b.getSizeBytes()).toBeGreaterThan(0);
    await b.close();
  });

  it('answers the page reads it keeps in memory as the file does, through writes, concurrent reads and a reopen', async () => {
    const path = join(dir, 'cached.duckdb');
    const a = await createDuckDbStore({ path });
    await a.insertModel(contractModel);
    const id = contractModel.id;
    // cached empty answers, then writes
    expect(await a.getAlertState(id)).toBeUndefined();
    expect(await a.getReference(id)).toBeUndefined();
    expect(await a.queryVersionSummaries(id)).toEqual([]);
    const state = { alerts: [{ id: 'x', status: 'firing' }] };
    // a read racing the write: either answer, but never a stale one afterwards
    await Promise.all([a.setAlertState(id, state), a.getAlertState(id)]);
    expect(await a.getAlertState(id)).toEqual(state);
    // what a caller changes in its answer is not what the next one reads
    ((await a.getAlertState(id)) as typeof state).alerts[0].status = 'resolved';
    expect(await a.getAlertState(id)).toEqual(state);
    const bytes = new TextEncoder().encode('{"trees": []}');
    const version = {
      id: 'v1',
      model: id,
      format: 'xgboost-json' as const,
      artifact: { bytes },
      contentHash: 'h1',
      lineage: {},
      stage: 'champion' as const,
      createdAtMs: 1,
    };
    await Promise.all([a.insertModelVersion(version), a.queryVersionSummaries(id)]);
    const listed = await a.queryVersionSummaries(id);
    expect(listed.map((v) => [v.id, v.artifact])).toEqual([['v1', { bytes: bytes.length }]]);
    await a.insertPredictions(id, [contractEvent(1), contractEvent(2)]);
    const snapshot = await a.insertSnapshotFromEvents(id, { fromMs: 0, toMs: Number.MAX_SAFE_INTEGER });
    await a.setReference(id, snapshot.id);
    expect((await a.getReference(id))?.id).toBe(snapshot.id);
    await a.close();
    // the file holds what the cache answered
    const b = await createDuckDbStore({ path });
    expect(await b.getAlertState(id)).toEqual(state);
    expect((await b.getReference(id))?.id).toBe(snapshot.id);
    expect(await b.queryVersionSummaries(id)).toEqual(listed);
    await b.close();
  });

  it('migrates hourly counters with a primary key (older files) to append-only partials', async () => {
    const path = join(dir, 'old-hourly.duckdb');
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run(`CREATE TABLE hourly (model VARCHAR NOT NULL, version VARCHAR NOT NULL, hour TIMESTAMP NOT NULL,
      n BIGINT NOT NULL, positive BIGINT NOT NULL, score_sum DOUBLE NOT NULL, latency_sum DOUBLE NOT NULL,
      latency_max DOUBLE NOT NULL, stored BIGINT NOT NULL, PRIMARY KEY (model, version, hour))`);
    c.closeSync();
    instance.closeSync();
    const s = await createDuckDbStore({ path });
    await s.insertModel(contractModel);
    await s.insertPredictions(contractModel.id, [contractEvent(1)]);
    await s.insertPredictions(contractModel.id, [contractEvent(2)]);
    expect((await s.queryHourlyAggregates(contractModel.id))[0].count).toBe(2);
    await s.close();
  });
  it('sets DuckDB memory_limit from memoryLimit, and leaves DuckDB its own default without it', async () => {
    const limitOf = async (s: Awaited<ReturnType<typeof createDuckDbStore>>) => {
      // the connection is private: the setting is only observable inside DuckDB
      const conn = (s as unknown as { conn: { all(sql: string): Promise<Record<string, unknown>[]> } }).conn;
      const [row] = await conn.all("SELECT current_setting('memory_limit') AS m");
      await s.close();
      return String(row.m);
    };
    // DuckDB shows 64MB (10^6 bytes) as 61.0 MiB
    expect(
      await limitOf(await createDuckDbStore({ path: join(dir, 'limit.duckdb'), memoryLimit: '64MB' })),
    ).toBe('61.0 MiB');
    expect(await limitOf(await createDuckDbStore({ path: join(dir, 'limit.duckdb') }))).not.toBe('61.0 MiB');
    await expect(createDuckDbStore({ memoryLimit: 'lots' })).rejects.toThrow(/invalid memoryLimit: "lots"/);
  });
});
