import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerRca } from '../../src/cli/commands/rca.js';
import { trainGbdt } from '../../src/models/gbdt/index.js';
import { compileModel, predictProbabilities, writeNativeModel } from '../../src/models/index.js';
import { rcaRoutes } from '../../src/server/routes/rca.js';
import { createRng } from '../../src/stats/random.js';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { PredictionRecord } from '../../src/store/store.js';
import { CARRIERS, draw, FEATURES, ORIGINS, syntheticWindow } from './synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-rca-cli-'));
const db = join(dir, 'rca.duckdb');
const artifact = join(dir, 'model.json');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const N = 2500;

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

describe('POST /v1/models/:model/rca', () => {
  it('answers the report from the newest stored version, and 400 on a bad window', async () => {
    const store = await createDuckDbStore({ path: db });
    const app = Fastify();
    await app.register(rcaRoutes({ store }));
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
