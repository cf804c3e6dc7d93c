import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadNotifiers } from '../../src/server/routes/alerts.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { modelBody } from '../server/helpers.js';
import { DAY, point, T0 } from './helpers.js';

let app: FastifyInstance | undefined;
let store: Store | undefined;
afterEach(async () => {
  await app?.close();
  await store?.close();
  app = undefined;
  store = undefined;
});

const rules = {
  rules: [
    {
      id: 'auc',
      metric: 'roc_auc',
      condition: { kind: 'significant', direction: 'down' },
      severity: 'critical',
    },
    {
      id: 'tput',
      metric: 'throughput',
      condition: { kind: 'threshold', op: '<', value: 10 },
      severity: 'info',
    },
  ],
  grouping: { groupWait: '0s' },
};

async function setup() {
  let clock = T0 + 2 * DAY;
  store = await createDuckDbStore();
  app = await buildApp({ store, now: () => clock });
  await app.inject({ method: 'POST', url: '/v1/models', payload: modelBody });
  const m = modelBody.id;
  await store.insertMetricPoints([
    point({ model: m, day: 0, value: 0.8, ciLow: 0.78, ciHigh: 0.82, baseline: 0.8 }),
    point({ model: m, day: 1, value: 0.7, ciLow: 0.68, ciHigh: 0.72, baseline: 0.8 }),
    point({
      model: m,
      day: 1,
      value: 0.7,
      ciLow: 0.68,
      ciHigh: 0.72,
      baseline: 0.8,
      segment: 'carrier=AA',
      n: 400,
    }),
    point({ model: m, day: 1, metric: 'throughput', value: 50 }),
  ]);
  return { a: app, s: store, tick: (ms: number) => (clock += ms) };
}

describe('alert routes', () => {
  it('rules: defaults, replace, field-level errors', async () => {
    const { a } = await setup();
    const def = await a.inject({ method: 'GET', url: '/v1/models/flights/rules' });
    expect(def.statusCode).toBe(200);
    expect(def.json()).toMatchObject({ source: 'default' });
    expect(def.json().rules.length).toBe(13);
    const put = await a.inject({ method: 'PUT', url: '/v1/models/flights/rules', payload: rules });
    expect(put.statusCode).toBe(200);
    expect(put.json().rules.map((r: { id: string }) => r.id)).toEqual(['auc', 'tput']);
    const bad = await a.inject({
      method: 'PUT',
      url: '/v1/models/flights/rules',
      payload: {
        rules: [{ id: 'x', metric: 'a', for: '2 hours', condition: { kind: 'threshold', op: '>' } }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { field: string }) => i.field)).toEqual([
      'rules[0].condition.value',
      'rules[0].for',
    ]);
    expect((await a.inject({ method: 'GET', url: '/v1/models/nope/rules' })).statusCode).toBe(404);
    expect((await a.inject({ method: 'GET', url: '/v1/models/flights/rules' })).json().source).toBe('stored');
  });

  it('evaluate, list, filter, show, acknowledge', async () => {
    const { a } = await setup();
    await a.inject({ method: 'PUT', url: '/v1/models/flights/rules', payload: rules });
    const ev = await a.inject({ method: 'POST', url: '/v1/models/flights/alerts/evaluate' });
    expect(ev.statusCode).toBe(200);
    expect(ev.json().transitions.filter((t: { to: string }) => t.to === 'firing')).toHaveLength(2);

    const list = await a.inject({
      method: 'GET',
      url: '/v1/alerts?state=firing&model=flights&severity=critical',
    });
    const alerts = list.json().alerts;
    expect(alerts.map((x: { labels: { segment: string } }) => x.labels.segment).sort()).toEqual([
      'all',
      'carrier=AA',
    ]);
    expect(alerts[0]).not.toHaveProperty('detector');
    expect((await a.inject({ method: 'GET', url: '/v1/alerts?severity=info' })).json().alerts).toEqual([]);
    expect((await a.inject({ method: 'GET', url: '/v1/alerts?state=inactive' })).json().alerts).toHaveLength(
      1,
    );
    expect((await a.inject({ method: 'GET', url: '/v1/alerts?state=bogus' })).statusCode).toBe(400);

    const modelWide = alerts.find((x: { labels: { segment: string } }) => x.labels.segment === 'all');
    const segment = alerts.find((x: { labels: { segment: string } }) => x.labels.segment !== 'all');
    expect(segment.inhibitedBy).toEqual([modelWide.id]); // the model-wide alert inhibits its segment

    const show = await a.inject({ method: 'GET', url: `/v1/alerts/${modelWide.id}` });
    expect(show.statusCode).toBe(200);
    expect(show.json().alert.evidence).toMatchObject({ ciHigh: 0.72, baseline: 0.8 });
    expect(show.json().alert.history.map((t: { to: string }) => t.to)).toEqual(['pending', 'firing']);
    expect(show.json().notifications[0]).toMatchObject({ reason: 'new' });
    expect(show.json().deliveries[0]).toMatchObject({ target: 'log', ok: true });
    expect(show.json()).not.toHaveProperty('history');
    // the alert page's other data in the same answer: its policy (none stored here) and its metric per day
    const full = (
      await a.inject({ method: 'GET', url: `/v1/alerts/${modelWide.id}?include=policy,history` })
    ).json();
    expect(full.alert).toEqual(show.json().alert);
    expect(full.policy).toBeNull();
    const series = (
      await a.inject({
        method: 'GET',
        url: '/v1/models/flights/metrics?metric=roc_auc&window=day&segment=all',
      })
    ).json();
    expect(full.history).toEqual(series.points);
    expect(full.history.length).toBeGreaterThan(0);
    const bad = await a.inject({ method: 'GET', url: `/v1/alerts/${modelWide.id}?include=everything` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { field: string }) => i.field)).toEqual(['include']);

    const ack = await a.inject({
      method: 'POST',
      url: `/v1/alerts/${modelWide.id}/ack`,
      payload: { by: 'ana', note: 'on it' },
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().alert.ack).toMatchObject({ by: 'ana', note: 'on it' });
    expect(
      (await a.inject({ method: 'POST', url: `/v1/alerts/${modelWide.id}/ack`, payload: {} })).statusCode,
    ).toBe(400);
    expect(
      (await a.inject({ method: 'POST', url: '/v1/alerts/nope/ack', payload: { by: 'a' } })).statusCode,
    ).toBe(404);
    expect((await a.inject({ method: 'GET', url: '/v1/alerts/nope' })).statusCode).toBe(404);
  });

  it('silences: create, list, mute, expire, delete', async () => {
    const { a, tick } = await setup();
    await a.inject({ method: 'PUT', url: '/v1/models/flights/rules', payload: rules });
    const created = await a.inject({
      method: 'POST',
      url: '/v1/silences',
      payload: { matchers: ['alertname=auc'], duration: '2h', createdBy: 'ana', comment: 'deploy' },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().silence.id;
    expect(created.json().silence).toMatchObject({ endsAtMs: T0 + 2 * DAY + 2 * 3_600_000 });
    const ev = (await a.inject({ method: 'POST', url: '/v1/models/flights/alerts/evaluate' })).json();
    expect(ev.notifications).toEqual([]); // muted
    const listed = (await a.inject({ method: 'GET', url: '/v1/silences' })).json().silences;
    expect(listed).toEqual([expect.objectContaining({ id, active: true })]);
    tick(3 * 3_600_000);
    expect((await a.inject({ method: 'GET', url: '/v1/silences' })).json().silences).toEqual([]);
    expect(
      (await a.inject({ method: 'GET', url: '/v1/silences?expired=true' })).json().silences,
    ).toHaveLength(1);
    const after = (await a.inject({ method: 'POST', url: '/v1/models/flights/alerts/evaluate' })).json();
    expect(after.notifications.map((n: { reason: string }) => n.reason)).toEqual(['new']);
    expect((await a.inject({ method: 'DELETE', url: `/v1/silences/${id}` })).statusCode).toBe(204);
    expect((await a.inject({ method: 'DELETE', url: `/v1/silences/${id}` })).statusCode).toBe(404);
  });

  it('silence validation names each field', async () => {
    const { a } = await setup();
    const bad = await a.inject({
      method: 'POST',
      url: '/v1/silences',
      payload: {
        matchers: ['alertname=auc', 'nonsense'],
        startsAt: 'yesterday',
        duration: 'soon',
        createdBy: 'a',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { field: string }) => i.field)).toEqual([
      'matchers[1]',
      'startsAt',
      'duration',
    ]);
    const noEnd = await a.inject({
      method: 'POST',
      url: '/v1/silences',
      payload: { matchers: ['a=b'], createdBy: 'a' },
    });
    expect(noEnd.json().error.issues[0]).toMatchObject({ field: 'endsAt' });
    const backwards = await a.inject({
      method: 'POST',
      url: '/v1/silences',
      payload: {
        matchers: ['a=b'],
        createdBy: 'a',
        startsAt: '2001-01-02T00:00:00Z',
        endsAt: '2001-01-01T00:00:00Z',
      },
    });
    expect(backwards.json().error.issues[0]).toMatchObject({
      field: 'endsAt',
      expected: 'a time after startsAt',
    });
  });
});

describe('loadNotifiers', () => {
  it('reads $PLUMBLINE_NOTIFIERS, none when unset, a clear error when unreadable', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'plb-notifiers-'));
    const file = join(dir, 'n.yaml');
    writeFileSync(
      file,
      'notifiers:\n  - { name: hook, type: webhook, url: "http://127.0.0.1:9/x", secretEnv: S }\n',
    );
    expect(await loadNotifiers({})).toEqual([]);
    expect(await loadNotifiers({ PLUMBLINE_NOTIFIERS: file, S: 'k' })).toEqual([
      { name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/x', secret: 'k' },
    ]);
    await expect(loadNotifiers({ PLUMBLINE_NOTIFIERS: join(dir, 'none.yaml') })).rejects.toMatchObject({
      code: 'PLB_ERR_FILE_NOT_FOUND',
    });
    rmSync(dir, { recursive: true, force: true });
  });
});
