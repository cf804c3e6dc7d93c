import { createServer } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { modelBody, prediction } from '../../test/server/helpers.js';
import { buildApp } from '../server/app.js';
import { createDuckDbStore, type DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { createClient, type PlumblineClient } from './client.js';

let store: DuckDbStore | undefined;
let app: FastifyInstance | undefined;
let client: PlumblineClient | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(port: number): Promise<void> {
  store = await createDuckDbStore();
  app = await buildApp({ store });
  await app.inject({ method: 'POST', url: '/v1/models', payload: modelBody });
  await app.listen({ port, host: '127.0.0.1' });
}

async function storedIds(): Promise<string[]> {
  return (await store!.queryPredictions('flights')).map((p) => p.eventId).sort();
}

afterEach(async () => {
  await client?.close(1000);
  await app?.close();
  await store?.close();
  client = app = store = undefined;
});

const event = (i: number) => {
  const { eventId: _id, ...rest } = prediction(i);
  return { ...rest, eventId: `e${String(i).padStart(3, '0')}` };
};

describe('sdk client', () => {
  it('batches by size and sends everything on flush', async () => {
    const port = await freePort();
    await startServer(port);
    client = createClient({ url: `http://127.0.0.1:${port}`, model: 'flights', batchSize: 500 });
    for (let i = 0; i < 1200; i++) client.log(event(i));
    await client.flush();
    expect((await storedIds()).length).toBe(1200);
    const metrics = (await app!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('plumbline_ingest_batches_total{kind="predictions"} 3');
    expect(client.stats()).toMatchObject({ queued: 1200, accepted: 1200, dropped: 0, rejected: 0 });
  });

  it('sends on the timer without a flush call and fills eventId and timestamp', async () => {
    const port = await freePort();
    await startServer(port);
    client = createClient({ url: `http://127.0.0.1:${port}`, model: 'flights', flushIntervalMs: 20 });
    const { eventId: _e, timestamp: _t, ...bare } = prediction(1);
    client.log(bare);
    for (let i = 0; i < 200 && (await store!.getCounts()).events < 1; i++)
      await new Promise((r) => setTimeout(r, 10));
    const [row] = await store!.queryPredictions('flights');
    expect(row.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('retries while the server is down and never stores a retried event twice', async () => {
    const port = await freePort();
    client = createClient({
      url: `http://127.0.0.1:${port}`,
      model: 'flights',
      batchSize: 50,
      retryBaseMs: 5,
      retryMaxMs: 20,
    });
    for (let i = 0; i < 120; i++) client.log(event(i));
    await new Promise((r) => setTimeout(r, 100));
    expect(client.stats().retries).toBeGreaterThan(0);
    await startServer(port);
    for (let i = 100; i < 140; i++) client.log(event(i)); // overlaps 100..119: duplicates
    await client.flush();
    expect(await storedIds()).toEqual(Array.from({ length: 140 }, (_, i) => event(i).eventId));
    expect(client.stats()).toMatchObject({ accepted: 140, duplicates: 20 });
  });

  it('bounds memory: drops the oldest events, counts them and reports them', async () => {
    const port = await freePort();
    const drops: number[] = [];
    client = createClient({
      url: `http://127.0.0.1:${port}`,
      model: 'flights',
      batchSize: 5,
      maxQueue: 10,
      retryBaseMs: 5,
      retryMaxMs: 10,
      onDrop: (d) => drops.push(d.dropped),
    });
    for (let i = 0; i < 25; i++) client.log(event(i));
    await startServer(port);
    await client.flush();
    expect(client.stats().dropped).toBe(15);
    expect(drops.reduce((a, b) => a + b, 0)).toBe(15);
    expect(await storedIds()).toEqual(Array.from({ length: 10 }, (_, i) => event(15 + i).eventId));
  });

  it('warns by default when it drops events', async () => {
    const port = await freePort();
    const warnings: string[] = [];
    const onWarning = (w: Error) => {
      if (w.name === 'PlumblineDropWarning') warnings.push(w.message);
    };
    process.on('warning', onWarning);
    try {
      client = createClient({
        url: `http://127.0.0.1:${port}`,
        model: 'flights',
        maxQueue: 2,
        batchSize: 1,
        retryBaseMs: 1,
      });
      for (let i = 0; i < 5; i++) client.log(event(i));
      for (let i = 0; i < 100 && warnings.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings[0]).toMatch(/dropped 3 events/);
  });

  it('reports a rejected batch once, without retrying, and never throws into the caller', async () => {
    const port = await freePort();
    await startServer(port);
    const errors: { status?: number; willRetry: boolean; field?: string }[] = [];
    client = createClient({
      url: `http://127.0.0.1:${port}`,
      model: 'flights',
      onError: (e) =>
        errors.push({ status: e.status, willRetry: e.willRetry, field: e.body?.error.issues[0]?.field }),
    });
    client.log({ ...event(1), score: 3 });
    expect(() => client!.log(undefined as never)).not.toThrow();
    await client.flush();
    expect(errors).toEqual([{ status: 400, willRetry: false, field: 'score' }]);
    expect(client.stats()).toMatchObject({ rejected: 1, retries: 0 });
    expect(await client.close()).toBe(0);
    client.log(event(2));
    expect((await store!.getCounts()).events).toBe(0);
  });

  it('close gives up after its timeout and returns the unsent count', async () => {
    const port = await freePort();
    client = createClient({
      url: `http://127.0.0.1:${port}`,
      model: 'flights',
      retryBaseMs: 5,
      retryMaxMs: 10,
    });
    for (let i = 0; i < 7; i++) client.log(event(i));
    expect(await client.close(100)).toBe(7);
  });
});
