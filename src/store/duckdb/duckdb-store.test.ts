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
