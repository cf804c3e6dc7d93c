import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { contractEvent, contractModel } from '../store.contract.js';
import type { PredictionRecord } from '../store.js';
import { LockedConnection } from './connection.js';
import { createDuckDbStore } from './duckdb-store.js';
import { insertPredictionGroup, predictionTableDdl } from './events.js';
import { IdHashSet } from './id-set.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-event-ids-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const events = (from: number, to: number): PredictionRecord[] =>
  Array.from({ length: to - from }, (_, i) => contractEvent(from + i));

describe('event-id dedupe without a primary key', () => {
  it('rebuilds the id set after a restart: old ids are duplicates, new ones accepted', async () => {
    const path = join(dir, 'restart.duckdb');
    const a = await createDuckDbStore({ path });
    await a.insertModel(contractModel);
    expect(await a.insertPredictions(contractModel.id, events(0, 3000))).toMatchObject({ accepted: 3000 });
    await a.close();
    const b = await createDuckDbStore({ path });
    const r = await b.insertPredictions(contractModel.id, [...events(2990, 3010), contractEvent(5)]);
    expect(r).toEqual({ accepted: 10, duplicates: 11, stored: 10 });
    expect((await b.getCounts()).events).toBe(3010);
    await b.close();
  });

  it('adds ids only after COMMIT: a failed group leaves its ids free for the retry', async () => {
    const s = await createDuckDbStore({ path: join(dir, 'failed.duckdb') });
    await s.insertModel(contractModel);
    await s.insertPredictions(contractModel.id, events(0, 5));
    // A wrong feature type is caught by the appender (validation normally stops it earlier).
    const bad = [contractEvent(5), contractEvent(6, { features: { distance: 'far' as never } })];
    await expect(s.insertPredictions(contractModel.id, bad)).rejects.toThrow(/distance/);
    expect(await s.insertPredictions(contractModel.id, events(4, 7))).toEqual({
      accepted: 2,
      duplicates: 1,
      stored: 2,
    });
    expect((await s.queryPredictions(contractModel.id)).map((p) => p.eventId)).toEqual([
      'e0',
      'e1',
      'e2',
      'e3',
      'e4',
      'e5',
      'e6',
    ]);
    await s.close();
  });

  it('confirms set hits against the table (a hash collision or stale entry is not a duplicate)', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const conn = new LockedConnection(await instance.connect());
    await conn.run('CREATE TABLE event_ids (model VARCHAR NOT NULL, event_id VARCHAR NOT NULL)');
    await conn.run(`CREATE TABLE hourly (model VARCHAR NOT NULL, version VARCHAR NOT NULL, hour TIMESTAMP NOT NULL,
      n BIGINT NOT NULL, positive BIGINT NOT NULL, score_sum DOUBLE NOT NULL, latency_sum DOUBLE NOT NULL,
      latency_max DOUBLE NOT NULL, stored BIGINT NOT NULL)`);
    await conn.run(predictionTableDdl(contractModel));
    await conn.run(`INSERT INTO event_ids VALUES ('${contractModel.id}', 'e1')`);
    const seen = new IdHashSet();
    for (const id of ['e1', 'e2']) seen.add(id); // e2 is in the set but not in the table
    const { results, fresh } = await insertPredictionGroup(
      conn,
      contractModel,
      [{ events: events(0, 4) }],
      seen,
    );
    expect(results).toEqual([{ accepted: 3, duplicates: 1, stored: 3 }]);
    expect(fresh).toEqual(['e0', 'e2', 'e3']);
    conn.raw.closeSync();
    instance.closeSync();
  });

  it('drops the primary key of files made before, keeping their ids', async () => {
    const path = join(dir, 'old-pk.duckdb');
    const a = await createDuckDbStore({ path });
    await a.insertModel(contractModel);
    await a.close();
    const instance = await DuckDBInstance.create(path);
    const c = await instance.connect();
    await c.run('DROP TABLE event_ids');
    await c.run(
      'CREATE TABLE event_ids (model VARCHAR NOT NULL, event_id VARCHAR NOT NULL, PRIMARY KEY (model, event_id))',
    );
    await c.run(`INSERT INTO event_ids VALUES ('${contractModel.id}', 'e1'), ('${contractModel.id}', 'e2')`);
    c.closeSync();
    instance.closeSync();
    const b = await createDuckDbStore({ path });
    expect(await b.insertPredictions(contractModel.id, events(0, 4))).toMatchObject({
      accepted: 2,
      duplicates: 2,
    });
    expect((await b.getCounts()).events).toBe(4);
    await b.close();
    const check = await DuckDBInstance.create(path);
    const cc = await check.connect();
    const pk = await cc.runAndReadAll(
      "SELECT 1 FROM duckdb_constraints() WHERE table_name = 'event_ids' AND constraint_type = 'PRIMARY KEY'",
    );
    expect(pk.getRows()).toHaveLength(0);
    cc.closeSync();
    check.closeSync();
  });
});
