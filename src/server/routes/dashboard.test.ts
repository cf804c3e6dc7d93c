import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelBody } from '../../../test/server/helpers.js';
import { createDuckDbStore, type DuckDbStore } from '../../store/duckdb/duckdb-store.js';
import type { MetricPoint } from '../../store/store.js';
import { buildApp } from '../app.js';
import { MAX_BATCH } from './dashboard.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2001, 1, 1);

/** Points of three metrics × two segments × (all versions, v1) over ten days; drift with a detail. */
function points(): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const metric of ['throughput', 'roc_auc', 'drift.distance'])
    for (const segment of ['all', 'carrier=AA'])
      for (const version of ['*', 'v1'])
        for (let d = 0; d < 10; d++)
          out.push({
            model: 'flights',
            version,
            window: { size: 'day', startMs: T0 + d * DAY },
            segment,
            metric,
            value: metric === 'throughput' ? 100 + d : d / 10,
            ciLow: null,
            ciHigh: null,
            n: 100 + d,
            status: 'ok',
            estimated: false,
            ...(metric.startsWith('drift.')
              ? { baseline: 0.1, significant: d > 7, detail: { test: 'psi', reason: 'long text' } }
              : {}),
          });
  return out;
}

let store: DuckDbStore;
let app: FastifyInstance;
beforeAll(async () => {
  store = await createDuckDbStore();
  app = await buildApp({ store });
  expect((await app.inject({ method: 'POST', url: '/v1/models', payload: modelBody })).statusCode).toBe(201);
  await store.insertMetricPoints(points());
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const get = (url: string) => app.inject({ method: 'GET', url });
const bulkQueries = [
  'metrics=throughput,drift.*&window=day&detail=drift.&detailKeys=test&format=columns',
  'metrics=roc_auc&window=day&segment=*&last=3&format=columns',
  'metrics=throughput&window=day&segment=all&version=each',
  `metrics=roc_auc&window=day&from=${T0 + 2 * DAY}&to=${T0 + 5 * DAY}`,
];

describe('GET /v1/models/{model}/metrics/batch', () => {
  it('answers each query exactly as the bulk route answers it, in order', async () => {
    const res = await get(
      `/v1/models/flights/metrics/batch?${bulkQueries.map((q) => `q=${encodeURIComponent(q)}`).join('&')}`,
    );
    expect(res.statusCode).toBe(200);
    const body = res.json() as { model: string; results: unknown[] };
    expect(body.model).toBe('flights');
    expect(body.results).toHaveLength(bulkQueries.length);
    for (const [i, q] of bulkQueries.entries()) {
      const one = (await get(`/v1/models/flights/metrics/bulk?${q}`)).json() as { model: string };
      const { model, ...rest } = one;
      expect(model).toBe('flights');
      expect(body.results[i]).toEqual(rest);
    }
    // the queries did select something: last=3 keeps 3 points of each segment's series
    const second = body.results[1] as { series: { segment: string; columns: { startMs: number[] } }[] };
    expect(second.series.map((s) => [s.segment, s.columns.startMs.length])).toEqual([
      ['all', 3],
      ['carrier=AA', 3],
    ]);
  });

  it('leaves out the columns whose every value is the default', async () => {
    const res = await get(`/v1/models/flights/metrics/bulk?${bulkQueries[0]}`);
    const series = (res.json() as { series: { metric: string; segment: string; columns: object }[] }).series;
    const keys = (metric: string) =>
      Object.keys(series.find((x) => x.metric === metric && x.segment === 'all')?.columns ?? {}).sort();
    // throughput: no interval, no baseline, status ok, not estimated
    expect(keys('throughput')).toEqual(['n', 'startMs', 'value']);
    // drift: a baseline, a verdict and the kept detail
    expect(keys('drift.distance')).toEqual(['baseline', 'detail', 'n', 'significant', 'startMs', 'value']);
  });

  it('answers the same from the store in memory as from the table', async () => {
    const url = `/v1/models/flights/metrics/batch?${bulkQueries.map((q) => `q=${encodeURIComponent(q)}`).join('&')}`;
    const fromTable = (await get(url)).json();
    await store.keepMetricPointsInMemory();
    expect((await get(url)).json()).toEqual(fromTable);
  });

  it('takes a single q too', async () => {
    const res = await get(`/v1/models/flights/metrics/batch?q=${encodeURIComponent(bulkQueries[2])}`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as { results: unknown[] }).results).toHaveLength(1);
  });

  it('names the batched query and its field when one is invalid, and answers nothing else', async () => {
    const res = await get(
      `/v1/models/flights/metrics/batch?q=${encodeURIComponent(bulkQueries[0])}&q=${encodeURIComponent('metrics=roc_auc&format=csv&colour=red')}`,
    );
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: { code: string; issues: { field: string }[] } };
    expect(body.error.code).toBe('PLB_ERR_INVALID_INPUT');
    expect(body.error.issues.map((x) => x.field).sort()).toEqual(['q[1].colour', 'q[1].format']);
    expect(res.json()).not.toHaveProperty('results');
  });

  it('names the batched query when its window or metrics list is invalid', async () => {
    const res = await get(
      `/v1/models/flights/metrics/batch?q=${encodeURIComponent(bulkQueries[1])}&q=${encodeURIComponent('metrics=roc_auc&window=week')}`,
    );
    expect(res.statusCode).toBe(400);
    const issues = (res.json() as { error: { issues: { field: string }[] } }).error.issues;
    expect(issues.map((x) => x.field)).toEqual(['q[1].window']);
  });

  it(`refuses more than ${MAX_BATCH} queries, a missing q and an unknown model`, async () => {
    const many = Array.from({ length: MAX_BATCH + 1 }, () => `q=${encodeURIComponent(bulkQueries[2])}`);
    expect((await get(`/v1/models/flights/metrics/batch?${many.join('&')}`)).statusCode).toBe(400);
    expect((await get('/v1/models/flights/metrics/batch')).statusCode).toBe(400);
    expect(
      (await get(`/v1/models/nope/metrics/batch?q=${encodeURIComponent(bulkQueries[2])}`)).statusCode,
    ).toBe(404);
  });
});
