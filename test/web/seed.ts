/**
 * A small synthetic model for the dashboard tests: 8 days of events (3 reference days, a drift of
 * `x` on day 5, labels only up to day 5 so days 6–7 carry estimated performance), run through the
 * monitor and the alert rules, behind a real Fastify app on an ephemeral loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { clearProfileCache, runMonitor } from '../../src/monitor/index.js';
import { buildApp } from '../../src/server/app.js';
import { createRng } from '../../src/stats/random.js';
import { createDuckDbStore, type DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { LabelRecord, Model, PredictionRecord } from '../../src/store/store.js';
import { D0, DAY, syntheticModel, weightedIndex } from '../support/synthetic-model.js';

export { D0, DAY };

/** The seeded model. */
export const seedModel: Model = syntheticModel();

const cats = ['a', 'b', 'c', 'd'];
const catWeights = [0.4, 0.3, 0.2, 0.1];

/** Day d's events: x ~ N(shift, 1), score = logistic(1.5 x), label ~ Bernoulli(score). */
function makeDay(d: number, n: number, shift: number) {
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
      version: 'v1',
      features: { x, z: rng.normal(), cat: cats[k] },
      prediction: score >= 0.5 ? '1' : '0',
      score,
      scores: null,
      latencyMs: 10 + 5 * rng.next() + (d >= 6 ? 10 * rng.next() : 0),
      stages: null,
      tags: { region: i % 3 === 0 ? 'eu' : 'us' },
    });
    // the model gets worse in segment cat=b from day 5: labels flip for a quarter of its rows
    const flip = d >= 5 && k === 1 && rng.next() < 0.25;
    const y = rng.next() < score ? '1' : '0';
    labels.push({ eventId, label: flip ? (y === '1' ? '0' : '1') : y, timeMs: timeMs + DAY });
  }
  return { events, labels };
}

/** A running seeded server. */
export interface SeededServer {
  app: FastifyInstance;
  store: DuckDbStore;
  url: string;
  close: () => Promise<void>;
}

/** Seeds a temp DuckDB file, runs the monitor and the alert rules, and listens on 127.0.0.1. */
export async function startSeededServer(eventsPerDay = 1200): Promise<SeededServer> {
  const dir = mkdtempSync(join(tmpdir(), 'plb-web-'));
  const store = await createDuckDbStore({ path: join(dir, 'web.duckdb') });
  await store.insertModel(seedModel);
  await store.insertModel({ ...seedModel, id: 'empty' }); // a model with no events yet
  for (let d = 0; d <= 7; d++) {
    const { events, labels } = makeDay(d, eventsPerDay, d >= 5 ? 0.8 : 0);
    await store.insertPredictions(seedModel.id, events);
    if (d <= 5) await store.insertLabels(seedModel.id, labels, D0 + (d + 1) * DAY);
  }
  const snapshot = await store.insertSnapshotFromEvents(seedModel.id, { fromMs: D0, toMs: D0 + 3 * DAY });
  await store.setReference(seedModel.id, snapshot.id);
  clearProfileCache();
  const nowMs = D0 + 8 * DAY;
  await runMonitor({ store, model: seedModel.id, nowMs, fromMs: D0 + 3 * DAY, toMs: nowMs });
  const app = await buildApp({ store, now: () => nowMs });
  // explicit rules (not the defaults, which may change): performance drops are critical
  const down = { kind: 'significant', direction: 'down' };
  const rules = await app.inject({
    method: 'PUT',
    url: `/v1/models/${seedModel.id}/rules`,
    payload: {
      rules: [
        { id: 'auc', metric: 'roc_auc', condition: down, severity: 'critical' },
        { id: 'accuracy', metric: 'accuracy', condition: down, severity: 'critical' },
        {
          id: 'latency',
          metric: 'latency_p99',
          condition: { kind: 'threshold', op: '>', value: 20 },
          severity: 'warning',
        },
      ],
      grouping: { groupWait: '0s' },
    },
  });
  if (rules.statusCode !== 200) throw new Error(`rules: ${rules.body}`);
  await app.inject({ method: 'POST', url: `/v1/models/${seedModel.id}/alerts/evaluate` });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    store,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
