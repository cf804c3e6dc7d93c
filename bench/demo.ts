/**
 * Demo benchmark, two parts.
 *
 * 1. The whole flights demo on a scenario (default: the shipped `scenarios/default.json`), as
 *    `plumbline demo --no-serve` runs it: wall seconds per stage, process CPU seconds per stage
 *    (the fairer figure on a shared machine), replay events/s and peak RSS.
 * 2. The ingest path against its anchor on the SAME events: the first `days` replay days (default 7)
 *    sent through the real HTTP API (JSON, validation, Fastify) versus the same prediction and label
 *    records inserted directly into a DuckDB store (no HTTP, no JSON, no validation); the ratio is
 *    the cost of the real path.
 *
 *   node --import tsx bench/demo.ts [scenario.json|-] [days]
 *   (`-` skips part 1)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReplayEvents, rowRange, rowsOfDays } from '../src/demo/events.js';
import { replayEvents } from '../src/demo/replay.js';
import { DEMO_STAGES, flightsScenarioContext, runDemo } from '../src/demo/run-demo.js';
import { parseScenario } from '../src/demo/scenario.js';
import { loadFlights } from '../src/features/flights.js';
import { buildApp } from '../src/server/app.js';
import { createDuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { LabelRecord, PredictionRecord } from '../src/store/store.js';

const scenarioArg = process.argv[2] ?? join(import.meta.dirname ?? '.', '..', 'scenarios', 'default.json');
const days = Number(process.argv[3] ?? 7);
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

if (scenarioArg !== '-') {
  const scenario = parseScenario(JSON.parse(await readFile(scenarioArg, 'utf8')), flightsScenarioContext);
  const out = await mkdtemp(join(tmpdir(), 'plumbline-bench-demo-'));
  const cpu: Record<string, number> = {};
  let last = cpuSeconds();
  let current = '';
  const t0 = performance.now();
  try {
    const run = await runDemo({
      scenario,
      scenarioFile: scenarioArg,
      out,
      onStage: (s) => {
        const now = cpuSeconds();
        if (current) cpu[current] = now - last;
        last = now;
        current = s;
      },
    });
    cpu[current] = cpuSeconds() - last;
    const wall = (performance.now() - t0) / 1000;
    await run.close();
    process.stdout.write(
      `demo ${scenarioArg}: ${wall.toFixed(1)} s wall, ${cpuSeconds().toFixed(1)} s CPU\n`,
    );
    process.stdout.write('stage        wall s   CPU s\n');
    for (const s of DEMO_STAGES)
      process.stdout.write(
        `${s.padEnd(12)} ${(run.summary.timings[s] ?? 0).toFixed(1).padStart(6)}  ${(cpu[s] ?? 0).toFixed(1).padStart(6)}\n`,
      );
    const r = run.summary.replay;
    process.stdout.write(
      `replay: ${r.events} predictions + ${r.labels} labels, ${Math.round(r.eventsPerSecond)} events/s; ` +
        `monitor: ${run.summary.monitor.points} points; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
    );
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

//// Part 2: HTTP ingest vs direct store inserts on the same events ////

const from = '2001-02-01';
const dayAfter = (n: number) =>
  new Date(Date.parse(`${from}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const to = dayAfter(days - 1);
const table = await loadFlights({ from, to: dayAfter(days) });
const { start, end } = rowsOfDays(table, { from, to });
const events = buildReplayEvents(table, rowRange(start, end), undefined, { seed: 1 });
const scores = new Float64Array(events.n);
for (let i = 0; i < events.n; i++) scores[i] = ((i * 2654435761) % 1000) / 1000;
const features = flightsScenarioContext.features;
const schema = {
  features,
  label: { name: 'delayed', classes: ['0', '1'] as [string, string] },
  positiveClass: '1',
  scoreField: 'score',
  threshold: 0.3,
  segments: ['origin'],
};
const dir = await mkdtemp(join(tmpdir(), 'plumbline-bench-demo-ingest-'));
try {
  // anchor: the same records straight into the store, in the same batches
  const direct = await createDuckDbStore({ path: join(dir, 'direct.duckdb') });
  await direct.insertModel({ id: 'm', task: 'binary', schema, createdAtMs: 0 });
  const c0 = cpuSeconds();
  const d0 = performance.now();
  for (let s = 0; s < events.n; s += 5000) {
    const e = Math.min(events.n, s + 5000);
    const preds: PredictionRecord[] = [];
    const labels: LabelRecord[] = [];
    for (let i = s; i < e; i++) {
      const f: PredictionRecord['features'] = {};
      for (const { name } of features) {
        const v = events.numeric[name]?.[i] ?? events.categorical[name][i];
        f[name] = typeof v === 'number' && Number.isNaN(v) ? null : v;
      }
      preds.push({
        eventId: `r-${i}`,
        timeMs: events.time[i],
        version: 'v1',
        features: f,
        prediction: scores[i] >= 0.3 ? '1' : '0',
        score: scores[i],
        scores: null,
        latencyMs: events.latencyMs[i],
        stages: { features: events.stages.features[i], model: events.stages.model[i] },
        tags: events.tags[i],
      });
      labels.push({ eventId: `r-${i}`, label: String(events.label[i]), timeMs: events.time[i] + 86_400_000 });
    }
    await direct.insertPredictions('m', preds);
    await direct.insertLabels('m', labels, 0);
  }
  const directWall = (performance.now() - d0) / 1000;
  const directCpu = cpuSeconds() - c0;
  await direct.close();

  // Plumbline's real path: the demo's replay over HTTP into an in-process server
  const store = await createDuckDbStore({ path: join(dir, 'http.duckdb') });
  await store.insertModel({ id: 'm', task: 'binary', schema, createdAtMs: 0 });
  const app = await buildApp({ store });
  app.server.keepAliveTimeout = 120_000;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const c1 = cpuSeconds();
  const h0 = performance.now();
  await replayEvents(events, {
    url,
    model: 'm',
    features: features.map((f) => f.name),
    scores,
    threshold: 0.3,
    idPrefix: 'r-',
    labelDelayHours: 24,
  });
  const httpWall = (performance.now() - h0) / 1000;
  const httpCpu = cpuSeconds() - c1;
  await app.close();
  await store.close();
  const n = 2 * events.n;
  process.stdout.write(
    `ingest of ${days} days (${events.n} predictions + ${events.n} labels, 12 features):\n` +
      `  plumbline HTTP replay: ${httpWall.toFixed(1)} s wall, ${httpCpu.toFixed(1)} s CPU, ${Math.round(n / httpWall)} events/s, ${Math.round(n / httpCpu)} events per CPU s\n` +
      `  anchor (direct store): ${directWall.toFixed(1)} s wall, ${directCpu.toFixed(1)} s CPU, ${Math.round(n / directWall)} events/s, ${Math.round(n / directCpu)} events per CPU s\n` +
      `  ratio HTTP / direct: ${(httpWall / directWall).toFixed(2)}x wall, ${(httpCpu / directCpu).toFixed(2)}x CPU\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
