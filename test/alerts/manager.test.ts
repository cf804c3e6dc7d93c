import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertManager } from '../../src/alerts/manager.js';
import { PlumblineError } from '../../src/errors.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { DAY, point, T0 } from './helpers.js';
import { type Receiver, startReceiver } from './receiver.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-alert-manager-'));
let rx: Receiver;
beforeAll(async () => {
  rx = await startReceiver();
});
afterAll(async () => {
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = {
  rules: [
    {
      id: 'auc',
      metric: 'roc_auc',
      segment: 'all',
      condition: { kind: 'significant', direction: 'down' },
      severity: 'critical',
      escalation: 'oncall',
    },
  ],
  escalationPolicies: [
    {
      id: 'oncall',
      levels: [{ targets: ['hook'], timeout: '30m' }, { targets: ['pager'] }],
    },
  ],
  grouping: { groupWait: '0s', groupInterval: '0s' },
};

describe('AlertManager', () => {
  it('evaluates stored points, persists across a restart, acknowledges and records deliveries', async () => {
    const path = join(dir, 'a.duckdb');
    let clock = T0 + 2 * DAY;
    const notifiers = [
      { name: 'hook', type: 'webhook' as const, url: `${rx.url}/hook`, secret: 's' },
      { name: 'pager', type: 'slack' as const, url: `${rx.url}/pager` },
    ];
    const make = async () => {
      const store = await createDuckDbStore({ path });
      return {
        store,
        manager: new AlertManager({
          store,
          notifiers,
          now: () => clock,
          delivery: { sleep: async () => {} },
        }),
      };
    };
    let { store, manager } = await make();
    expect((await manager.getConfig('m')).rules.map((r) => r.id)).toContain('m:performance'); // defaults
    await manager.setConfig('m', config);
    await store.insertMetricPoints([
      point({ day: 0, value: 0.8, ciLow: 0.78, ciHigh: 0.82, baseline: 0.8 }),
      point({ day: 1, value: 0.7, ciLow: 0.68, ciHigh: 0.72, baseline: 0.8 }),
    ]);
    const first = await manager.evaluate('m');
    expect(first.transitions.map((t) => t.to)).toEqual(['pending', 'firing']);
    expect(first.deliveries).toEqual([expect.objectContaining({ target: 'hook', ok: true })]);
    await store.close();

    // Restart: the state is loaded from the store; nothing new → no transitions; escalation continues.
    ({ store, manager } = await make());
    clock += 30 * 60_000;
    const second = await manager.evaluate('m');
    expect(second.transitions).toEqual([]);
    expect(second.notifications.map((n) => [n.reason, n.targets])).toEqual([['escalated', ['pager']]]);
    const [alert] = Object.values((await manager.getState('m')).alerts.alerts);
    expect(alert.escalation?.level).toBe(1);

    const acked = await manager.acknowledge('m', alert.fingerprint, 'ana', 'looking');
    expect(acked.alert.ack).toMatchObject({ by: 'ana', note: 'looking' });
    expect(acked.deliveries.map((d) => d.target).sort()).toEqual(['hook', 'pager']);
    await expect(manager.acknowledge('m', 'nope', 'ana')).rejects.toThrow(PlumblineError);

    // A later day resolves it; the resolution is delivered and every delivery is in the log.
    await store.insertMetricPoints([point({ day: 2, value: 0.8, ciLow: 0.78, ciHigh: 0.82, baseline: 0.8 })]);
    clock = T0 + 3 * DAY;
    const third = await manager.evaluate('m');
    expect(third.transitions.map((t) => t.to)).toEqual(['resolved']);
    expect(third.notifications.map((n) => n.reason)).toEqual(['resolved']);
    const log = await store.queryAlertDeliveries();
    expect(log.length).toBe(1 + 1 + 2 + third.deliveries.length);
    await expect(manager.acknowledge('m', alert.fingerprint, 'ana')).rejects.toMatchObject({
      code: 'PLB_ERR_CONFLICT',
    });
    expect((await manager.getState('m')).notifications.map((n) => n.reason)).toEqual([
      'new',
      'escalated',
      'acknowledged',
      'resolved',
    ]);
    await store.close();
  });

  it('concurrent evaluations of one model do not lose updates', async () => {
    const store = await createDuckDbStore();
    const manager = new AlertManager({ store, now: () => T0 + 3 * DAY });
    await manager.setConfig('m', config);
    const p = (day: number, v: number) =>
      point({ day, value: v, ciLow: v - 0.01, ciHigh: v + 0.01, baseline: 0.8 });
    // Two evaluations at once, each with its own day: both days must end up evaluated.
    const [a, b] = await Promise.all([
      manager.evaluate('m', { points: [p(0, 0.7)] }),
      manager.evaluate('m', { points: [p(1, 0.8)] }),
    ]);
    expect([...a.transitions, ...b.transitions].map((t) => t.to)).toEqual(['pending', 'firing', 'resolved']);
    const [alert] = Object.values((await manager.getState('m')).alerts.alerts);
    expect(alert.status).toBe('resolved');
    await store.close();
  });

  it('failed deliveries are recorded, not thrown', async () => {
    const store = await createDuckDbStore();
    rx.failNext(10);
    const manager = new AlertManager({
      store,
      notifiers: [{ name: 'hook', type: 'webhook', url: rx.url, secret: 's' }],
      now: () => T0 + DAY,
      delivery: { sleep: async () => {}, retries: 1 },
    });
    await manager.setConfig('m', {
      ...config,
      escalationPolicies: [{ id: 'oncall', levels: [{ targets: ['hook'] }] }],
    });
    const out = await manager.evaluate('m', {
      points: [point({ value: 0.7, ciLow: 0.68, ciHigh: 0.72, baseline: 0.8 })],
    });
    expect(out.deliveries).toEqual([expect.objectContaining({ ok: false, attempts: 2, status: 503 })]);
    expect(await store.queryAlertDeliveries({ failedOnly: true })).toHaveLength(1);
    rx.failNext(0);
    await store.close();
  });

  it('rejects an invalid configuration with field-level issues and keeps the old one', async () => {
    const store = await createDuckDbStore();
    const manager = new AlertManager({ store });
    await manager.setConfig('m', config);
    await expect(
      manager.setConfig('m', {
        rules: [{ id: 'x', metric: 'a', for: 'soon', condition: { kind: 'significant' } }],
      }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'rules[0].for', expected: 'a duration like "2h"' })],
    });
    expect((await manager.getConfig('m')).rules.map((r) => r.id)).toEqual(['auc']);
    await store.close();
  });
});
