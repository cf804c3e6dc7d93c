/**
 * Contract suite of the alert tables; every store adapter runs it (`runAlertStoreContract`).
 * Checks round trips, upserts, deletes, ordering and the delivery log's filters.
 */
import { describe, expect, it } from 'vitest';
import { freshStorePerTest } from './contract-support.js';
import type { AlertDeliveryRow, SilenceRow, Store } from './store.js';

const silence = (id: string, startsAtMs: number): SilenceRow => ({
  id,
  matchers: [
    { name: 'alertname', op: '=', value: 'auc' },
    { name: 'segment', op: '=~', value: 'origin=.*' },
  ],
  startsAtMs,
  endsAtMs: startsAtMs + 3_600_000,
  createdBy: 'ana',
  comment: 'maintenance',
});

const delivery = (id: string, ok: boolean, atMs: number): AlertDeliveryRow => ({
  notificationId: id,
  target: 'hook',
  ok,
  attempts: ok ? 1 : 4,
  status: ok ? 200 : null,
  error: ok ? null : 'connect ECONNREFUSED',
  atMs,
});

/** Runs the alert-table contract against stores made by `make` (each test gets a fresh store). */
export function runAlertStoreContract(name: string, make: () => Promise<Store>): void {
  describe(`alert store contract: ${name}`, () => {
    const fresh = freshStorePerTest(make);

    it('state documents round-trip and are replaced', async () => {
      const s = await fresh();
      expect(await s.getAlertState('flights')).toBeUndefined();
      const doc = { version: 1, alerts: { a: { status: 'firing', history: [{ at: 1 }] } }, note: 'é ✓' };
      await s.setAlertState('flights', doc);
      expect(await s.getAlertState('flights')).toEqual(doc);
      await s.setAlertState('flights', { version: 1, alerts: {} });
      expect(await s.getAlertState('flights')).toEqual({ version: 1, alerts: {} });
      expect(await s.getAlertState('other')).toBeUndefined();
    });

    it('alert configuration per model', async () => {
      const s = await fresh();
      expect(await s.getAlertConfig('m')).toBeUndefined();
      await s.setAlertConfig('m', { rules: [{ id: 'r' }] });
      await s.setAlertConfig('n', { rules: [] });
      expect(await s.getAlertConfig('m')).toEqual({ rules: [{ id: 'r' }] });
      await s.setAlertConfig('m', { rules: [] });
      expect(await s.getAlertConfig('m')).toEqual({ rules: [] });
    });

    it('silences: insert, replace, list by start, delete', async () => {
      const s = await fresh();
      await s.insertSilence(silence('b', 2000));
      await s.insertSilence(silence('a', 1000));
      await s.insertSilence({ ...silence('b', 2000), comment: 'edited' });
      const list = await s.querySilences();
      expect(list.map((x) => [x.id, x.comment])).toEqual([
        ['a', 'maintenance'],
        ['b', 'edited'],
      ]);
      expect(list[0]).toEqual(silence('a', 1000));
      expect(await s.deleteSilence('a')).toBe(true);
      expect(await s.deleteSilence('a')).toBe(false);
      expect((await s.querySilences()).map((x) => x.id)).toEqual(['b']);
    });

    it('deliveries: appended, newest first, filtered', async () => {
      const s = await fresh();
      await s.insertAlertDeliveries([delivery('n-1', true, 10), delivery('n-2', false, 20)]);
      await s.insertAlertDeliveries([delivery('n-3', true, 30)]);
      await s.insertAlertDeliveries([]);
      expect((await s.queryAlertDeliveries()).map((d) => d.notificationId)).toEqual(['n-3', 'n-2', 'n-1']);
      expect(await s.queryAlertDeliveries({ failedOnly: true })).toEqual([delivery('n-2', false, 20)]);
      expect(await s.queryAlertDeliveries({ notificationId: 'n-1' })).toEqual([delivery('n-1', true, 10)]);
      expect(await s.queryAlertDeliveries({ limit: 1 })).toHaveLength(1);
    });
  });
}
