import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { runMonitorStoreContract } from '../../src/store/monitor.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-monstore-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runMonitorStoreContract('duckdb (temp file)', () => createDuckDbStore({ path: join(dir, `s${n++}.duckdb`) }));
