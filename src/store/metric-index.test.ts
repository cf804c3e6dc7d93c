import { afterEach, describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../stats/random.js';
import { createDuckDbStore, type DuckDbStore } from './duckdb/duckdb-store.js';
import { compareText, MetricPointIndex } from './metric-index.js';
import type { MetricPoint, MetricPointQuery, WindowSize } from './store.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2001, 1, 1);
const metrics = [
  'accuracy',
  'drift.distance',
  'drift.origin',
  'missing_rate.origin',
  'roc_auc',
  'throughput',
];
const segments = ['all', 'origin=ATL', 'origin=ORD', 'tags.pipeline=v2', 'dest=Zürich', 'dest=𝔸'];
const versions = ['*', 'v1', 'v1.1'];

/** A random point of model `model` (some nulls, NaN, baselines, flags and details). */
function randomPoint(rng: Rng, model: string): MetricPoint {
  const size: WindowSize = rng.next() < 0.5 ? 'day' : 'hour';
  const startMs = T0 + rng.int(size === 'day' ? 20 : 480) * (size === 'day' ? DAY : HOUR);
  const maybe = (v: number) => (rng.next() < 0.15 ? null : rng.next() < 0.05 ? Number.NaN : v);
  const p: MetricPoint = {
    model,
    version: versions[rng.int(versions.length)],
    window: { size, startMs },
    segment: segments[rng.int(segments.length)],
    metric: metrics[rng.int(metrics.length)],
    value: maybe(rng.next()),
    ciLow: maybe(rng.next() / 2),
    ciHigh: maybe(0.5 + rng.next() / 2),
    n: rng.int(1000),
    status: rng.next() < 0.1 ? 'insufficient_data' : 'ok',
    estimated: rng.next() < 0.2,
  };
  if (rng.next() < 0.5) p.baseline = rng.next() < 0.1 ? Number.POSITIVE_INFINITY : rng.next();
  if (rng.next() < 0.5) p.significant = rng.next() < 0.5;
  if (rng.next() < 0.3)
    p.detail = { test: 'psi', adjustedPValue: rng.next(), gone: undefined, bad: Number.NaN };
  return p;
}

/** A random query over the generated keys (every filter sometimes absent). */
function randomQuery(rng: Rng, model: string): MetricPointQuery {
  const pick = <T>(xs: T[]) => (rng.next() < 0.5 ? undefined : xs[rng.int(xs.length)]);
  const q: MetricPointQuery = { model };
  const segment = pick(segments);
  if (segment !== undefined) q.segment = segment;
  const window = pick<WindowSize>(['day', 'hour']);
  if (window !== undefined) q.window = window;
  const version = pick(versions);
  if (version !== undefined) q.version = version;
  if (rng.next() < 0.1) q.metric = metrics[rng.int(metrics.length)];
  if (rng.next() < 0.5) q.metrics = metrics.filter(() => rng.next() < 0.3);
  if (rng.next() < 0.3) q.metricPrefixes = rng.next() < 0.5 ? ['drift.'] : ['drift.', 'missing_'];
  if (rng.next() < 0.4) q.fromMs = T0 + rng.int(20) * DAY + rng.int(24) * HOUR;
  if (rng.next() < 0.4) q.toMs = T0 + rng.int(20) * DAY;
  const detail = rng.int(4);
  if (detail === 1) q.detail = false;
  if (detail === 2) q.detail = [];
  if (detail === 3) q.detail = ['drift.'];
  if (rng.next() < 0.3) q.last = 1 + rng.int(5);
  return q;
}

/** `n` random points, each key once (a batch with a key twice keeps both rows in SQL, one in memory). */
function batch(rng: Rng, n: number, model: () => string): MetricPoint[] {
  const byKey = new Map<string, MetricPoint>();
  for (let i = 0; i < n; i++) {
    const p = randomPoint(rng, model());
    byKey.set(`${p.model} ${p.metric} ${p.segment} ${p.version} ${p.window.size} ${p.window.startMs}`, p);
  }
  return [...byKey.values()];
}

const opened: DuckDbStore[] = [];
const open = async () => {
  const s = await createDuckDbStore();
  opened.push(s);
  return s;
};
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

describe('MetricPointIndex against the DuckDB store (same writes, same queries)', () => {
  it('answers 300 random queries and the catalog exactly as the SQL does, through upserts, range replacements and a load midway', async () => {
    const rng = createRng(20011);
    const table = await open(); // answers from SQL
    const memory = await open(); // keeps the points in memory from the third write on (a load midway)
    const write = async (step: number) => {
      const model = step % 3 === 0 ? 'other' : 'm';
      if (step % 4 === 3) {
        const fromMs = T0 + rng.int(15) * DAY;
        const range = { fromMs, toMs: fromMs + (1 + rng.int(4)) * DAY };
        const points = batch(rng, 60, () => model).filter(
          (p) => p.window.startMs >= range.fromMs && p.window.startMs < range.toMs,
        );
        for (const s of [table, memory]) await s.replaceMetricPoints(model, range, points);
      } else {
        const points = batch(rng, 400, () => (rng.next() < 0.8 ? model : 'other'));
        for (const s of [table, memory]) await s.insertMetricPoints(points);
      }
    };
    for (let step = 0; step < 3; step++) await write(step);
    await memory.keepMetricPointsInMemory();
    for (let step = 3; step < 12; step++) await write(step);
    for (let i = 0; i < 300; i++) {
      const q = randomQuery(rng, i % 5 === 0 ? 'other' : 'm');
      const want = await table.queryMetricPoints(q);
      expect(await memory.queryMetricPoints(q), JSON.stringify(q)).toEqual(want);
    }
    for (const model of ['m', 'other', 'absent'])
      expect(await memory.queryMetricCatalog(model)).toEqual(await table.queryMetricCatalog(model));
    // the generated writes did reach the store (the comparison is not between two empty answers)
    expect((await table.queryMetricPoints({ model: 'm' })).length).toBeGreaterThan(1000);
  });

  it('keeps a write that commits while the points are loading', async () => {
    const rng = createRng(7);
    const table = await open();
    const memory = await open();
    const first = batch(rng, 2000, () => 'm');
    for (const s of [table, memory]) await s.insertMetricPoints(first);
    const second = batch(rng, 500, () => 'm');
    await table.insertMetricPoints(second);
    // the load starts, and the write is issued before it finishes
    await Promise.all([memory.keepMetricPointsInMemory(), memory.insertMetricPoints(second)]);
    expect(await memory.queryMetricPoints({ model: 'm' })).toEqual(
      await table.queryMetricPoints({ model: 'm' }),
    );
  });

  it('rejects an invalid last as the SQL path does', () => {
    const index = new MetricPointIndex('m');
    expect(() => index.query({ model: 'm', last: 0 })).toThrow(/invalid last: 0/);
  });

  it('orders text by code point, as DuckDB orders VARCHAR (UTF-8 bytes)', () => {
    // U+FF21 (fullwidth A) sorts before U+1D538 (𝔸) by code point, after it by UTF-16 unit
    expect(compareText('\uFF21', '𝔸')).toBeLessThan(0);
    expect('\uFF21' < '𝔸').toBe(false);
    expect(compareText('a', 'b')).toBeLessThan(0);
    expect(compareText('ab', 'a')).toBeGreaterThan(0);
  });
});
