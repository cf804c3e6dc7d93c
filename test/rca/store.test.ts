import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { runRcaStoreContract } from '../../src/store/rca.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-rca-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runRcaStoreContract('duckdb (temp file)', () => createDuckDbStore({ path: join(dir, `s${n++}.duckdb`) }));

describe('rca reports survive a restart', () => {
  it('a stored report is there after close and reopen', async () => {
    const path = join(dir, 'reopen.duckdb');
    const a = await createDuckDbStore({ path });
    const row = {
      id: 'r',
      model: 'm',
      createdAtMs: 5,
      trigger: { metric: 'latency_p99' },
      window: { fromMs: 1, toMs: 2 },
      baseline: { fromMs: 0, toMs: 1 },
      report: { hypotheses: [] },
    };
    await a.insertRcaReport(row);
    await a.close();
    const b = await createDuckDbStore({ path });
    expect(await b.getRcaReport('m', 'r')).toEqual(row);
    await b.close();
  });
});
