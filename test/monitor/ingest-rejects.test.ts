import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/alerts/evaluate.js';
import { defaultRules } from '../../src/alerts/rules.js';
import { RejectRecorder, rejectStateKey } from '../../src/ingest/rejects.js';
import { IngestService } from '../../src/ingest/service.js';
import { clearProfileCache, runMonitor } from '../../src/monitor/index.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { D0, syntheticModel } from '../support/synthetic-model.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-rejects-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HOUR = 3_600_000;

const event = (i: number, hour: number) => ({
  eventId: `e${hour}-${i}`,
  timestamp: new Date(D0 + hour * HOUR + i * 1000).toISOString(),
  version: 'v1',
  features: { x: 0.1, z: 0.2, cat: 'a' },
  prediction: '1',
  score: 0.7,
  latencyMs: 5,
});

describe('ingest rejects as monitor points', () => {
  it('records rejected batches per arrival hour and the monitor writes ingest_reject_rate, which alerts', async () => {
    const store = await createDuckDbStore({ path: join(dir, 'r.duckdb') });
    try {
      const model = syntheticModel();
      await store.insertModel(model);
      let now = D0 + 10 * 60_000; // hour 0
      const ingest = new IngestService(store, { now: () => now });
      await ingest.ingestPredictions(
        model.id,
        Array.from({ length: 90 }, (_, i) => event(i, 0)),
      );
      const bad = Array.from({ length: 10 }, (_, i) => ({
        ...event(i, 0),
        eventId: `bad-${i}`,
        score: 'high',
      }));
      await expect(ingest.ingestPredictions(model.id, bad)).rejects.toMatchObject({ statusCode: 400 });
      now = D0 + HOUR + 60_000; // hour 1: 40 accepted, 60 rejected in two batches
      await ingest.ingestPredictions(
        model.id,
        Array.from({ length: 40 }, (_, i) => event(i, 1)),
      );
      for (const k of [0, 1])
        await expect(
          ingest.ingestPredictions(
            model.id,
            Array.from({ length: 30 }, (_, i) => ({
              ...event(i, 1),
              eventId: `bad1-${k}-${i}`,
              score: null,
            })),
          ),
        ).rejects.toThrow(/nothing was stored/);
      await ingest.rejectsRecorded();
      clearProfileCache();
      await runMonitor({ store, model: model.id, nowMs: D0 + 2 * HOUR, windows: ['hour', 'day'] });
      const pts = await store.queryMetricPoints({ model: model.id, window: 'hour' });
      const rate = pts
        .filter((p) => p.metric === 'ingest_reject_rate')
        .sort((a, b) => a.window.startMs - b.window.startMs);
      expect(rate.map((p) => [p.window.startMs - D0, p.value, p.n])).toEqual([
        [0, 10 / 100, 100],
        [HOUR, 60 / 100, 100],
      ]);
      // the default rule: above 5 % for an hour (for: 1h) → firing at the end of hour 1
      const r = evaluateAlerts({ rules: defaultRules(model), points: rate, now: D0 + 2 * HOUR });
      const alert = Object.values(r.state.alerts).find((a) => a.ruleId.endsWith(':ingest_rejects'));
      expect(alert?.status).toBe('firing');
      expect(alert?.firedAtMs).toBe(D0 + 2 * HOUR);
    } finally {
      await store.close();
    }
  });

  it('coalesces a storm of rejects into a few writes, counting every event', async () => {
    const store = await createDuckDbStore({ path: join(dir, 'storm.duckdb') });
    try {
      await store.insertModel(syntheticModel());
      let writes = 0;
      const counted = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'setMonitorState')
            return (...args: Parameters<typeof store.setMonitorState>) => {
              writes++;
              return target.setMonitorState(...args);
            };
          const v = Reflect.get(target, key, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
      const recorder = new RejectRecorder(counted, { now: () => D0 + 5 * HOUR + 1 });
      for (let i = 0; i < 1000; i++) recorder.record('synth', 3);
      await recorder.flushed();
      expect(writes).toBeLessThanOrEqual(2);
      expect(await store.getMonitorState('synth', rejectStateKey)).toEqual({
        hours: { [D0 + 5 * HOUR]: 3000 },
      });
      expect(() => recorder.record('synth', -1)).toThrow(/invalid count: -1/);
    } finally {
      await store.close();
    }
  });
});
