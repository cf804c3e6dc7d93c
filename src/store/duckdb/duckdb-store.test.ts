import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
