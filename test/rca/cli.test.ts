import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emptyAlertState } from '../../src/alerts/evaluate.js';
import { AlertManager } from '../../src/alerts/manager.js';
import { defaultRules } from '../../src/alerts/rules.js';
import type { AlertRule } from '../../src/alerts/types.js';
import { registerRca } from '../../src/cli/commands/rca.js';
import { trainGbdt } from '../../src/models/gbdt/index.js';
import { compileModel, predictProbabilities, writeNativeModel } from '../../src/models/index.js';
import { buildApp } from '../../src/server/app.js';
import { createAlertRcaRunner, planAlertRca, segmentOfLabel } from '../../src/server/rca-runner.js';
import { alertView } from '../../src/server/routes/alerts.js';
import { rcaRoutes } from '../../src/server/routes/rca.js';
import { createRng } from '../../src/stats/random.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { MetricPoint, PredictionRecord, Store } from '../../src/store/store.js';
import { CARRIERS, draw, FEATURES, ORIGINS, syntheticWindow } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-rca-cli-'));
const db = join(dir, 'rca.duckdb');
const artifact = join(dir, 'model.json');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const N = 2500;

/** The day after T0's ROC-AUC, significantly below its 0.8 baseline: the point that fires the performance rule. */
const rocAucDrop = (): MetricPoint => ({
  model: 'flights',
  version: '*',
  window: { size: 'day', startMs: T0 + DAY },
  segment: 'all',
  metric: 'roc_auc',
  value: 0.6,
  ciLow: 0.55,
  ciHigh: 0.65,
  n: N,
  status: 'ok',
  estimated: false,
  baseline: 0.8,
  significant: true,
});

beforeAll(async () => {
  const train = draw(createRng(1), 3000);
  const { model } = trainGbdt(
    { features: FEATURES, columns: train.columns, label: train.labels },
    { nTrees: 30, maxDepth: 4, eta: 0.2 },
  );
  const native = writeNativeModel(model);
  writeFileSync(artifact, native);
  const compiled = compileModel(model);
  const store = await createDuckDbStore({ path: db });
  await store.insertModel({
    id: 'flights',
    task: 'binary',
    schema: {
      features: FEATURES.map((f) => ({ name: f.name, type: f.type })),
      label: { name: 'delayed', classes: ['0', '1'] },
      positiveClass: '1',
      scoreField: 'score',
      threshold: 0.5,
      segments: ['origin', 'tags.pipeline'],
    },
    createdAtMs: T0,
  });
  await store.insertModelVersion({
    id: '1.0',
    model: 'flights',
    format: 'plumbline-gbdt',
    artifact: { bytes: new TextEncoder().encode(native) },
    contentHash: createHash('sha256').update(native).digest('hex'),
    lineage: {},
    stage: 'champion',
    createdAtMs: T0,
  });
  const rng = createRng(9);
  for (const day of [0, 1]) {
    const w = syntheticWindow(200 + day, N, T0 + day * DAY);
    // day 1: pipeline v2 on 30 % of the events multiplies distance by 1.609
    if (day === 1)
      for (let r = 0; r < N; r++)
        if (rng.next() < 0.3) {
          w.tags.pipeline[r] = 'v2';
          w.columns.distance[r] *= 1.609;
        }
    const scores = predictProbabilities(compiled, w.columns);
    const events: PredictionRecord[] = Array.from({ length: N }, (_, r) => ({
      eventId: `d${day}-${r}`,
      timeMs: w.timeMs[r],
      version: '1.0',
      features: {
        distance: w.columns.distance[r],
        dep_hour: w.columns.dep_hour[r],
        taxi_out: w.columns.taxi_out[r],
        origin: ORIGINS[w.columns.origin[r]],
        carrier: CARRIERS[w.columns.carrier[r]],
      },
      prediction: scores[r] >= 0.5 ? '1' : '0',
      score: scores[r],
      scores: null,
      latencyMs: w.latencyMs[r],
      stages: null,
      tags: { pipeline: w.tags.pipeline[r] ?? 'v1' },
    }));
    await store.insertPredictions('flights', events);
    await store.insertLabels(
      'flights',
      events.map((e, r) => ({ eventId: e.eventId, label: String(w.labels[r]), timeMs: e.timeMs + 1000 })),
      T0 + 3 * DAY,
    );
  }
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerRca(program);
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'plumbline', ...args]);
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('plumbline rca', () => {
  const base = ['rca', '--model', 'flights', '--db', db, '--artifact', artifact];
  it('names pipeline v2 from the stored events (JSON), baseline defaulting to the previous day', async () => {
    const from = new Date(T0 + DAY).toISOString();
    const to = new Date(T0 + 2 * DAY).toISOString();
    const report = JSON.parse(await run([...base, '--from', from, '--to', to, '--format', 'json']));
    expect(report.window.n).toBe(N);
    expect(report.baseline.n).toBe(N);
    expect(report.hypotheses[0].subject.tag).toEqual({ pipeline: 'v2' });
    expect(JSON.stringify(report.hypotheses[0].evidence)).toContain('distance');
    expect(report.caveats.length).toBeGreaterThanOrEqual(4);
  });

  it('prints the text summary and rejects a bad segment', async () => {
    const text = await run([...base, '--from', String(T0 + DAY), '--to', String(T0 + 2 * DAY)]);
    expect(text).toMatch(/^Root-cause analysis of error_rate/);
    expect(text).toContain('[pipeline] pipeline=v2');
    const html = await run([
      ...base,
      '--from',
      String(T0 + DAY),
      '--to',
      String(T0 + 2 * DAY),
      '--format',
      'html',
    ]);
    expect(html).toMatch(/^<!doctype html>[\s\S]*pipeline=v2/);
    await expect(
      run([...base, '--from', String(T0 + DAY), '--to', String(T0 + 2 * DAY), '--segment', 'oops']),
    ).rejects.toThrow(/key=value/);
  });
});

describe('RCA routes', () => {
  it('POST runs, stores and answers the report with its id; GET lists and shows it; 400 on a bad window', async () => {
    const store = await createDuckDbStore({ path: db });
    const app = Fastify();
    await app.register(rcaRoutes({ store, now: () => T0 + 3 * DAY }));
    try {
      const ok = await app.inject({
        method: 'POST',
        url: '/v1/models/flights/rca',
        payload: { from: new Date(T0 + DAY).toISOString(), to: T0 + 2 * DAY, tags: ['pipeline'] },
      });
      expect(ok.statusCode).toBe(200);
      const report = ok.json();
      expect(report.hypotheses[0].kind).toBe('pipeline');
      expect(report.hypotheses[0].subject.tag).toEqual({ pipeline: 'v2' });
      expect(report.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(report.trigger.baseline).toEqual({
        kind: 'preceding',
        ranges: [{ fromMs: T0, toMs: T0 + DAY }],
      });
      expect(report.charts.shares.some((s: { value: string }) => s.value === 'v2')).toBe(true);

      const list = await app.inject({ method: 'GET', url: '/v1/models/flights/rca' });
      expect(list.statusCode).toBe(200);
      const [first] = list.json().reports;
      expect(first).toMatchObject({
        id: report.id,
        createdAtMs: T0 + 3 * DAY,
        top: { kind: 'pipeline', subject: { tag: { pipeline: 'v2' } } },
      });
      const shown = await app.inject({ method: 'GET', url: `/v1/models/flights/rca/${report.id}` });
      expect(shown.json()).toEqual(report);
      const html = await app.inject({
        method: 'GET',
        url: `/v1/models/flights/rca/${report.id}?format=html`,
      });
      expect(html.headers['content-type']).toMatch(/text\/html/);
      expect(html.body).toContain('pipeline=v2');
      expect(html.body).toContain('<svg');
      const missing = await app.inject({ method: 'GET', url: '/v1/models/flights/rca/nope' });
      expect(missing.statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/v1/models/other/rca' })).json()).toEqual({
        reports: [],
      });

      const bad = await app.inject({
        method: 'POST',
        url: '/v1/models/flights/rca',
        payload: { from: 'yesterday', to: T0 },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toMatch(/invalid RCA request/);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

/** The store's alert config: the default performance rule alone, firing at once. */
async function performanceRuleOnly(store: Store): Promise<void> {
  const rule = defaultRules({ id: 'flights' }).find((r) => r.kind === 'performance') as AlertRule;
  await store.setAlertConfig('flights', {
    rules: [{ ...rule, forMs: 0 }],
    inhibitRules: [],
    escalationPolicies: [],
    grouping: {},
  });
}

describe('RCA when an alert fires', () => {
  it('AlertManager runs the RCA of a firing alert, stores it and keeps its id on the episode', async () => {
    const store = await createDuckDbStore({ path: db });
    try {
      await performanceRuleOnly(store);
      const point = rocAucDrop();
      const seen: string[] = [];
      const runner = createAlertRcaRunner(store, { baseline: 'preceding' });
      const manager = new AlertManager({
        store,
        now: () => T0 + 2 * DAY,
        onFiring: async (alert, now) => {
          seen.push(alert.fingerprint);
          return runner(alert, now);
        },
      });
      const out = await manager.evaluate('flights', { points: [point], now: T0 + 2 * DAY });
      expect(out.transitions.some((t) => t.to === 'firing')).toBe(true);
      const [alert] = Object.values((await manager.getState('flights')).alerts.alerts);
      expect(seen).toEqual([alert.fingerprint]);
      const rcaId = alert.episodes.at(-1)?.rcaId as string;
      expect(alertView('flights', alert).rcaId).toBe(rcaId);
      const row = await store.getRcaReport('flights', rcaId);
      expect(row?.window).toEqual({ fromMs: T0 + DAY, toMs: T0 + 2 * DAY });
      expect(row?.baseline).toEqual({ fromMs: T0, toMs: T0 + DAY });
      expect(row?.trigger).toMatchObject({ metric: 'error_rate', alertId: alert.fingerprint });
      const top = (row?.report.hypotheses as { kind: string; subject: unknown }[] | undefined)?.[0];
      expect(top).toMatchObject({ kind: 'pipeline', subject: { tag: { pipeline: 'v2' } } });
      // a second evaluation with the alert still firing runs no new analysis
      await manager.evaluate('flights', { points: [point], now: T0 + 2 * DAY + 60_000 });
      expect(seen).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});

describe('planAlertRca', () => {
  const labels = { model: 'm', kind: 'performance', metric: 'roc_auc', segment: 'all', version: '*' };
  it('day alerts: the firing day against the same weekday of the three weeks before', () => {
    const p = planAlertRca({
      fingerprint: 'f',
      labels,
      firedAtMs: T0 + 30 * DAY,
      activeAtMs: T0 + 29 * DAY,
      windowSize: 'day',
    });
    expect(p.window).toEqual({ fromMs: T0 + 29 * DAY, toMs: T0 + 30 * DAY });
    expect(p.baselines.map((b) => (b.fromMs - T0) / DAY)).toEqual([22, 15, 8]);
    expect(p).toMatchObject({ metric: 'error_rate', baselineKind: 'seasonal', alertId: 'f' });
    expect(p.segment).toBeUndefined();
  });
  it('hour alerts reach back to the first window that held, at most 6 h; latency metric; tag segments', () => {
    const p = planAlertRca({
      fingerprint: 'f',
      labels: { ...labels, kind: 'latency', metric: 'latency_p99', segment: 'tags.region=eu' },
      firedAtMs: T0 + 10 * 3_600_000,
      activeAtMs: T0 + 8 * 3_600_000,
      windowSize: 'hour',
    });
    expect(p.window).toEqual({ fromMs: T0 + 7 * 3_600_000, toMs: T0 + 10 * 3_600_000 });
    expect(p.metric).toBe('latency_p99');
    expect(p.segment).toEqual({ region: 'eu' });
    expect(p.baselines[0]).toEqual({
      fromMs: T0 + 7 * 3_600_000 - 7 * DAY,
      toMs: T0 + 10 * 3_600_000 - 7 * DAY,
    });
    const long = planAlertRca({
      ...{ fingerprint: 'f', labels, windowSize: 'hour' as const },
      firedAtMs: T0 + DAY,
      activeAtMs: T0,
    });
    expect(long.window.toMs - long.window.fromMs).toBe(6 * 3_600_000);
  });
  it('drift and quality alerts keep their metric and feature; the reference baseline when asked', () => {
    const ref = { fromMs: T0 - 10 * DAY, toMs: T0 };
    const p = planAlertRca(
      {
        fingerprint: 'f',
        labels: {
          ...labels,
          kind: 'data_quality',
          metric: 'missing_rate.destination',
          feature: 'destination',
          segment: 'origin=ORD',
        },
        firedAtMs: T0 + 5 * DAY,
        activeAtMs: null,
        windowSize: 'day',
      },
      { baseline: 'reference', reference: ref },
    );
    expect(p).toMatchObject({
      metric: 'missing_rate.destination',
      feature: 'destination',
      segment: { origin: 'ORD' },
    });
    expect(p.baselines).toEqual([ref]);
    expect(p.baselineKind).toBe('reference');
    expect(segmentOfLabel('all')).toBeUndefined();
  });
});

describe('the server runs RCA when an alert fires', () => {
  it('POST …/alerts/evaluate fires the alert; GET /v1/alerts/{id} carries its rcaId; the report names pipeline v2', async () => {
    const store = await createDuckDbStore({ path: db });
    await performanceRuleOnly(store);
    await store.setAlertState('flights', { alerts: emptyAlertState(), notifications: [], watermarks: {} });
    await store.insertMetricPoints([rocAucDrop()]);
    const app = await buildApp({ store, now: () => T0 + 2 * DAY });
    try {
      const ev = await app.inject({ method: 'POST', url: '/v1/models/flights/alerts/evaluate' });
      expect(ev.statusCode).toBe(200);
      const [alert] = (await app.inject({ method: 'GET', url: '/v1/alerts?state=firing' })).json().alerts;
      expect(alert.rcaId).toEqual(expect.any(String));
      const shown = (await app.inject({ method: 'GET', url: `/v1/alerts/${alert.id}` })).json();
      expect(shown.alert.rcaId).toBe(alert.rcaId);
      const report = await app.inject({ method: 'GET', url: `/v1/models/flights/rca/${alert.rcaId}` });
      expect(report.statusCode).toBe(200);
      // no events three weeks back: the seasonal baseline fell back to the day before
      expect(report.json().trigger.baseline).toEqual({
        kind: 'preceding',
        ranges: [{ fromMs: T0, toMs: T0 + DAY }],
      });
      expect(report.json().hypotheses[0]).toMatchObject({
        kind: 'pipeline',
        subject: { tag: { pipeline: 'v2' } },
      });
    } finally {
      await app.close();
      await store.close();
    }
  });
});
