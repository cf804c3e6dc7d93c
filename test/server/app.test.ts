import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { createApiKey } from '../../src/server/auth.js';
import { createDuckDbStore, type DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { modelBody, prediction } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'plb-app-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let store: DuckDbStore;
let app: FastifyInstance;

async function setup(options: Partial<Parameters<typeof buildApp>[0]> = {}) {
  store = await createDuckDbStore();
  app = await buildApp({ store, bodyLimit: 256 * 1024, now: () => Date.UTC(2001, 0, 6), ...options });
}
afterEach(async () => {
  await app?.close();
  await store?.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers });

describe('models', () => {
  beforeEach(() => setup());
  it('creates a model (201), accepts the same again (200), refuses a different one (409)', async () => {
    const r = await post('/v1/models', modelBody);
    expect(r.statusCode).toBe(201);
    expect(r.json().model.schema).toMatchObject({ scoreField: 'score', threshold: 0.5 });
    expect((await post('/v1/models', modelBody)).statusCode).toBe(200);
    const other = { ...modelBody, schema: { ...modelBody.schema, threshold: 0.3 } };
    expect((await post('/v1/models', other)).json().error.code).toBe('PLB_ERR_CONFLICT');
    const list = await app.inject({ method: 'GET', url: '/v1/models' });
    expect(list.json().models.map((m: { id: string }) => m.id)).toEqual(['flights']);
    const show = await app.inject({ method: 'GET', url: '/v1/models/flights' });
    expect(show.json()).toMatchObject({ model: { id: 'flights' }, versions: [], reference: null });
  });
  it('lists every schema problem with its field', async () => {
    const bad = {
      id: 'bad model!',
      schema: { ...modelBody.schema, positiveClass: undefined, features: [{ name: 'x', type: 'float' }] },
    };
    const r = await post('/v1/models', bad);
    expect(r.statusCode).toBe(400);
    const issues = r.json().error.issues as { field: string; expected: string }[];
    expect(issues.map((i) => i.field).sort()).toEqual([
      'id',
      'schema.features.0.type',
      'schema.positiveClass',
    ]);
    const semantic = await post('/v1/models', {
      ...modelBody,
      schema: { ...modelBody.schema, positiveClass: 'yes' },
    });
    expect(semantic.json().error.issues).toEqual([
      { field: 'schema.positiveClass', value: 'yes', expected: 'one of 0, 1' },
    ]);
  });
  it('answers 404 for an unknown model and an unknown route', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/models/nope' })).json().error.code).toBe(
      'PLB_ERR_NOT_FOUND',
    );
    expect((await app.inject({ method: 'GET', url: '/v2/what' })).statusCode).toBe(404);
  });
});

describe('predictions and labels', () => {
  beforeEach(async () => {
    await setup();
    await post('/v1/models', modelBody);
  });
  it('acknowledges a batch and never stores a retried event twice', async () => {
    const batch = [prediction(1), prediction(2), prediction(1)];
    const r = await post('/v1/models/flights/predictions', batch);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ accepted: 2, duplicates: 1, stored: 2 });
    expect((await post('/v1/models/flights/predictions', batch)).json()).toEqual({
      accepted: 0,
      duplicates: 3,
      stored: 0,
    });
    expect((await store.getCounts()).predictions).toBe(2);
  });
  it('reads NDJSON bodies', async () => {
    const body = `${[prediction(1), prediction(2)].map((e) => JSON.stringify(e)).join('\n')}\n`;
    const r = await post('/v1/models/flights/predictions', body, { 'content-type': 'application/x-ndjson' });
    expect(r.json()).toEqual({ accepted: 2, duplicates: 0, stored: 2 });
    const bad = await post('/v1/models/flights/predictions', '{"a":1}\nnot json', {
      'content-type': 'application/x-ndjson',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0]).toMatchObject({ index: 1, field: 'body' });
  });
  it('rejects the whole batch, listing each problem, and stores nothing', async () => {
    const batch = [
      prediction(1),
      prediction(2, { score: 1.2 }),
      prediction(3, { features: { colour: 'red' } as never }),
      prediction(4, { timestamp: 'soon' }),
      prediction(5, { features: { distance: 'far' } as never }),
    ];
    const r = await post('/v1/models/flights/predictions', batch);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('PLB_ERR_INVALID_INPUT');
    expect(r.json().error.issues).toEqual([
      { index: 1, field: 'score', value: 1.2, expected: 'a probability in [0, 1]' },
      {
        index: 2,
        field: 'features.colour',
        value: 'red',
        expected: 'a feature of model flights (unknown feature colour)',
      },
      {
        index: 3,
        field: 'timestamp',
        value: 'soon',
        expected: 'an ISO 8601 timestamp with a zone or epoch milliseconds (1970–2200)',
      },
      {
        index: 4,
        field: 'features.distance',
        value: 'far',
        expected: 'a finite number or null (numeric feature)',
      },
    ]);
    expect(await store.getCounts()).toMatchObject({ events: 0, predictions: 0 });
  });
  it('gives clear errors for unknown model, non-array, bad JSON, big bodies and other media types', async () => {
    const unknown = await post('/v1/models/nope/predictions', [prediction(1)]);
    expect([unknown.statusCode, unknown.json().error.issues[0].field]).toEqual([404, 'model']);
    const obj = await post('/v1/models/flights/predictions', { events: [] });
    expect([obj.statusCode, obj.json().error.issues[0].field]).toEqual([400, 'body']);
    const json = await post('/v1/models/flights/predictions', '[{"eventId":', {
      'content-type': 'application/json',
    });
    expect([json.statusCode, json.json().error.issues[0].field]).toEqual([400, 'body']);
    const big = Array.from({ length: 2000 }, (_, i) => prediction(i));
    const large = await post('/v1/models/flights/predictions', big);
    expect([large.statusCode, large.json().error.code]).toEqual([413, 'PLB_ERR_PAYLOAD_TOO_LARGE']);
    const text = await post('/v1/models/flights/predictions', 'hello', { 'content-type': 'text/csv' });
    expect([text.statusCode, text.json().error.code]).toEqual([415, 'PLB_ERR_UNSUPPORTED_MEDIA_TYPE']);
    expect((await store.getCounts()).events).toBe(0);
  });
  it('keeps the first label, reports conflicts, and accepts labels before predictions', async () => {
    const labels = [
      { eventId: 'ev-1', label: '1', timestamp: '2001-01-06T10:00:00Z' },
      { eventId: 'ev-9', label: 0, timestamp: '2001-01-06T10:00:00Z' },
    ];
    expect((await post('/v1/models/flights/labels', labels)).json()).toEqual({
      accepted: 2,
      duplicates: 0,
      conflicts: [],
    });
    const again = await post('/v1/models/flights/labels', [{ ...labels[0], label: '0' }, labels[1]]);
    expect(again.json()).toEqual({
      accepted: 0,
      duplicates: 1,
      conflicts: [{ index: 0, eventId: 'ev-1', stored: '1', received: '0' }],
    });
    const bad = await post('/v1/models/flights/labels', [{ eventId: 'x', label: 'maybe', timestamp: 1 }]);
    expect(bad.json().error.issues[0]).toMatchObject({ index: 0, field: 'label', value: 'maybe' });
  });
  it('exposes Prometheus metrics for accepted, duplicate and rejected batches', async () => {
    await post('/v1/models/flights/predictions', [prediction(1), prediction(1)]);
    await post('/v1/models/flights/predictions', [prediction(2, { score: 7 })]);
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('plumbline_ingest_events_total{outcome="accepted"} 1');
    expect(text).toContain('plumbline_ingest_events_total{outcome="duplicate"} 1');
    expect(text).toContain('plumbline_ingest_rejected_batches_total{reason="invalid"} 1');
    expect(text).toContain('plumbline_ingest_batch_seconds_count 1');
    expect(text).toMatch(/plumbline_ingest_queue_depth 0/);
    expect(text).toMatch(/plumbline_store_size_bytes \d+/);
  });
});

describe('sampling', () => {
  it('stores a weighted sample above the row budget while counting every event', async () => {
    await setup({ ingest: { maxStoredRowsPerSecond: 10, seed: 3 } });
    await post('/v1/models', modelBody);
    const batch = Array.from({ length: 200 }, (_, i) => prediction(i, { score: 0.02, prediction: '0' }));
    const r = (await post('/v1/models/flights/predictions', batch)).json();
    expect(r).toEqual({ accepted: 200, duplicates: 0, stored: 10 });
    const rows = await store.queryPredictions('flights');
    expect(rows.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(200, 9);
    const [hour] = await store.queryHourlyAggregates('flights');
    expect([hour.count, hour.storedRows]).toEqual([200, 10]);
  });
});

describe('versions and reference', () => {
  beforeEach(async () => {
    await setup();
    await post('/v1/models', modelBody);
  });
  it('registers a version with the SHA-256 of its bytes; a missing path is a 404', async () => {
    const bytes = Buffer.from('{"format":"plumbline-gbdt"}');
    const r = await post('/v1/models/flights/versions', {
      id: 'v1',
      format: 'plumbline-gbdt',
      artifactBase64: bytes.toString('base64'),
      lineage: { seed: 7, codeVersion: 'abc' },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json().version.contentHash).toBe(createHash('sha256').update(bytes).digest('hex'));
    // the model lists its versions with the artifact's size, not its bytes
    const listed = (await app.inject({ method: 'GET', url: '/v1/models/flights' })).json().versions;
    expect(listed.map((v: { id: string; artifact: unknown }) => [v.id, v.artifact])).toEqual([
      ['v1', { bytes: bytes.length }],
    ]);
    const missing = await post('/v1/models/flights/versions', {
      id: 'v2',
      format: 'xgboost-json',
      artifactPath: join(dir, 'none.json'),
    });
    expect([missing.statusCode, missing.json().error.issues[0].field]).toEqual([404, 'artifactPath']);
    const neither = await post('/v1/models/flights/versions', { id: 'v3', format: 'onnx' });
    expect(neither.statusCode).toBe(400);
  });
  it('sets the reference from a file and from a time range of events', async () => {
    const file = join(dir, 'ref.csv');
    writeFileSync(file, 'distance,carrier,weekend,delayed\n100,AA,false,1\n');
    const byFile = await post('/v1/models/flights/reference', { path: file });
    expect(byFile.statusCode).toBe(201);
    expect(byFile.json().snapshot.rowCount).toBe(1);
    await post('/v1/models/flights/predictions', [prediction(1), prediction(2)]);
    const byRange = await post('/v1/models/flights/reference', {
      from: '2001-01-05T00:00:00Z',
      to: '2001-01-06T00:00:00Z',
    });
    expect(byRange.json().snapshot).toMatchObject({ rowCount: 2, source: { kind: 'events' } });
    const both = await post('/v1/models/flights/reference', { path: file, from: 1 });
    expect(both.statusCode).toBe(400);
    const show = await app.inject({ method: 'GET', url: '/v1/models/flights' });
    expect(show.json().reference.id).toBe(byRange.json().snapshot.id);
  });
});

describe('auth', () => {
  it('requires a key with the right scope once keys exist', async () => {
    store = await createDuckDbStore();
    const admin = createApiKey(['admin'], 0);
    const ingest = createApiKey(['ingest'], 0);
    await store.insertApiKey(admin.key);
    await store.insertApiKey(ingest.key);
    app = await buildApp({ store });
    const bearer = (s: string) => ({ authorization: `Bearer ${s}` });
    expect((await post('/v1/models', modelBody)).statusCode).toBe(401);
    expect((await post('/v1/models', modelBody, bearer(ingest.secret))).statusCode).toBe(403);
    // Change the secret's last character (to 'A', or 'B' if it already is 'A': the last of 43 base64url characters is one of A, Q, g, w).
    const tampered = `${admin.secret.slice(0, -1)}${admin.secret.endsWith('A') ? 'B' : 'A'}`;
    expect((await post('/v1/models', modelBody, bearer(tampered))).statusCode).toBe(401);
    expect((await post('/v1/models', modelBody, bearer(admin.secret))).statusCode).toBe(201);
    expect(
      (await post('/v1/models/flights/predictions', [prediction(1)], bearer(ingest.secret))).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('lets a read key list RCA reports but not run one (running stores a report)', async () => {
    store = await createDuckDbStore();
    const admin = createApiKey(['admin'], 0);
    const read = createApiKey(['read'], 0);
    await store.insertApiKey(admin.key);
    await store.insertApiKey(read.key);
    app = await buildApp({ store });
    const bearer = (s: string) => ({ authorization: `Bearer ${s}` });
    expect((await post('/v1/models', modelBody, bearer(admin.secret))).statusCode).toBe(201);
    const rca = { from: '2001-02-01T00:00:00Z', to: '2001-02-02T00:00:00Z' };
    expect((await post('/v1/models/flights/rca', rca, bearer(read.secret))).statusCode).toBe(403);
    const list = await app.inject({
      method: 'GET',
      url: '/v1/models/flights/rca',
      headers: bearer(read.secret),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().reports).toEqual([]);
  });
});

describe('openapi', () => {
  it('documents every route with its body schema', async () => {
    await setup();
    const doc = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/*',
      '/health',
      '/metrics',
      '/v1/alerts',
      '/v1/alerts/{id}',
      '/v1/alerts/{id}/ack',
      '/v1/auth/whoami',
      '/v1/models',
      '/v1/models/{model}',
      '/v1/models/{model}/alerts/evaluate',
      '/v1/models/{model}/features/{feature}/distribution',
      '/v1/models/{model}/labels',
      '/v1/models/{model}/metrics',
      '/v1/models/{model}/metrics/batch',
      '/v1/models/{model}/metrics/bulk',
      '/v1/models/{model}/metrics/catalog',
      '/v1/models/{model}/predictions',
      '/v1/models/{model}/rca',
      '/v1/models/{model}/rca/{id}',
      '/v1/models/{model}/reference',
      '/v1/models/{model}/rules',
      '/v1/models/{model}/versions',
      '/v1/openapi.json',
      '/v1/silences',
      '/v1/silences/{id}',
    ]);
    const op = doc.paths['/v1/models/{model}/predictions'].post;
    expect(Object.keys(op.requestBody.content)).toEqual(['application/json', 'application/x-ndjson']);
    expect(op.requestBody.content['application/json'].schema.items.required).toContain('eventId');
  });
});
