import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearProfileCache, runMonitor } from '../../src/monitor/index.js';
import { createRng } from '../../src/stats/random.js';
import { wilsonInterval } from '../../src/stats/wilson.js';
import { createDuckDbStore, type DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { LabelRecord, MetricPoint, Model, PredictionRecord } from '../../src/store/store.js';
import { D0, DAY, syntheticModel, weightedIndex } from '../support/synthetic-model.js';

const model: Model = syntheticModel();
const cats = ['a', 'b', 'c', 'd', 'e'];
const catWeights = [0.4, 0.25, 0.15, 0.12, 0.08];

/** Day d's events: x ~ N(shift, 1), score = logistic(x), label ~ Bernoulli(score). */
function makeDay(d: number, n: number, shift = 0) {
  const rng = createRng(1000 + d);
  const events: PredictionRecord[] = [];
  const labels: LabelRecord[] = [];
  for (let i = 0; i < n; i++) {
    const x = shift + rng.normal();
    const score = 1 / (1 + Math.exp(-1.5 * x));
    const k = weightedIndex(rng.next(), catWeights);
    const eventId = `d${d}-${i}`;
    const timeMs = D0 + d * DAY + Math.floor((i / n) * DAY);
    events.push({
      eventId,
      timeMs,
      version: i % 4 === 0 ? 'v2' : 'v1',
      features: { x, z: rng.normal(), cat: cats[k] },
      prediction: score >= 0.5 ? '1' : '0',
      score,
      scores: null,
      latencyMs: 10 + 5 * rng.next(),
      stages: d === 4 ? { features: 1 + (i % 10), model: 20 } : null,
      tags: { region: i % 3 === 0 ? 'eu' : 'us' },
    });
    labels.push({ eventId, label: rng.next() < score ? '1' : '0', timeMs: timeMs + DAY });
  }
  return { events, labels };
}

let dir: string;
let store: DuckDbStore;
const pending = new Map<number, LabelRecord[]>();

const find = (points: MetricPoint[], metric: string, day: number, extra: Partial<MetricPoint> = {}) =>
  points.find(
    (p) =>
      p.metric === metric &&
      p.window.size === 'day' &&
      p.window.startMs === D0 + day * DAY &&
      p.segment === (extra.segment ?? 'all') &&
      p.version === (extra.version ?? '*'),
  );

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plb-monitor-'));
  store = await createDuckDbStore({ path: join(dir, 'm.duckdb') });
  await store.insertModel(model);
  // days 0–2 reference; 3–7 monitored with x shifted on day 5; day 8 has 50 events only
  for (let d = 0; d <= 8; d++) {
    const { events, labels } = makeDay(d, d === 8 ? 50 : 1500, d === 5 ? 1 : 0);
    await store.insertPredictions(model.id, events);
    if (d <= 3) await store.insertLabels(model.id, labels, D0 + (d + 1) * DAY);
    else pending.set(d, labels);
  }
  const snapshot = await store.insertSnapshotFromEvents(model.id, { fromMs: D0, toMs: D0 + 3 * DAY });
  await store.setReference(model.id, snapshot.id);
  clearProfileCache();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runMonitor on synthetic events (real DuckDB)', () => {
  let points: MetricPoint[];
  it('computes every day and hour once, then nothing when nothing changed', async () => {
    const stages: string[] = [];
    const r = await runMonitor({
      store,
      model: model.id,
      nowMs: D0 + 9 * DAY,
      topN: 3,
      onProgress: (p) => stages.push(p.stage),
    });
    expect(r.daysComputed).toBe(9);
    expect(r.referenceId).toMatch(/^[0-9a-f]{64}$/);
    expect(stages[0]).toBe('reference');
    expect(stages.at(-1)).toBe('done');
    points = await store.queryMetricPoints({ model: model.id });
    const again = await runMonitor({ store, model: model.id, nowMs: D0 + 9 * DAY, topN: 3 });
    expect(again.daysComputed).toBe(0);
    expect(again.daysSkipped).toBe(9);
  });

  it('writes the same points when the days are read in several prefetched chunks', async () => {
    const key = (p: MetricPoint) =>
      [p.version, p.window.size, p.window.startMs, p.segment, p.metric].join('|');
    const sorted = (ps: MetricPoint[]) => [...ps].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const r = await runMonitor({
      store,
      model: model.id,
      nowMs: D0 + 9 * DAY,
      topN: 3,
      full: true,
      chunkDays: 2,
    });
    expect(r.daysComputed).toBe(9);
    const chunked = await store.queryMetricPoints({ model: model.id });
    expect(chunked.length).toBe(points.length);
    expect(sorted(chunked)).toEqual(sorted(points));
  });

  it('flags drift of the shifted feature on its day only, and never the others', () => {
    for (let d = 3; d <= 7; d++) {
      const x = find(points, 'drift.x', d)!;
      expect(x.status, `day ${d}`).toBe('ok');
      expect(x.significant, `drift.x day ${d}`).toBe(d === 5);
      expect(find(points, 'drift.z', d)!.significant, `drift.z day ${d}`).toBe(false);
      expect(find(points, 'drift.cat', d)!.significant, `drift.cat day ${d}`).toBe(false);
    }
    // the shift moves the scores and the positive rate too
    expect(find(points, 'score_drift', 5)!.significant).toBe(true);
    expect(find(points, 'positive_rate', 5)!.significant).toBe(true);
    expect(find(points, 'positive_rate', 4)!.significant).toBe(false);
  });

  it('reports a labelled day with its accuracy and Wilson interval', () => {
    const day = makeDay(3, 1500);
    let correct = 0;
    day.events.forEach((e, i) => {
      if (e.prediction === day.labels[i].label) correct++;
    });
    const acc = find(points, 'accuracy', 3)!;
    expect(acc.status).toBe('ok');
    expect(acc.n).toBe(1500);
    expect(acc.value).toBeCloseTo(correct / 1500, 14);
    const ci = wilsonInterval(correct, 1500);
    if ('status' in ci) throw new Error('interval expected');
    expect(acc.ciLow).toBeCloseTo(ci.low, 14);
    expect(acc.ciHigh).toBeCloseTo(ci.high, 14);
    expect(find(points, 'label_coverage', 3)!.value).toBe(1);
    expect(find(points, 'label_delay_p50', 3)!.value).toBe(DAY);
    // unlabelled day: metrics insufficient, estimates present and marked
    expect(find(points, 'accuracy', 4)!.status).toBe('insufficient_data');
    const est = find(points, 'cbpe.accuracy', 4)!;
    expect(est.estimated).toBe(true);
    expect(est.ciLow!).toBeLessThan(est.value!);
  });

  it('gives insufficient_data below minSamples, never a verdict', () => {
    const x = find(points, 'drift.x', 8)!;
    expect(x.status).toBe('insufficient_data');
    expect(x.significant).toBeUndefined();
    expect(find(points, 'positive_rate', 8)!.status).toBe('insufficient_data');
    expect(find(points, 'throughput', 8)!.value).toBe(50);
  });

  it('reports the top-N segments by volume only, and versions separately', () => {
    const segs = new Set(points.filter((p) => p.window.startMs === D0 + 4 * DAY).map((p) => p.segment));
    expect([...segs].sort()).toEqual(['all', 'cat=a', 'cat=b', 'cat=c', 'tags.region=eu', 'tags.region=us']);
    const v2 = find(points, 'throughput', 4, { version: 'v2' })!;
    expect(v2.value).toBe(375);
    expect(find(points, 'throughput', 4)!.value).toBe(1500);
    const hours = points.filter(
      (p) => p.metric === 'throughput' && p.window.size === 'hour' && p.version === '*',
    );
    expect(
      hours.filter((p) => p.window.startMs >= D0 + 4 * DAY && p.window.startMs < D0 + 5 * DAY),
    ).toHaveLength(24);
    expect(points.some((p) => p.window.size === 'hour' && p.metric.startsWith('drift.'))).toBe(false);
    // per-stage latency on the day that carries stages: features = 1 + (i mod 10), so p50 = 5.5
    expect(find(points, 'latency_p50.features', 4)!.value).toBeCloseTo(5.5, 12);
    expect(find(points, 'latency_p99.model', 4)!.n).toBe(1500);
    expect(find(points, 'latency_p50.features', 3)).toBeUndefined();
  });

  it('recomputes the window of late labels, and only it', async () => {
    await store.insertLabels(model.id, pending.get(6)!, D0 + 10 * DAY);
    const r = await runMonitor({ store, model: model.id, nowMs: D0 + 10 * DAY, topN: 3 });
    expect(r.daysComputed).toBe(1);
    const after = await store.queryMetricPoints({ model: model.id, metric: 'accuracy', window: 'day' });
    const day6 = after.find(
      (p) => p.window.startMs === D0 + 6 * DAY && p.segment === 'all' && p.version === '*',
    )!;
    expect(day6.status).toBe('ok');
    expect(day6.n).toBe(1500);
  });
});

describe('runMonitor with a file reference without scores', () => {
  it('tests drift against the file, skips CBPE and baselines, and says so', async () => {
    const fileStore = await createDuckDbStore();
    await fileStore.insertModel(model);
    const ref = makeDay(0, 1500);
    const csv = join(dir, 'ref.csv');
    writeFileSync(
      csv,
      `x,z,cat\n${ref.events.map((e) => `${e.features.x},${e.features.z},${e.features.cat}`).join('\n')}\n`,
    );
    const snapshot = await fileStore.insertSnapshotFromFile(model.id, csv);
    await fileStore.setReference(model.id, snapshot.id);
    for (const d of [1, 2])
      await fileStore.insertPredictions(model.id, makeDay(d, 1500, d === 2 ? 1 : 0).events);
    const r = await runMonitor({ store: fileStore, model: model.id, nowMs: D0 + 3 * DAY, windows: ['day'] });
    expect(r.referenceId).toBe(snapshot.id);
    expect(r.notes.join(' ')).toMatch(/no labelled scores/);
    const pts = await fileStore.queryMetricPoints({ model: model.id });
    expect(find(pts, 'drift.x', 1)!.significant).toBe(false);
    expect(find(pts, 'drift.x', 2)!.significant).toBe(true);
    expect(pts.some((p) => p.metric.startsWith('cbpe.'))).toBe(false);
    expect(pts.some((p) => p.window.size === 'hour')).toBe(false);
    await fileStore.close();
  });
});
