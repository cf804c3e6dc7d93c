/**
 * Crash test: a server child process on 127.0.0.1 with a DuckDB file is SIGKILLed and restarted
 * ten times while a client streams batches and retries every batch until it is acknowledged.
 * Afterwards every acknowledged eventId is stored exactly once and nothing unsent appeared.
 * The child is bundled with esbuild (tsx's own dependency) so that each restart takes ~0.3 s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import { modelBody, prediction } from '../server/helpers.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'plb-crash-'));
const db = join(dir, 'crash.duckdb');
const entry = join(root, 'test-output', `crash-server-${process.pid}.mjs`);
let child: ChildProcess | undefined;
let port = 0;

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => done(p));
    });
  });
}

/** Starts the server child and resolves once it prints `ready`. */
function start(): Promise<void> {
  return new Promise((ready, fail) => {
    const c = spawn(process.execPath, [entry, db, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child = c;
    const timer = setTimeout(() => fail(new Error('server did not start in 20 s')), 20_000);
    c.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        ready();
      }
    });
    c.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited early (${code})`));
    });
  });
}

function kill(): Promise<void> {
  return new Promise((done) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return done();
    c.removeAllListeners('exit');
    c.once('exit', () => done());
    c.kill('SIGKILL');
  });
}

beforeAll(async () => {
  mkdirSync(join(root, 'test-output'), { recursive: true });
  await build({
    entryPoints: [join(root, 'test/ingest/crash-server.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: entry,
    packages: 'external',
    logLevel: 'error',
  });
  port = await freePort();
});

afterAll(async () => {
  await kill();
  rmSync(dir, { recursive: true, force: true });
  rmSync(entry, { force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety', () => {
  it('loses no acknowledged event and stores no retry twice across 10 SIGKILLs', async () => {
    await start();
    const url = `http://127.0.0.1:${port}`;
    const created = await fetch(`${url}/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(modelBody),
    });
    expect(created.status).toBe(201);

    const acknowledged = new Set<string>();
    const sent = new Set<string>();
    let duplicatesReported = 0;
    let failedAttempts = 0;
    let stop = false;
    const streamer = (async () => {
      for (let b = 0; !stop; b++) {
        const batch = Array.from({ length: 200 }, (_, i) => prediction(b * 200 + i));
        for (const e of batch) sent.add(e.eventId);
        for (;;) {
          try {
            const res = await fetch(`${url}/v1/models/flights/predictions`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(batch),
              signal: AbortSignal.timeout(5000),
            });
            if (res.status === 200) {
              const r = (await res.json()) as { accepted: number; duplicates: number };
              expect(r.accepted + r.duplicates).toBe(batch.length);
              duplicatesReported += r.duplicates;
              for (const e of batch) acknowledged.add(e.eventId);
              break;
            }
            failedAttempts++;
          } catch {
            failedAttempts++;
          }
          await sleep(20);
        }
      }
    })();

    for (let k = 0; k < 10; k++) {
      await sleep(150 + ((k * 97) % 250));
      await kill();
      await start();
    }
    await sleep(200);
    stop = true;
    await streamer;
    await kill(); // the last one too: the store must recover from its WAL

    const store = await createDuckDbStore({ path: db });
    try {
      const rows = await store.queryPredictions('flights');
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.eventId, (counts.get(r.eventId) ?? 0) + 1);
      const twice = [...counts].filter(([, n]) => n > 1);
      expect(twice).toEqual([]);
      const missing = [...acknowledged].filter((id) => !counts.has(id));
      expect(missing).toEqual([]);
      const unsent = [...counts.keys()].filter((id) => !sent.has(id));
      expect(unsent).toEqual([]);
      expect((await store.getCounts()).events).toBe(rows.length);
      const hourly = await store.queryHourlyAggregates('flights');
      expect(hourly.reduce((s, h) => s + h.count, 0)).toBe(rows.length);
      expect(acknowledged.size).toBeGreaterThan(1000);
      expect(failedAttempts).toBeGreaterThan(0);
      console.info(
        `crash test: ${acknowledged.size} acknowledged, ${rows.length} stored, ${failedAttempts} failed attempts, ${duplicatesReported} duplicates reported on retry`,
      );
    } finally {
      await store.close();
    }
  });
});
