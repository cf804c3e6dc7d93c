/**
 * The one contract suite every store adapter must pass: call `runStoreContract(name, factory)`
 * from the adapter's test file with a factory that opens a fresh, empty store.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlumblineError } from '../errors.js';
import type { Model, ModelVersion, PredictionRecord, Store } from './store.js';

const T0 = Date.UTC(2001, 0, 1, 10, 0, 0);
const HOUR = 3_600_000;

/** A small binary model with one feature of each kind. */
export const contractModel: Model = {
  id: 'flights-delay',
  task: 'binary',
  schema: {
    features: [
      { name: 'distance', type: 'numeric' },
      { name: 'carrier', type: 'categorical' },
      { name: 'weekend', type: 'boolean' },
    ],
    label: { name: 'delayed', classes: ['0', '1'] },
    positiveClass: '1',
    scoreField: 'score',
    threshold: 0.5,
    segments: ['carrier', 'tags.region'],
  },
  createdAtMs: T0,
};

/** A valid prediction record; `i` varies the id, time and values. */
export function contractEvent(i: number, overrides: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    eventId: `e${i}`,
    timeMs: T0 + i * 60_000,
    version: 'v1',
    features: { distance: 100 + i, carrier: i % 2 === 0 ? 'AA' : 'UA', weekend: i % 3 === 0 },
    prediction: i % 4 === 0 ? '1' : '0',
    score: i % 4 === 0 ? 0.8 : 0.2,
    scores: null,
    latencyMs: 5 + i,
    stages: null,
    tags: { region: 'us-east' },
    ...overrides,
  };
}

/** Runs the store contract against `factory` (each test gets a fresh store, closed afterwards). */
export function runStoreContract(name: string, factory: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory();
      await store.insertModel(contractModel);
    });
    afterEach(async () => {
      await store.close();
    });

    describe('models', () => {
      it('round-trips a model and lists it', async () => {
        expect(await store.getModel(contractModel.id)).toEqual(contractModel);
        expect((await store.queryModels()).map((m) => m.id)).toEqual([contractModel.id]);
        expect(await store.getModel('nope')).toBeUndefined();
      });
      it('accepts an identical model again and refuses a different one', async () => {
        expect(await store.insertModel(contractModel)).toBe('exists');
        const other = { ...contractModel, schema: { ...contractModel.schema, threshold: 0.3 } };
        await expect(store.insertModel(other)).rejects.toMatchObject({ code: 'PLB_ERR_CONFLICT' });
      });
    });

    describe('versions', () => {
      const version: ModelVersion = {
        id: 'v1',
        model: contractModel.id,
        format: 'plumbline-gbdt',
        artifact: { bytes: new Uint8Array([1, 2, 3, 250]) },
        contentHash: 'ab'.repeat(32),
        lineage: { snapshotId: 'cd'.repeat(32), params: { depth: 3 }, codeVersion: 'abc123', seed: 7 },
        stage: 'registered',
        createdAtMs: T0,
      };
      it('round-trips artifact bytes and lineage; path artifacts too', async () => {
        expect(await store.insertModelVersion(version)).toBe('created');
        expect(await store.getModelVersion(contractModel.id, 'v1')).toEqual(version);
        const byPath = { ...version, id: 'v2', artifact: { path: '/models/v2.json' }, createdAtMs: T0 + 1 };
        await store.insertModelVersion(byPath);
        expect((await store.queryModelVersions(contractModel.id)).map((v) => v.id)).toEqual(['v1', 'v2']);
        expect((await store.getModelVersion(contractModel.id, 'v2'))?.artifact).toEqual({
          path: '/models/v2.json',
        });
        // the listing without blobs: sizes and paths, the rest as stored
        const { artifact: _a, ...v1 } = version;
        const { artifact: _b, ...v2 } = byPath;
        expect(await store.queryVersionSummaries(contractModel.id)).toEqual([
          { ...v1, artifact: { bytes: (version.artifact as { bytes: Uint8Array }).bytes.length } },
          { ...v2, artifact: { path: '/models/v2.json' } },
        ]);
      });
      it('is idempotent on identical content, conflicts on different content, 404s on unknown model', async () => {
        await store.insertModelVersion(version);
        expect(await store.insertModelVersion(version)).toBe('exists');
        await expect(
          store.insertModelVersion({ ...version, contentHash: 'ff'.repeat(32) }),
        ).rejects.toMatchObject({
          code: 'PLB_ERR_CONFLICT',
        });
        await expect(store.insertModelVersion({ ...version, model: 'nope' })).rejects.toMatchObject({
          code: 'PLB_ERR_NOT_FOUND',
        });
      });
    });

    describe('predictions', () => {
      it('stores typed features, nulls, tags, scores maps and stages exactly', async () => {
        const events = [
          contractEvent(0, { scores: { '0': 0.2, '1': 0.8 }, stages: { features: 1.5, model: 2 } }),
          contractEvent(1, { features: { distance: null, carrier: null, weekend: null } }),
        ];
        expect(await store.insertPredictions(contractModel.id, events)).toEqual({
          accepted: 2,
          duplicates: 0,
          stored: 2,
        });
        expect(await store.queryPredictions(contractModel.id)).toEqual(
          events.map((e) => ({ ...e, weight: 1 })),
        );
      });
      it('never stores an event id twice, within or across batches', async () => {
        const r1 = await store.insertPredictions(contractModel.id, [
          contractEvent(1),
          contractEvent(2),
          contractEvent(1),
        ]);
        expect(r1).toEqual({ accepted: 2, duplicates: 1, stored: 2 });
        const r2 = await store.insertPredictions(contractModel.id, [contractEvent(2), contractEvent(3)]);
        expect(r2).toEqual({ accepted: 1, duplicates: 1, stored: 1 });
        const ids = (await store.queryPredictions(contractModel.id)).map((p) => p.eventId);
        expect(ids).toEqual(['e1', 'e2', 'e3']);
        expect((await store.getCounts()).events).toBe(3);
      });
      it('serialises concurrent batches in arrival order; each id counts once', async () => {
        const batches = [0, 1, 2, 3, 4].map((b) => [b, b + 1, b + 2].map((i) => contractEvent(i)));
        const results = await Promise.all(
          batches.map((batch) => store.insertPredictions(contractModel.id, batch)),
        );
        expect(results.map((r) => r.accepted)).toEqual([3, 1, 1, 1, 1]);
        expect(results.map((r) => r.duplicates)).toEqual([0, 2, 2, 2, 2]);
        expect((await store.queryPredictions(contractModel.id)).map((p) => p.eventId)).toEqual(
          [0, 1, 2, 3, 4, 5, 6].map((i) => `e${i}`),
        );
      });
      it('filters by time range [from, to)', async () => {
        await store.insertPredictions(
          contractModel.id,
          [0, 1, 2, 3].map((i) => contractEvent(i)),
        );
        const got = await store.queryPredictions(contractModel.id, {
          fromMs: T0 + 60_000,
          toMs: T0 + 180_000,
        });
        expect(got.map((p) => p.eventId)).toEqual(['e1', 'e2']);
      });
      it('stores only selected rows with their weights while hourly counters see every event', async () => {
        const events = [0, 1, 2, 3, 4, 5].map((i) => contractEvent(i * 20));
        const r = await store.insertPredictions(contractModel.id, events, (_fresh) => [
          { index: 0, weight: 1 },
          { index: 3, weight: 5 },
        ]);
        expect(r).toEqual({ accepted: 6, duplicates: 0, stored: 2 });
        const rows = await store.queryPredictions(contractModel.id);
        expect(rows.map((p) => [p.eventId, p.weight])).toEqual([
          ['e0', 1],
          ['e60', 5],
        ]);
        const hourly = await store.queryHourlyAggregates(contractModel.id);
        expect(hourly.map((h) => [h.hourMs - T0, h.count, h.storedRows])).toEqual([
          [0, 3, 1],
          [HOUR, 3, 1],
        ]);
        // Retrying a sampled-out event is still a duplicate.
        expect(await store.insertPredictions(contractModel.id, [events[1]])).toMatchObject({ duplicates: 1 });
      });
      it('sums hourly counters across batches', async () => {
        await store.insertPredictions(contractModel.id, [contractEvent(0), contractEvent(1)]);
        await store.insertPredictions(contractModel.id, [contractEvent(2), contractEvent(4)]);
        const [h] = await store.queryHourlyAggregates(contractModel.id);
        expect(h).toMatchObject({
          version: 'v1',
          hourMs: T0,
          count: 4,
          positivePredictions: 2,
          storedRows: 4,
        });
        expect(h.scoreSum).toBeCloseTo(0.8 + 0.2 + 0.2 + 0.8, 12);
        expect(h.latencySum).toBe(5 + 6 + 7 + 9);
        expect(h.latencyMax).toBe(9);
      });
      it('writes a batch all-or-nothing', async () => {
        const bad = contractEvent(2, {
          features: { distance: 'far' as unknown as number, carrier: 'AA', weekend: true },
        });
        await expect(
          store.insertPredictions(contractModel.id, [contractEvent(1), bad]),
        ).rejects.toBeInstanceOf(PlumblineError);
        expect(await store.getCounts()).toMatchObject({ events: 0, predictions: 0 });
        expect(await store.queryHourlyAggregates(contractModel.id)).toEqual([]);
        expect(await store.insertPredictions(contractModel.id, [contractEvent(1)])).toMatchObject({
          accepted: 1,
        });
      });
      it('refuses an unknown model', async () => {
        await expect(store.insertPredictions('nope', [contractEvent(1)])).rejects.toMatchObject({
          code: 'PLB_ERR_NOT_FOUND',
        });
      });
    });

    describe('labels', () => {
      it('keeps the first label, reports different later ones as conflicts, joins by event id', async () => {
        await store.insertPredictions(contractModel.id, [contractEvent(1), contractEvent(2)]);
        const r1 = await store.insertLabels(
          contractModel.id,
          [
            { eventId: 'e1', label: '1', timeMs: T0 + 86_400_000 },
            { eventId: 'e1', label: '1', timeMs: T0 + 86_400_000 },
          ],
          T0 + 90_000_000,
        );
        expect(r1).toEqual({ accepted: 1, duplicates: 1, conflicts: [] });
        const r2 = await store.insertLabels(
          contractModel.id,
          [{ eventId: 'e1', label: '0', timeMs: T0 }],
          T0,
        );
        expect(r2).toEqual({
          accepted: 0,
          duplicates: 0,
          conflicts: [{ index: 0, eventId: 'e1', stored: '1', received: '0' }],
        });
        const [label] = await store.queryLabels(contractModel.id);
        expect(label).toEqual({
          eventId: 'e1',
          label: '1',
          timeMs: T0 + 86_400_000,
          receivedAtMs: T0 + 90_000_000,
          delayMs: 86_400_000 - 60_000,
        });
        const joined = await store.queryLabeledPredictions(contractModel.id);
        expect(joined.map((j) => [j.eventId, j.label, j.labelTimeMs])).toEqual([
          ['e1', '1', T0 + 86_400_000],
          ['e2', null, null],
        ]);
      });
      it('classifies a mixed batch: new, repeated in the batch, already stored', async () => {
        await store.insertLabels(contractModel.id, [{ eventId: 'e1', label: '1', timeMs: T0 }], T0);
        const r = await store.insertLabels(
          contractModel.id,
          [
            { eventId: 'e3', label: '1', timeMs: T0 },
            { eventId: 'e3', label: '0', timeMs: T0 },
            { eventId: 'e1', label: '1', timeMs: T0 },
            { eventId: 'e4', label: '0', timeMs: T0 },
            { eventId: 'e1', label: '0', timeMs: T0 },
          ],
          T0,
        );
        expect(r).toEqual({
          accepted: 2,
          duplicates: 1,
          conflicts: [
            { index: 1, eventId: 'e3', stored: '1', received: '0' },
            { index: 4, eventId: 'e1', stored: '1', received: '0' },
          ],
        });
        expect((await store.queryLabels(contractModel.id)).map((l) => [l.eventId, l.label])).toEqual([
          ['e1', '1'],
          ['e3', '1'],
          ['e4', '0'],
        ]);
      });
      it('stores labels that arrive before their prediction and joins them later', async () => {
        await store.insertLabels(contractModel.id, [{ eventId: 'e7', label: '0', timeMs: T0 }], T0);
        expect((await store.queryLabels(contractModel.id))[0].delayMs).toBeNull();
        await store.insertPredictions(contractModel.id, [contractEvent(7)]);
        const [j] = await store.queryLabeledPredictions(contractModel.id);
        expect([j.eventId, j.label]).toEqual(['e7', '0']);
      });
    });

    describe('snapshots', () => {
      let dir: string;
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'plb-snap-'));
      });
      it('loads a CSV file, addresses it by content, and sets it as the reference', async () => {
        const file = join(dir, 'ref.csv');
        writeFileSync(file, 'distance,carrier,delayed\n100,AA,1\n250,UA,0\n');
        const s = await store.insertSnapshotFromFile(contractModel.id, file);
        expect(s.id).toMatch(/^[0-9a-f]{64}$/);
        expect(s.rowCount).toBe(2);
        expect(s.columns.map((c) => c.name)).toEqual(['distance', 'carrier', 'delayed']);
        const copy = join(dir, 'copy.csv');
        writeFileSync(copy, 'distance,carrier,delayed\n100,AA,1\n250,UA,0\n');
        expect((await store.insertSnapshotFromFile(contractModel.id, copy)).id).toBe(s.id);
        expect(await store.querySnapshotRows(s.id, { limit: 1 })).toHaveLength(1);
        await store.setReference(contractModel.id, s.id);
        expect((await store.getReference(contractModel.id))?.id).toBe(s.id);
      });
      it('freezes a time range of stored events with their labels', async () => {
        await store.insertPredictions(
          contractModel.id,
          [0, 1, 2].map((i) => contractEvent(i)),
        );
        await store.insertLabels(contractModel.id, [{ eventId: 'e1', label: '1', timeMs: T0 }], T0);
        const s = await store.insertSnapshotFromEvents(contractModel.id, { fromMs: T0, toMs: T0 + 120_000 });
        expect(s.rowCount).toBe(2);
        const rows = await store.querySnapshotRows(s.id);
        expect(rows.map((r) => [r.event_id, r.distance, r.delayed])).toEqual([
          ['e0', 100, null],
          ['e1', 101, '1'],
        ]);
        const again = await store.insertSnapshotFromEvents(contractModel.id, {
          fromMs: T0,
          toMs: T0 + 120_000,
        });
        expect(again.id).toBe(s.id);
      });
      it('reports a missing file and an unknown snapshot', async () => {
        await expect(
          store.insertSnapshotFromFile(contractModel.id, join(dir, 'none.csv')),
        ).rejects.toMatchObject({
          code: 'PLB_ERR_FILE_NOT_FOUND',
        });
        await expect(store.setReference(contractModel.id, 'ff'.repeat(32))).rejects.toMatchObject({
          code: 'PLB_ERR_NOT_FOUND',
        });
      });
    });

    describe('api keys', () => {
      it('stores hashed keys with scopes', async () => {
        const key = {
          id: 'k1',
          hash: 'aa'.repeat(32),
          scopes: ['ingest', 'read'] as const,
          createdAtMs: T0,
          revoked: false,
        };
        await store.insertApiKey({ ...key, scopes: [...key.scopes] });
        expect(await store.getApiKey('k1')).toEqual({ ...key, scopes: ['ingest', 'read'] });
        expect(await store.getApiKey('k2')).toBeUndefined();
        expect(await store.queryApiKeys()).toHaveLength(1);
      });
    });

    it('reports a size and counts', async () => {
      await store.insertPredictions(contractModel.id, [contractEvent(1)]);
      expect(await store.getCounts()).toEqual({
        models: 1,
        versions: 0,
        events: 1,
        predictions: 1,
        labels: 0,
      });
      expect(await store.getSizeBytes()).toBeGreaterThanOrEqual(0);
    });
  });
}
