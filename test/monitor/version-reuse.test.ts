import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clearProfileCache,
  computeWindowSignals,
  loadReferenceProfile,
  rangeRows,
  runMonitor,
} from '../../src/monitor/index.js';
import { createRng } from '../../src/stats/random.js';
import { createDuckDbStore, type DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { MetricPoint, Model, PredictionRecord } from '../../src/store/store.js';
import { syntheticModel } from '../support/synthetic-model.js';

// Days holding one version only: the monitor relabels the '*' signals for that version instead of
// recomputing them; this checks them against a direct computation for the version.
const DAY = 86_400_000;
const D0 = Date.UTC(2001, 0, 1);
const model: Model = syntheticModel({
  id: 'single',
  features: [
    { name: 'x', type: 'numeric' },
    { name: 'cat', type: 'categorical' },
  ],
  segments: ['cat'],
});

let dir: string;
let store: DuckDbStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'plb-monitor-reuse-'));
  store = await createDuckDbStore({ path: join(dir, 'm.duckdb') });
  await store.insertModel(model);
  const rng = createRng(5);
  for (let d = 0; d < 5; d++) {
    const events: PredictionRecord[] = [];
    const labels = [];
    for (let i = 0; i < 600; i++) {
      const x = (d === 4 ? 0.8 : 0) + rng.normal();
      const score = 1 / (1 + Math.exp(-x));
      const eventId = `d${d}-${i}`;
      const timeMs = D0 + d * DAY + Math.floor((i / 600) * DAY);
      events.push({
        eventId,
        timeMs,
        version: d < 3 ? 'v1' : 'v2',
        features: { x, cat: ['a', 'b', 'c'][Math.floor(rng.next() * 3)] },
        prediction: score >= 0.5 ? '1' : '0',
        score,
        scores: null,
        latencyMs: 5 + 10 * rng.next(),
        stages: null,
        tags: {},
      });
      labels.push({ eventId, label: rng.next() < score ? '1' : '0', timeMs: timeMs + DAY });
    }
    await store.insertPredictions(model.id, events);
    await store.insertLabels(model.id, labels, D0 + (d + 1) * DAY);
  }
  const snapshot = await store.insertSnapshotFromEvents(model.id, { fromMs: D0, toMs: D0 + 2 * DAY });
  await store.setReference(model.id, snapshot.id);
  clearProfileCache();
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const fields = (p: MetricPoint) => ({
  metric: p.metric,
  value: p.value,
  ciLow: p.ciLow,
  ciHigh: p.ciHigh,
  n: p.n,
  status: p.status,
  significant: p.significant ?? null,
  baseline: p.baseline ?? null,
});
const byMetric = (a: { metric: string }, b: { metric: string }) => (a.metric < b.metric ? -1 : 1);

describe('runMonitor on days holding a single version', () => {
  it("writes the version's day and hour signals as computed directly for its rows", async () => {
    await runMonitor({ store, model: model.id, nowMs: D0 + 6 * DAY });
    const stored = await store.queryMetricPoints({ model: model.id, version: 'v2' });
    const profile = await loadReferenceProfile(store, (await store.getModel(model.id))!);
    for (const size of ['day', 'hour'] as const) {
      const startMs = D0 + 4 * DAY + (size === 'hour' ? 5 * 3_600_000 : 0);
      const range = { fromMs: startMs, toMs: startMs + (size === 'day' ? DAY : 3_600_000) };
      const cols = await store.queryEventColumns(model.id, range, { tags: [] });
      const direct = computeWindowSignals({
        model,
        columns: cols,
        rows: rangeRows(0, cols.n),
        window: { size, startMs },
        version: 'v2',
        segment: 'all',
        profile,
        events: cols.n,
      });
      const got = stored.filter(
        (p) => p.window.size === size && p.window.startMs === startMs && p.segment === 'all',
      );
      expect(got.length, size).toBe(direct.length);
      expect(got.map(fields).sort(byMetric), size).toEqual(direct.map(fields).sort(byMetric));
    }
    // the shifted day is flagged for the version too
    expect(stored.find((p) => p.metric === 'drift.x' && p.window.startMs === D0 + 4 * DAY)?.significant).toBe(
      true,
    );
  });
});
