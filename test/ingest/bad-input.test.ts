/**
 * Property: every malformed prediction batch — 10 000 generated — is answered 4xx with a
 * field-level issue naming the broken field and event index, never 5xx, and writes nothing.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../src/ingest/validate.js';
import { buildApp } from '../../src/server/app.js';
import { createDuckDbStore, type DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { modelBody, prediction } from '../server/helpers.js';

let store: DuckDbStore;
let app: FastifyInstance;
beforeAll(async () => {
  store = await createDuckDbStore();
  app = await buildApp({ store, bodyLimit: 64 * 1024 });
  await app.inject({ method: 'POST', url: '/v1/models', payload: modelBody });
  await app.inject({ method: 'POST', url: '/v1/models/flights/predictions', payload: [prediction(0)] });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

type Event = Record<string, unknown> & { features: Record<string, unknown> };
/** A corruption: the field it breaks and how. */
type Mutation = { field: string; apply: (e: Event) => unknown };

const notIn = (values: string[]) => fc.string({ maxLength: 12 }).filter((s) => !values.includes(s));
const nonNumber = fc.oneof(fc.string({ maxLength: 8 }), fc.boolean(), fc.constant({}), fc.constant([1]));
const badScore = fc.oneof(
  fc.double({ min: 1.000001, max: 1e300, noNaN: true }),
  fc.double({ max: -1e-9, min: -1e300, noNaN: true }),
  fc.string({ maxLength: 5 }),
  fc.constant(null),
  fc.boolean(),
);
const badTimestamp = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => parseTimestamp(s) === undefined),
  fc.double({ min: 7.3e12, max: 1e300, noNaN: true }),
  fc.integer({ max: -1 }),
  fc.constant(null),
  fc.boolean(),
  fc.constant({}),
);
const set =
  (field: string, value: unknown): Mutation['apply'] =>
  (e) => {
    e[field] = value;
    return e;
  };
const setFeature =
  (name: string, value: unknown): Mutation['apply'] =>
  (e) => {
    e.features[name] = value;
    return e;
  };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .oneof(
      fc.constant(''),
      fc.string({ minLength: 129, maxLength: 140 }),
      nonNumber.filter((v) => typeof v !== 'string'),
      fc.integer(),
    )
    .map((v) => ({ field: 'eventId', apply: set('eventId', v) })),
  badTimestamp.map((v) => ({ field: 'timestamp', apply: set('timestamp', v) })),
  badScore.map((v) => ({ field: 'score', apply: set('score', v) })),
  fc
    .record({ cls: notIn(['0', '1']), p: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ cls, p }) => ({ field: `score.${cls}`, apply: set('score', { [cls]: p, '1': 0.5 }) })),
  notIn(['0', '1']).map((v) => ({ field: 'prediction', apply: set('prediction', v) })),
  fc
    .oneof(fc.double({ max: -1e-9, min: -1e9, noNaN: true }), fc.string({ maxLength: 4 }), fc.constant(null))
    .map((v) => ({ field: 'latencyMs', apply: set('latencyMs', v) })),
  fc
    .record({
      name: fc.stringMatching(/^[a-z]{1,10}$/).filter((n) => !['distance', 'carrier', 'weekend'].includes(n)),
      v: fc.jsonValue(),
    })
    .map(({ name, v }) => ({ field: `features.${name}`, apply: setFeature(name, v) })),
  nonNumber.map((v) => ({ field: 'features.distance', apply: setFeature('distance', v) })),
  fc
    .oneof(fc.integer(), fc.boolean(), fc.constant({}))
    .map((v) => ({ field: 'features.carrier', apply: setFeature('carrier', v) })),
  fc
    .oneof(fc.integer(), fc.string({ maxLength: 5 }))
    .map((v) => ({ field: 'features.weekend', apply: setFeature('weekend', v) })),
  fc
    .oneof(fc.constant(null), fc.integer(), fc.string(), fc.constant([]))
    .map((v) => ({ field: 'features', apply: set('features', v) })),
  fc
    .oneof(fc.integer(), fc.constant('x'), fc.constant([]))
    .map((v) => ({ field: 'tags', apply: set('tags', v) })),
  fc
    .constantFrom('eventId', 'timestamp', 'version', 'features', 'prediction', 'score', 'latencyMs')
    .map((k) => ({
      field: k,
      apply: (e: Event) => {
        delete e[k];
        return e;
      },
    })),
  fc
    .stringMatching(/^[a-z]{1,10}$/)
    .filter(
      (k) =>
        ![
          'eventid',
          'timestamp',
          'version',
          'features',
          'prediction',
          'score',
          'latencyms',
          'stages',
          'tags',
        ].includes(k),
    )
    .map((k) => ({ field: k, apply: set(k, 1) })),
  fc
    .oneof(fc.integer(), fc.string(), fc.constant(null), fc.array(fc.integer()))
    .map((v) => ({ field: '', apply: () => v })),
);

const batch = fc.record({
  size: fc.integer({ min: 1, max: 4 }),
  bad: fc.array(fc.record({ at: fc.nat(), mutation }), { minLength: 1, maxLength: 3 }),
  base: fc.integer({ min: 1, max: 1_000_000 }),
});

describe('malformed prediction batches', () => {
  it('answers 10 000 of them 4xx with field-level issues and stores nothing', async () => {
    const before = await store.getCounts();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(batch, async ({ size, bad, base }) => {
        runs++;
        const events: unknown[] = Array.from(
          { length: size },
          (_, i) => prediction(base + i) as unknown as Event,
        );
        const expected = new Map<number, string>();
        for (const { at, mutation: m } of bad) {
          const i = at % size;
          if (expected.has(i)) continue;
          const copy = structuredClone(events[i]) as Event;
          events[i] = m.apply(copy);
          expected.set(i, m.field);
        }
        const res = await app.inject({
          method: 'POST',
          url: '/v1/models/flights/predictions',
          payload: events as object,
        });
        expect(res.statusCode).toBe(400);
        const body = res.json();
        expect(body.error.code).toBe('PLB_ERR_INVALID_INPUT');
        for (const issue of body.error.issues) {
          expect(typeof issue.field).toBe('string');
          expect(typeof issue.expected).toBe('string');
        }
        for (const [index, field] of expected) {
          const hit = body.error.issues.some(
            (x: { index: number; field: string }) => x.index === index && x.field === field,
          );
          if (!hit) throw new Error(`no issue for [${index}] ${field}: ${JSON.stringify(body.error.issues)}`);
        }
      }),
      { numRuns: 9_000, seed: 20010105 },
    );
    // Malformed bodies: not JSON, not an array, bad NDJSON, unknown model, too large.
    const raw = fc.oneof(
      fc.string({ maxLength: 40 }).map((s) => ({ ct: 'application/json', body: `[${s}`, status: 400 })),
      fc
        .jsonValue()
        .filter((v) => !Array.isArray(v))
        .map((v) => ({ ct: 'application/json', body: JSON.stringify(v), status: 400 })),
      fc
        .string({ maxLength: 20 })
        .map((s) => ({ ct: 'application/x-ndjson', body: `{}\n{${s}`, status: 400 })),
      fc.string({ minLength: 1, maxLength: 10 }).map((s) => ({ ct: 'text/csv', body: s, status: 415 })),
      fc.constant({
        ct: 'application/json',
        body: JSON.stringify(Array(4000).fill(prediction(1))),
        status: 413,
      }),
    );
    await fc.assert(
      fc.asyncProperty(raw, async ({ ct, body, status }) => {
        runs++;
        const res = await app.inject({
          method: 'POST',
          url: '/v1/models/flights/predictions',
          payload: body,
          headers: { 'content-type': ct },
        });
        expect(res.statusCode).toBe(status);
        const issues = res.json().error.issues;
        expect(issues.length).toBeGreaterThan(0);
        expect(typeof issues[0].field).toBe('string');
      }),
      { numRuns: 900, seed: 7 },
    );
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z]{1,12}$/), async (model) => {
        runs++;
        fc.pre(model !== 'flights');
        const res = await app.inject({
          method: 'POST',
          url: `/v1/models/${model}/predictions`,
          payload: [prediction(1)],
        });
        expect([res.statusCode, res.json().error.issues[0].field]).toEqual([404, 'model']);
      }),
      { numRuns: 100, seed: 11 },
    );
    expect(runs).toBeGreaterThanOrEqual(10_000);
    expect(await store.getCounts()).toEqual(before);
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).not.toMatch(/reason="error"/);
  });
});
