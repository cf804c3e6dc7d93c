/**
 * Contract suite of the monitor's part of the store (metric points, columnar event reads, window
 * fingerprints, monitor state); every adapter runs it: `runMonitorStoreContract(name, factory)`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contractEvent, contractModel } from './store.contract.js';
import type { MetricPoint, Store } from './store.js';

const T0 = Date.UTC(2001, 0, 1, 10, 0, 0);
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** A metric point with defaults; override any field. */
export function contractPoint(overrides: Partial<MetricPoint> = {}): MetricPoint {
  return {
    model: contractModel.id,
    version: '*',
    window: { size: 'day', startMs: Date.UTC(2001, 0, 1) },
    segment: 'all',
    metric: 'accuracy',
    value: 0.9,
    ciLow: 0.85,
    ciHigh: 0.93,
    n: 500,
    status: 'ok',
    estimated: false,
    ...overrides,
  };
}

/** Runs the monitor-store contract against `factory` (fresh store per test). */
export function runMonitorStoreContract(name: string, factory: () => Promise<Store>): void {
  describe(`monitor store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
      await store.insertModel(contractModel);
    });
    afterEach(async () => {
      await store.close();
    });

    it('upserts metric points by key: recomputation replaces, other keys stay', async () => {
      const a = contractPoint();
      const b = contractPoint({
        metric: 'recall',
        value: null,
        ciLow: null,
        ciHigh: null,
        status: 'insufficient_data',
      });
      const c = contractPoint({
        window: { size: 'day', startMs: Date.UTC(2001, 0, 2) },
        baseline: 0.91,
        significant: true,
        detail: { test: 'psi', pValue: 0.01 },
      });
      expect(await store.insertMetricPoints([a, b, c])).toBe(3);
      await store.insertMetricPoints([{ ...a, value: 0.5, ciLow: 0.4, ciHigh: 0.6 }]);
      const got = await store.queryMetricPoints({ model: contractModel.id });
      expect(got).toHaveLength(3);
      expect(got.find((p) => p.metric === 'accuracy' && p.window.startMs === a.window.startMs)?.value).toBe(
        0.5,
      );
      expect(got.find((p) => p.metric === 'recall')).toEqual(b);
      expect(got.find((p) => p.window.startMs === c.window.startMs)).toEqual(c);
    });

    it('replaces every point of a window range, leaving other windows', async () => {
      const day = (d: number) => ({ size: 'day' as const, startMs: Date.UTC(2001, 0, 1 + d) });
      await store.insertMetricPoints([
        contractPoint({ window: day(0) }),
        contractPoint({ window: day(1) }),
        contractPoint({ window: day(1), segment: 'carrier=UA' }),
        contractPoint({ window: day(2) }),
      ]);
      const range = { fromMs: day(1).startMs, toMs: day(2).startMs };
      expect(
        await store.replaceMetricPoints(contractModel.id, range, [
          contractPoint({ window: day(1), value: 0.1 }),
        ]),
      ).toBe(1);
      const got = await store.queryMetricPoints({ model: contractModel.id });
      expect(got.map((p) => [p.window.startMs, p.segment, p.value])).toEqual([
        [day(0).startMs, 'all', 0.9],
        [day(1).startMs, 'all', 0.1],
        [day(2).startMs, 'all', 0.9],
      ]);
      await expect(
        store.replaceMetricPoints(contractModel.id, range, [contractPoint({ window: day(2) })]),
      ).rejects.toThrow(RangeError);
    });

    it('filters metric points by metric, segment, window, version and [from, to)', async () => {
      const points = [0, 1, 2, 3].flatMap((d) => [
        contractPoint({ window: { size: 'day', startMs: Date.UTC(2001, 0, 1 + d) } }),
        contractPoint({ window: { size: 'day', startMs: Date.UTC(2001, 0, 1 + d) }, segment: 'carrier=AA' }),
        contractPoint({ window: { size: 'hour', startMs: Date.UTC(2001, 0, 1 + d) }, metric: 'throughput' }),
        contractPoint({ window: { size: 'day', startMs: Date.UTC(2001, 0, 1 + d) }, version: 'v1' }),
      ]);
      await store.insertMetricPoints(points);
      const q = await store.queryMetricPoints({
        model: contractModel.id,
        metric: 'accuracy',
        segment: 'all',
        window: 'day',
        version: '*',
        fromMs: Date.UTC(2001, 0, 2),
        toMs: Date.UTC(2001, 0, 4),
      });
      expect(q.map((p) => p.window.startMs)).toEqual([Date.UTC(2001, 0, 2), Date.UTC(2001, 0, 3)]);
      expect(await store.queryMetricPoints({ model: contractModel.id, window: 'hour' })).toHaveLength(4);
      expect(await store.queryMetricPoints({ model: 'other' })).toEqual([]);
      const last = await store.queryMetricPoints({ model: contractModel.id, window: 'day', last: 2 });
      expect(last.map((p) => [p.segment, p.version, p.window.startMs])).toEqual(
        [
          ['all', '*'],
          ['all', 'v1'],
          ['carrier=AA', '*'],
        ].flatMap(([s, v]) => [2, 3].map((d) => [s, v, Date.UTC(2001, 0, 1 + d)])),
      );
      await expect(store.queryMetricPoints({ model: contractModel.id, last: 0 })).rejects.toThrow(RangeError);
    });

    it('filters metric points by a list of names and prefixes, and keeps detail only when asked', async () => {
      const detail = { test: 'psi', pValue: 0.01 };
      await store.insertMetricPoints(
        ['accuracy', 'recall', 'drift.distance', 'drift.carrier', 'quality.null_rate.distance'].map(
          (metric) => contractPoint({ metric, detail }),
        ),
      );
      const names = async (q: Omit<Parameters<Store['queryMetricPoints']>[0], 'model'>) =>
        (await store.queryMetricPoints({ model: contractModel.id, ...q })).map((p) => p.metric);
      expect(await names({ metrics: ['recall', 'accuracy'] })).toEqual(['accuracy', 'recall']);
      expect(await names({ metricPrefixes: ['drift.'] })).toEqual(['drift.carrier', 'drift.distance']);
      expect(await names({ metrics: ['recall'], metricPrefixes: ['quality.', 'drift.d'] })).toEqual([
        'drift.distance',
        'quality.null_rate.distance',
        'recall',
      ]);
      expect(await names({ metrics: [], metricPrefixes: [] })).toEqual([]);
      expect(await names({ metrics: ['recall', 'accuracy'], metric: 'recall' })).toEqual(['recall']);
      const all = await store.queryMetricPoints({ model: contractModel.id });
      expect(all.every((p) => p.detail?.pValue === 0.01)).toBe(true);
      const none = await store.queryMetricPoints({ model: contractModel.id, detail: false });
      expect(none).toHaveLength(5);
      expect(none.some((p) => 'detail' in p)).toBe(false);
      const some = await store.queryMetricPoints({ model: contractModel.id, detail: ['drift.'] });
      expect(some.filter((p) => p.detail !== undefined).map((p) => p.metric)).toEqual([
        'drift.carrier',
        'drift.distance',
      ]);
      expect(some.find((p) => p.metric === 'drift.carrier')?.detail).toEqual(detail);
    });

    it('lists the stored metrics, segments, versions and span', async () => {
      const empty = await store.queryMetricCatalog(contractModel.id);
      expect(empty).toEqual({ metrics: [], segments: [], versions: [], fromMs: null, toMs: null });
      await store.insertMetricPoints([
        contractPoint(),
        contractPoint({ window: { size: 'hour', startMs: Date.UTC(2001, 0, 3) } }),
        contractPoint({ metric: 'cbpe.accuracy', estimated: true, segment: 'carrier=AA', version: 'v1' }),
      ]);
      expect(await store.queryMetricCatalog(contractModel.id)).toEqual({
        metrics: [
          { metric: 'accuracy', windows: ['day', 'hour'], estimated: false, points: 2 },
          { metric: 'cbpe.accuracy', windows: ['day'], estimated: true, points: 1 },
        ],
        segments: ['all', 'carrier=AA'],
        versions: ['*', 'v1'],
        fromMs: Date.UTC(2001, 0, 1),
        toMs: Date.UTC(2001, 0, 3),
      });
    });

    it('reads events as typed columns with labels, dictionaries and tags, by event time', async () => {
      const events = [3, 0, 1, 2].map((i) =>
        contractEvent(i, i === 1 ? { features: { distance: null, carrier: null, weekend: true } } : {}),
      );
      await store.insertPredictions(contractModel.id, events);
      await store.insertLabels(
        contractModel.id,
        [{ eventId: 'e2', label: '1', timeMs: T0 + HOUR }],
        T0 + DAY,
      );
      const cols = await store.queryEventColumns(
        contractModel.id,
        { fromMs: T0, toMs: T0 + 3 * 60_000 },
        { tags: ['region'] },
      );
      expect(cols.n).toBe(3);
      expect(Array.from(cols.timeMs)).toEqual([T0, T0 + 60_000, T0 + 120_000]);
      expect(Array.from(cols.score)).toEqual([0.8, 0.2, 0.2]);
      expect(Array.from(cols.predicted)).toEqual([1, 0, 0]);
      expect(Array.from(cols.label)).toEqual([-1, -1, 1]);
      expect(cols.labelDelayMs[2]).toBe(HOUR - 120_000);
      expect(Number.isNaN(cols.labelDelayMs[0])).toBe(true);
      expect(cols.labelReceivedMs[2]).toBe(T0 + DAY);
      const distance = cols.features.distance;
      expect(distance.kind).toBe('numeric');
      if (distance.kind === 'numeric') {
        expect(distance.values[0]).toBe(100);
        expect(Number.isNaN(distance.values[1])).toBe(true);
      }
      const carrier = cols.features.carrier;
      if (carrier.kind !== 'dictionary') throw new Error('carrier should be a dictionary column');
      expect(Array.from(carrier.codes, (c) => (c < 0 ? null : carrier.dictionary[c]))).toEqual([
        'AA',
        null,
        'AA',
      ]);
      const weekend = cols.features.weekend;
      if (weekend.kind !== 'dictionary') throw new Error('weekend should be a dictionary column');
      expect(Array.from(weekend.codes, (c) => weekend.dictionary[c])).toEqual(['true', 'true', 'false']);
      expect(cols.tags.region.dictionary).toEqual(['us-east']);
      expect(cols.version.dictionary).toEqual(['v1']);
      const none = await store.queryEventColumns(contractModel.id, { fromMs: 0, toMs: 1 });
      expect(none.n).toBe(0);
    });

    it('fingerprints windows with event, row and label counts; a late label changes its window', async () => {
      const events = [0, 1, 2].map((i) => contractEvent(i, { timeMs: T0 + i * DAY }));
      await store.insertPredictions(contractModel.id, events, () => [
        { index: 0, weight: 1 },
        { index: 1, weight: 1 },
      ]);
      const before = await store.queryWindowFingerprints(contractModel.id, 'day');
      expect(before.map((f) => [f.startMs, f.events, f.rows, f.labels])).toEqual([
        [Date.UTC(2001, 0, 1), 1, 1, 0],
        [Date.UTC(2001, 0, 2), 1, 1, 0],
        [Date.UTC(2001, 0, 3), 1, 0, 0],
      ]);
      await store.insertLabels(
        contractModel.id,
        [{ eventId: 'e1', label: '0', timeMs: T0 + 3 * DAY }],
        T0 + 3 * DAY,
      );
      const after = await store.queryWindowFingerprints(contractModel.id, 'day', {
        fromMs: Date.UTC(2001, 0, 2),
        toMs: Date.UTC(2001, 0, 3),
      });
      expect(after.map((f) => [f.startMs, f.labels])).toEqual([[Date.UTC(2001, 0, 2), 1]]);
      const hours = await store.queryWindowFingerprints(contractModel.id, 'hour');
      expect(hours[0].startMs).toBe(T0);
    });

    it('aggregates per-stage latency quantiles per window and version', async () => {
      const stages: Record<string, number>[] = [
        { features: 1, model: 10 },
        { features: 2, model: 20 },
        { features: 3 },
      ];
      await store.insertPredictions(contractModel.id, [
        ...stages.map((s, i) => contractEvent(i, { stages: s, version: i === 2 ? 'v2' : 'v1' })),
        contractEvent(3),
      ]);
      const got = await store.queryStageLatency(contractModel.id, 'hour', { fromMs: T0, toMs: T0 + HOUR });
      const all = got.filter((g) => g.version === '*');
      expect(all.map((g) => [g.stage, g.n, g.p50])).toEqual([
        ['features', 3, 2],
        ['model', 2, 15],
      ]);
      // quantile_cont of [1, 2, 3] at 0.95: 1 + 0.95 * 2
      expect(all[0].p95).toBeCloseTo(2.9, 12);
      expect(all[0].startMs).toBe(T0);
      const v2 = got.filter((g) => g.version === 'v2');
      expect(v2.map((g) => [g.stage, g.n, g.p99])).toEqual([['features', 1, 3]]);
      expect(await store.queryStageLatency(contractModel.id, 'day', { fromMs: 0, toMs: 1 })).toEqual([]);
    });

    it('keeps monitor state as JSON per model and key', async () => {
      expect(await store.getMonitorState(contractModel.id, 'watermark')).toBeUndefined();
      await store.setMonitorState(contractModel.id, 'watermark', { a: 1 });
      await store.setMonitorState(contractModel.id, 'watermark', { a: 2 });
      expect(await store.getMonitorState(contractModel.id, 'watermark')).toEqual({ a: 2 });
    });
  });
}
