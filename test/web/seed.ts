/**
 * A small synthetic model for the dashboard tests: 8 days of events (3 reference days, a drift of
 * `x` on day 5, labels only up to day 5 so days 6–7 carry estimated performance, version v2 deployed
 * on day 6 for a third of the traffic), a small trained tree model registered as v1 and v2 (so RCA
 * runs), run through the monitor and the alert rules, behind a real Fastify app on an ephemeral
 * loopback port. The AUC rule escalates through a three-level policy: the rules are evaluated 50,
 * 35 and 0 minutes before `now`, so its firing alert has reached level 2 with a notification per
 * level, delivered to named `log` targets (no network).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { type RejectState, rejectStateKey } from '../../src/ingest/rejects.js';
import { trainGbdt } from '../../src/models/gbdt/index.js';
import { writeNativeModel } from '../../src/models/index.js';
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
      version: d >= DEPLOY_DAY && i % 3 === 1 ? 'v2' : 'v1', // not the eu rows (i % 3 === 0): no confounding
      features: { x, z: rng.normal(), cat: cats[k] },
      prediction: score >= 0.5 ? '1' : '0',
      score,
      scores: null,
      latencyMs: 10 + 5 * rng.next() + (d >= DEPLOY_DAY && i % 3 === 1 ? 20 * rng.next() : 0), // v2 is slower
      stages: null,
      tags: { region: i % 3 === 0 ? 'eu' : 'us' },
    });
    // the model gets worse in segment cat=b from day 5: labels flip for half of its rows
    const flip = d >= 5 && k === 1 && rng.next() < 0.5;
    const y = rng.next() < score ? '1' : '0';
    labels.push({ eventId, label: flip ? (y === '1' ? '0' : '1') : y, timeMs: timeMs + DAY });
  }
  return { events, labels };
}

/** The day a third of the traffic moves to version v2. */
export const DEPLOY_DAY = 6;

/** A small tree model of y on x, z and cat, trained on reference-like rows (bytes of the native format). */
function trainedArtifact(): string {
  const rng = createRng(77);
  const n = 3000;
  const columns = { x: new Float64Array(n), z: new Float64Array(n), cat: new Float64Array(n) };
  const label = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    columns.x[i] = rng.normal();
    columns.z[i] = rng.normal();
    columns.cat[i] = weightedIndex(rng.next(), catWeights);
    label[i] = rng.next() < 1 / (1 + Math.exp(-1.5 * columns.x[i])) ? 1 : 0;
  }
  const features = [
    { name: 'x', type: 'numeric' as const },
    { name: 'z', type: 'numeric' as const },
    { name: 'cat', type: 'categorical' as const, categories: cats },
  ];
  return writeNativeModel(
    trainGbdt(
      { features, columns: [columns.x, columns.z, columns.cat], label },
      { nTrees: 20, maxDepth: 3, eta: 0.3 },
    ).model,
  );
}

const MIN = 60_000;
/** Minutes before `now` of the first alert evaluation (the AUC alert fires then). */
const ESCALATION_START_MIN = 50;
const escalationTargets = ['team-chat', 'oncall-pager', 'eng-lead'];

/** The AUC rule's policy: the team's chat, after 15 min the on-call pager, after 30 more the lead. */
export const escalationPolicy = {
  id: 'oncall',
  levels: [
    { targets: ['team-chat'], timeout: '15m' },
    { targets: ['oncall-pager'], timeout: '30m' },
    { targets: ['eng-lead'] },
  ],
};

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
  const native = trainedArtifact();
  for (const [id, stage, day] of [
    ['v1', 'champion', 0],
    ['v2', 'canary', DEPLOY_DAY],
  ] as const)
    await store.insertModelVersion({
      id,
      model: seedModel.id,
      format: 'plumbline-gbdt',
      artifact: { bytes: new TextEncoder().encode(native) },
      contentHash: createHash('sha256').update(native).digest('hex'),
      lineage: { seed: 77 },
      stage,
      createdAtMs: D0 + day * DAY,
    });
  for (let d = 0; d <= 7; d++) {
    const { events, labels } = makeDay(d, eventsPerDay, d >= 5 ? 0.8 : 0);
    await store.insertPredictions(seedModel.id, events);
    if (d <= 5) await store.insertLabels(seedModel.id, labels, D0 + (d + 1) * DAY);
  }
  const snapshot = await store.insertSnapshotFromEvents(seedModel.id, { fromMs: D0, toMs: D0 + 3 * DAY });
  await store.setReference(seedModel.id, snapshot.id);
  // rejected events as the ingest service records them (src/ingest/rejects.ts): two bad hours
  await store.setMonitorState(seedModel.id, rejectStateKey, {
    hours: { [D0 + 6 * DAY + 10 * 60 * MIN]: 30, [D0 + 7 * DAY + 14 * 60 * MIN]: 6 },
  } satisfies RejectState);
  clearProfileCache();
  const nowMs = D0 + 8 * DAY;
  await runMonitor({ store, model: seedModel.id, nowMs, fromMs: D0 + 3 * DAY, toMs: nowMs });
  // named targets of the escalation levels, read by buildApp from $PLUMBLINE_NOTIFIERS
  const notifiers = join(dir, 'notifiers.json');
  writeFileSync(
    notifiers,
    JSON.stringify({ notifiers: escalationTargets.map((name) => ({ name, type: 'log' })) }),
  );
  const before = process.env.PLUMBLINE_NOTIFIERS;
  process.env.PLUMBLINE_NOTIFIERS = notifiers;
  let clock = nowMs - ESCALATION_START_MIN * MIN;
  const app = await buildApp({ store, now: () => clock }).finally(() => {
    if (before === undefined) delete process.env.PLUMBLINE_NOTIFIERS;
    else process.env.PLUMBLINE_NOTIFIERS = before;
  });
  // explicit rules (not the defaults, which may change): performance drops are critical
  const down = { kind: 'significant', direction: 'down' };
  const rules = await app.inject({
    method: 'PUT',
    url: `/v1/models/${seedModel.id}/rules`,
    payload: {
      rules: [
        { id: 'auc', metric: 'roc_auc', condition: down, severity: 'critical', escalation: 'oncall' },
        { id: 'accuracy', metric: 'accuracy', condition: down, severity: 'critical' },
        {
          id: 'latency',
          metric: 'latency_p99',
          condition: { kind: 'threshold', op: '>', value: 20 },
          severity: 'warning',
        },
      ],
      escalationPolicies: [escalationPolicy],
      grouping: { groupWait: '0s' },
    },
  });
  if (rules.statusCode !== 200) throw new Error(`rules: ${rules.body}`);
  // fires (level 0), then 15 min later level 1, then 35 min later (30 min after level 1) level 2
  for (const minutesBefore of [ESCALATION_START_MIN, ESCALATION_START_MIN - 15, 0]) {
    clock = nowMs - minutesBefore * MIN;
    const r = await app.inject({ method: 'POST', url: `/v1/models/${seedModel.id}/alerts/evaluate` });
    if (r.statusCode !== 200) throw new Error(`evaluate: ${r.body}`);
  }
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
