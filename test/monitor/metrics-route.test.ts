import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createDuckDbStore, type DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { contractPoint } from '../../src/store/monitor.contract.js';
import { contractModel } from '../../src/store/store.contract.js';

const DAY = 86_400_000;
const D0 = Date.UTC(2001, 0, 1);
let store: DuckDbStore;
let app: FastifyInstance;

beforeAll(async () => {
  store = await createDuckDbStore();
  await store.insertModel(contractModel);
  const values = [0.9, 0.8, 0.7, 0.6];
  await store.insertMetricPoints([
    ...values.map((value, d) => contractPoint({ window: { size: 'day', startMs: D0 + d * DAY }, value })),
    contractPoint({ segment: 'carrier=AA', value: 0.5 }),
    contractPoint({
      metric: 'throughput',
      window: { size: 'hour', startMs: D0 },
      value: 42,
      ciLow: null,
      ciHigh: null,
    }),
  ]);
  app = await buildApp({ store });
});

afterAll(async () => {
  await app.close();
  await store.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /v1/models/:model/metrics', () => {
  it('returns a day series of a metric and segment, in window order', async () => {
    const res = await get(`/v1/models/${contractModel.id}/metrics?metric=accuracy`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      model: contractModel.id,
      metric: 'accuracy',
      window: 'day',
      segment: 'all',
    });
    expect(body.points.map((p: { value: number }) => p.value)).toEqual([0.9, 0.8, 0.7, 0.6]);
    expect(body.points[0]).toMatchObject({
      window: { size: 'day', startMs: D0 },
      ciLow: 0.85,
      n: 500,
      status: 'ok',
    });
  });
  it('filters by ISO or epoch-ms times and by segment and window', async () => {
    const iso = await get(
      `/v1/models/${contractModel.id}/metrics?metric=accuracy&from=2001-01-02&to=2001-01-04`,
    );
    expect(iso.json().points).toHaveLength(2);
    const ms = await get(
      `/v1/models/${contractModel.id}/metrics?metric=accuracy&from=${D0 + DAY}&to=${D0 + 2 * DAY}`,
    );
    expect(ms.json().points).toHaveLength(1);
    const seg = await get(`/v1/models/${contractModel.id}/metrics?metric=accuracy&segment=carrier%3DAA`);
    expect(seg.json().points.map((p: { value: number }) => p.value)).toEqual([0.5]);
    const hour = await get(`/v1/models/${contractModel.id}/metrics?metric=throughput&window=hour`);
    expect(hour.json().points[0].value).toBe(42);
  });
  it('smooths with ewma and rolling, keeping the raw value', async () => {
    const res = await get(`/v1/models/${contractModel.id}/metrics?metric=accuracy&smooth=ewma:0.5`);
    const pts = res.json().points as { value: number; raw: number }[];
    expect(pts.map((p) => p.value)).toEqual([0.9, 0.85, 0.775, 0.6875].map((v) => expect.closeTo(v, 12)));
    expect(pts[1].raw).toBe(0.8);
    const rolling = await get(`/v1/models/${contractModel.id}/metrics?metric=accuracy&smooth=rolling:2`);
    expect(rolling.json().points.map((p: { value: number }) => p.value)).toEqual(
      [0.9, 0.85, 0.75, 0.65].map((v) => expect.closeTo(v, 12)),
    );
  });
  it.each([
    ['window=week', 'window'],
    ['from=yesterday', 'from'],
    ['from=2001-01-05&to=2001-01-01', 'to'],
    ['smooth=ewma:2', 'smooth'],
    ['smooth=median:3', 'smooth'],
  ])('answers 400 naming the parameter for %s', async (query, field) => {
    const res = await get(`/v1/models/${contractModel.id}/metrics?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PLB_ERR_INVALID_INPUT');
    expect(res.json().error.issues.map((i: { field: string }) => i.field)).toContain(field);
  });
  it('answers 404 for an unknown model and 400 for an unknown parameter', async () => {
    expect((await get('/v1/models/nope/metrics')).statusCode).toBe(404);
    expect((await get(`/v1/models/${contractModel.id}/metrics?colour=red`)).statusCode).toBe(400);
  });
});

describe('GET /v1/models/:model/metrics/catalog', () => {
  it('lists metrics with their windows, segments and versions', async () => {
    const res = await get(`/v1/models/${contractModel.id}/metrics/catalog`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      model: contractModel.id,
      metrics: [
        { metric: 'accuracy', windows: ['day'], points: 5 },
        { metric: 'throughput', windows: ['hour'], points: 1 },
      ],
      segments: ['all', 'carrier=AA'],
      versions: ['*'],
    });
  });
});
