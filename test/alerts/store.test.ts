import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAlertStoreContract } from '../../src/store/alerts.contract.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-alerts-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runAlertStoreContract('duckdb (temp file)', () => createDuckDbStore({ path: join(dir, `s${n++}.duckdb`) }));

describe('alert tables survive a restart', () => {
  it('state, config, silences and deliveries are there after close and reopen', async () => {
    const path = join(dir, 'reopen.duckdb');
    const a = await createDuckDbStore({ path });
    await a.setAlertState('m', { version: 1, alerts: { x: { status: 'firing' } } });
    await a.setAlertConfig('m', { rules: [] });
    await a.insertSilence({ id: 's', matchers: [], startsAtMs: 1, endsAtMs: 2, createdBy: 'a', comment: '' });
    await a.insertAlertDeliveries([
      { notificationId: 'n-1', target: 't', ok: false, attempts: 4, status: 503, error: 'HTTP 503', atMs: 5 },
    ]);
    await a.close();
    const b = await createDuckDbStore({ path });
    expect(await b.getAlertState('m')).toEqual({ version: 1, alerts: { x: { status: 'firing' } } });
    expect(await b.getAlertConfig('m')).toEqual({ rules: [] });
    expect((await b.querySilences()).map((s) => s.id)).toEqual(['s']);
    expect((await b.queryAlertDeliveries())[0]).toMatchObject({ status: 503, ok: false });
    await b.close();
  });
});
