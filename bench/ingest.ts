/**
 * Ingest benchmark. A server process (bench/ingest-server.ts, DuckDB file) takes sustained load
 * from this process over loopback: batches of 1 000 events with 20 features, `CONCURRENCY`
 * requests in flight, for `BENCH_SECONDS` (default 20). Reports events/s and batch
 * acknowledgement latency (p50/p99), the server's CPU per batch (all its threads, from /proc: a
 * figure that depends less on the machine's load than events/s) and the load average. Anchor: the same batches written straight into a DuckDB
 * store in-process (no HTTP, JSON or validation), the ceiling ingest can approach; the ratio is
 * printed. Then the SDK's cost on the caller's path: p99 of `client.log()`.
 *
 *   node --import tsx bench/ingest.ts            (BENCH_SECONDS=20 CONCURRENCY=4)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { validatePredictions } from '../src/ingest/validate.js';
import { createClient } from '../src/sdk/client.js';
import { createRng } from '../src/stats/random.js';
import { createDuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { Model } from '../src/store/store.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const concurrency = Number(process.env.CONCURRENCY ?? 4);
const batchSize = 1000;
// A 64 MiB young generation lets a batch's parsed events die young instead of being promoted
// while the batch waits for its COMMIT (server CPU per batch 28 → 22 ms in one A/B run). Override
// with SERVER_NODE_ARGS, e.g. '--max-semi-space-size=64 --cpu-prof --cpu-prof-dir=/tmp/prof'.
const serverNodeArgs = (process.env.SERVER_NODE_ARGS ?? '--max-semi-space-size=64')
  .split(' ')
  .filter(Boolean);
const rng = createRng(20010101);

const features = Array.from({ length: 20 }, (_, i) => ({
  name: `f${i}`,
  type: (i < 15 ? 'numeric' : i < 19 ? 'categorical' : 'boolean') as 'numeric' | 'categorical' | 'boolean',
}));
const model: Model = {
  id: 'bench',
  task: 'binary',
  schema: {
    features,
    label: { name: 'y', classes: ['0', '1'] },
    positiveClass: '1',
    scoreField: 'score',
    threshold: 0.5,
    segments: ['f15'],
  },
  createdAtMs: 0,
};

const T0 = Date.UTC(2001, 0, 1);
function makeEvent(id: string, i: number) {
  const score = rng.next();
  return {
    eventId: id,
    timestamp: T0 + i * 37,
    version: 'v1',
    features: Object.fromEntries(
      features.map((f, j) => [
        f.name,
        f.type === 'numeric'
          ? Math.round(rng.normal() * 1e4) / 100
          : f.type === 'categorical'
            ? `c${rng.int(12 + j)}`
            : rng.next() < 0.3,
      ]),
    ),
    prediction: score >= 0.5 ? '1' : '0',
    score,
    latencyMs: Math.round(rng.next() * 500) / 100,
    tags: { region: 'eu-west', host: `h${rng.int(8)}` },
  };
}

// 16 templates with distinct values; each request swaps in a fresh batch number so every id is new.
const templates = Array.from({ length: 16 }, (_, t) =>
  JSON.stringify(Array.from({ length: batchSize }, (_, i) => makeEvent(`B@@-${i}`, t * batchSize + i))),
);
const body = (b: number) => templates[b % templates.length].replaceAll('B@@', `b${b}`);

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const fmt = (x: number, d = 2) => x.toFixed(d);

/** CPU seconds (user + system, every thread) a process has used, from /proc (Linux; NaN elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return Number.NaN;
  }
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => done(p));
    });
  });
}

async function main() {
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'plb-bench-ingest-'));
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      ...serverNodeArgs,
      '--import',
      'tsx',
      join(import.meta.dirname, 'ingest-server.ts'),
      join(dir, 'bench.duckdb'),
      String(port),
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((ready) =>
    server.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ready()),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    const created = await fetch(`${url}/v1/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: model.id, schema: model.schema }),
    });
    if (created.status !== 201) throw new Error(`model creation failed: ${created.status}`);

    //// HTTP load ////
    const latencies: number[] = [];
    let events = 0;
    let next = 0;
    const serverCpu0 = cpuSeconds(server.pid);
    const clientCpu0 = process.cpuUsage();
    const start = performance.now();
    const deadline = start + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const b = next++;
        const payload = body(b);
        const t = performance.now();
        const res = await fetch(`${url}/v1/models/${model.id}/predictions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: payload,
        });
        const r = (await res.json()) as { accepted: number };
        if (res.status !== 200 || r.accepted !== batchSize)
          throw new Error(`batch ${b}: ${res.status} ${JSON.stringify(r)}`);
        latencies.push(performance.now() - t);
        events += batchSize;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (performance.now() - start) / 1000;
    const serverCpu = cpuSeconds(server.pid) - serverCpu0;
    const clientCpuUsage = process.cpuUsage(clientCpu0);
    const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6;
    latencies.sort((a, b) => a - b);
    const httpRate = events / elapsed;

    //// Anchor: the same batches straight into DuckDB ////
    const store = await createDuckDbStore({ path: join(dir, 'anchor.duckdb') });
    await store.insertModel(model);
    const parsed = templates.map((t, i) => {
      const v = validatePredictions(model, JSON.parse(t.replaceAll('B@@', `a${i}`)));
      if (!v.ok) throw new Error('invalid bench batch');
      return v.records;
    });
    let anchorEvents = 0;
    const a0 = performance.now();
    for (let b = 0; performance.now() - a0 < Math.min(10, seconds) * 1000; b++) {
      const records = parsed[b % parsed.length].map((r) => ({ ...r, eventId: `${r.eventId}-${b}` }));
      await store.insertPredictions(model.id, records);
      anchorEvents += records.length;
    }
    const anchorRate = anchorEvents / ((performance.now() - a0) / 1000);
    await store.close();

    //// SDK: cost of log() on the caller's path ////
    const client = createClient({ url, model: model.id, batchSize: 1000, maxQueue: 1_000_000 });
    const n = 200_000;
    const sdkEvents = Array.from({ length: n }, (_, i) => makeEvent(`sdk-${i}`, i));
    const logTimes = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      client.log(sdkEvents[i]);
      logTimes[i] = performance.now() - t;
    }
    const f0 = performance.now();
    await client.flush();
    const flushS = (performance.now() - f0) / 1000;
    await client.close();
    const sortedLog = [...logTimes].sort((a, b) => a - b);
    const sdkStats = client.stats();

    console.log(
      `load average (1 min) before/after: ${loadBefore[0].toFixed(1)} / ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
    );
    console.log(
      `ingest over HTTP (${seconds} s, batches of ${batchSize} events × 20 features, ${concurrency} in flight, server node ${serverNodeArgs.join(' ') || '(no flags)'})`,
    );
    console.log(`  events/s            ${fmt(httpRate, 0)}   (target ≥ 50 000)`);
    console.log(`  batch ack p50       ${fmt(quantile(latencies, 0.5))} ms`);
    console.log(`  batch ack p99       ${fmt(quantile(latencies, 0.99))} ms   (target < 100 ms)`);
    console.log(
      `  server CPU          ${fmt((serverCpu / (events / batchSize)) * 1000, 1)} ms per batch (all threads), i.e. ${fmt(events / serverCpu, 0)} events per server CPU-second; client CPU ${fmt((clientCpu / (events / batchSize)) * 1000, 1)} ms per batch`,
    );
    console.log(`anchor: same batches into DuckDB in-process (no HTTP/JSON/validation)`);
    console.log(`  events/s            ${fmt(anchorRate, 0)}`);
    console.log(`  ratio plumbline/anchor  ${fmt(httpRate / anchorRate, 3)}`);
    console.log(`SDK log() on the caller's path (${n} calls)`);
    console.log(
      `  p50 ${fmt(quantile(sortedLog, 0.5) * 1000, 2)} µs, p99 ${fmt(quantile(sortedLog, 0.99) * 1000, 2)} µs (target < 50 µs), max ${fmt(sortedLog[n - 1] * 1000, 0)} µs`,
    );
    console.log(
      `  background send of ${n} events: ${fmt(n / flushS, 0)} events/s after the loop; accepted ${sdkStats.accepted}, dropped ${sdkStats.dropped}`,
    );
    console.log(
      JSON.stringify({
        bench: 'ingest',
        seconds,
        concurrency,
        eventsPerSecond: httpRate,
        ackP50Ms: quantile(latencies, 0.5),
        ackP99Ms: quantile(latencies, 0.99),
        serverCpuMsPerBatch: (serverCpu / (events / batchSize)) * 1000,
        eventsPerServerCpuSecond: events / serverCpu,
        anchorEventsPerSecond: anchorRate,
        ratio: httpRate / anchorRate,
        sdkLogP99Us: quantile(sortedLog, 0.99) * 1000,
        loadAverage: loadBefore[0],
      }),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
