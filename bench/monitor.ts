/**
 * Benchmark of the monitor: a full `runMonitor` pass over ~2.5 M stored events (the first rows
 * of the 2001 flights, `vega-datasets/data/flights-3m.parquet`, loaded by INSERT … SELECT into
 * the store's own tables, with the demo's 12 features (7 numeric; origin, destination, states and
 * the ~4 000-value route), a synthetic score from a hash of the row and the real delay > 15
 * label arriving one day later), an incremental pass with nothing new, one after late labels,
 * and 30-day metric queries (store and HTTP). Targets: full pass < 20 s; queries p95 < 100 ms.
 *
 * Anchor: the same per-day work in pandas / SciPy / scikit-learn (scripts/bench-monitor-anchor.py,
 * /usr/bin/python3): per day, KS test of every numeric
 * feature and chi-square of every categorical one against the reference, and accuracy / ROC-AUC
 * of the labelled rows, on the same rows exported to CSV (reading it is not timed). It computes far fewer signals than
 * the monitor (no segments, versions, hours, CBPE, nulls or intervals); the ratio says what the
 * monitor's extra work costs relative to a minimal script.
 *
 *   node --import tsx bench/monitor.ts [rows]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { flightsDataPaths } from '../src/features/flights.js';
import { FLIGHT_CATEGORICAL_COLUMNS, FLIGHT_NUMERIC_COLUMNS } from '../src/features/flights-matrix.js';
import { clearProfileCache, runMonitor } from '../src/monitor/index.js';
import { buildApp } from '../src/server/app.js';
import { createDuckDbStore } from '../src/store/duckdb/duckdb-store.js';
import type { Model } from '../src/store/store.js';

const ROWS = Number(process.argv[2] ?? 2_500_000);
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'plb-bench-monitor-'));
const path = join(dir, 'monitor.duckdb');

const model: Model = {
  id: 'flights',
  task: 'binary',
  schema: {
    features: [
      ...FLIGHT_NUMERIC_COLUMNS.map((name) => ({ name, type: 'numeric' as const })),
      ...FLIGHT_CATEGORICAL_COLUMNS.map((name) => ({ name, type: 'categorical' as const })),
    ],
    label: { name: 'delayed', classes: ['0', '1'] },
    positiveClass: '1',
    scoreField: 'score',
    threshold: 0.5,
    segments: ['origin_state', 'tags.pipeline'],
  },
  createdAtMs: Date.UTC(2001, 0, 1),
};

const u = (k: number) => `((hash(rn * 16 + ${k}) % 4294967296)::DOUBLE + 0.5) / 4294967296`;

async function load(): Promise<void> {
  const store = await createDuckDbStore({ path });
  await store.insertModel(model);
  await store.close();
  const { flights, airports } = flightsDataPaths();
  const db = await DuckDBInstance.create(path);
  const c = await db.connect();
  await c.run(`CREATE TEMP TABLE src AS
    WITH a AS (SELECT iata, state, latitude, longitude FROM read_csv_auto('${airports}'))
    SELECT f.file_row_number AS rn, f.date AS ts, (f.delay > 15)::INT AS label,
      hour(f.date) + minute(f.date) / 60.0 AS dep_hour, isodow(f.date)::DOUBLE AS weekday, f.distance::DOUBLE AS distance,
      ao.latitude::DOUBLE AS origin_lat, ao.longitude::DOUBLE AS origin_lon, ad.latitude::DOUBLE AS dest_lat,
      ad.longitude::DOUBLE AS dest_lon, f.origin, f.destination, ao.state AS origin_state, ad.state AS dest_state,
      f.origin || '-' || f.destination AS route
    FROM read_parquet('${flights}', file_row_number = true) f
    LEFT JOIN a ao ON f.origin = ao.iata LEFT JOIN a ad ON f.destination = ad.iata
    ORDER BY f.file_row_number LIMIT ${ROWS}`);
  // score: a noisy logistic of the true label and the departure hour (so it carries signal)
  await c.run(`CREATE TEMP TABLE ev AS SELECT *,
      1 / (1 + exp(-(-1.7 + 2.0 * label + 0.06 * (dep_hour - 12)
        + 1.1 * sqrt(-2 * ln(${u(1)})) * cos(2 * pi() * ${u(2)})))) AS score,
      5 + 20 * ${u(3)} AS latency,
      CASE WHEN ts < TIMESTAMP '2001-03-01' THEN 'v1' ELSE 'v2' END AS version,
      'e' || rn AS event_id
    FROM src`);
  await c.run(`INSERT INTO pred_flights SELECT event_id, ts, version, CASE WHEN score >= 0.5 THEN '1' ELSE '0' END,
      score, NULL, latency, NULL, '{"pipeline":"' || CASE WHEN rn % 5 = 0 THEN 'p2' ELSE 'p1' END || '"}', 1.0,
      dep_hour, weekday, distance, origin_lat, origin_lon, dest_lat, dest_lon, origin, destination, origin_state,
      dest_state, route FROM ev ORDER BY ts, event_id`);
  await c.run(`INSERT INTO event_ids SELECT 'flights', event_id FROM ev`);
  await c.run(`INSERT INTO labels SELECT 'flights', event_id, label::VARCHAR, ts + INTERVAL 1 DAY, ts + INTERVAL 1 DAY,
      86400000.0 FROM ev WHERE ts < (SELECT max(ts) - INTERVAL 2 DAY FROM ev)`);
  await c.run(`INSERT INTO hourly SELECT 'flights', version, date_trunc('hour', ts), count(*), sum((score >= 0.5)::INT),
      sum(score), sum(latency), max(latency), count(*) FROM ev GROUP BY version, date_trunc('hour', ts)`);
  await c.run(`COPY (SELECT epoch_ms(ts)::DOUBLE AS time_ms, label, score, dep_hour, weekday, distance, origin_lat,
      origin_lon, dest_lat, dest_lon, origin, destination, origin_state, dest_state, route FROM ev ORDER BY ts)
      TO '${join(dir, 'events.csv')}' (HEADER)`);
  c.closeSync();
  db.closeSync();
}

let lastCpu = 0;
/** Runs fn; returns its result and wall seconds, and leaves its CPU seconds in lastCpu. */
const time = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t = performance.now();
  const c = process.cpuUsage();
  const r = await fn();
  const u = process.cpuUsage(c);
  lastCpu = (u.user + u.system) / 1e6;
  return [r, (performance.now() - t) / 1000];
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

async function main(): Promise<void> {
  const [, loadS] = await time(load);
  const { loadavg, cpus } = await import('node:os');
  console.log(
    `loaded ${ROWS} events in ${loadS.toFixed(1)} s (${dir}); load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`,
  );
  const store = await createDuckDbStore({ path });
  const snapshot = await store.insertSnapshotFromEvents(model.id, {
    fromMs: Date.UTC(2001, 0, 1),
    toMs: Date.UTC(2001, 0, 15),
  });
  await store.setReference(model.id, snapshot.id);
  clearProfileCache();
  const nowMs = Date.UTC(2001, 6, 1);
  // time spent inside store calls (DuckDB) vs the rest (signal computation)
  const storeSeconds: Record<string, number> = {};
  const timed = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const t = performance.now();
        try {
          return await v.apply(target, args);
        } finally {
          storeSeconds[String(prop)] = (storeSeconds[String(prop)] ?? 0) + (performance.now() - t) / 1000;
        }
      };
    },
  });
  const [full, fullS] = await time(() => runMonitor({ store: timed, model: model.id, nowMs }));
  const fullCpu = lastCpu;
  console.log(
    `full pass: ${fullS.toFixed(2)} s wall, ${lastCpu.toFixed(2)} s CPU (this process; DuckDB threads included), ` +
      `${full.daysComputed} days, ${full.points} points (target < 20 s)`,
  );
  console.log(
    `  awaiting store calls (reads of the next chunk overlap the computation): ${Object.entries(storeSeconds)
      .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
      .join(', ')}`,
  );
  const [again, againS] = await time(() => runMonitor({ store, model: model.id, nowMs }));
  console.log(`incremental pass, nothing new: ${againS.toFixed(2)} s, ${again.daysComputed} days recomputed`);
  const counts = await store.getCounts();
  console.log(`events ${counts.events}, labels ${counts.labels}`);

  // 30-day metric queries: store and HTTP, random metric / segment / start
  const metrics = [
    'accuracy',
    'cbpe.accuracy',
    'drift.distance',
    'latency_p95',
    'throughput',
    'positive_rate',
  ];
  const segments = ['all', 'tags.pipeline=p1'];
  const storeMs: number[] = [];
  const httpMs: number[] = [];
  const app = await buildApp({ store });
  let rng = 7;
  const next = () => {
    rng = (rng * 1103515245 + 12345) % 2147483648;
    return rng / 2147483648;
  };
  for (let i = 0; i < 200; i++) {
    const metric = metrics[Math.floor(next() * metrics.length)];
    const segment = segments[Math.floor(next() * segments.length)];
    const window = metric.startsWith('latency') || metric === 'throughput' ? 'hour' : 'day';
    const fromMs = Date.UTC(2001, 0, 1) + Math.floor(next() * 120) * DAY;
    const t0 = performance.now();
    const pts = await store.queryMetricPoints({
      model: model.id,
      metric,
      segment,
      window,
      fromMs,
      toMs: fromMs + 30 * DAY,
    });
    storeMs.push(performance.now() - t0);
    const t1 = performance.now();
    const res = await app.inject({
      method: 'GET',
      url: `/v1/models/flights/metrics?metric=${metric}&segment=${encodeURIComponent(segment)}&window=${window}&from=${fromMs}&to=${fromMs + 30 * DAY}`,
    });
    httpMs.push(performance.now() - t1);
    if (i === 0)
      console.log(
        `sample query: ${metric} ${segment} ${window}: ${pts.length} points, HTTP ${res.statusCode}`,
      );
  }
  console.log(
    `30-day queries (200): store p50 ${pct(storeMs, 0.5).toFixed(1)} ms p95 ${pct(storeMs, 0.95).toFixed(1)} ms; ` +
      `HTTP p50 ${pct(httpMs, 0.5).toFixed(1)} ms p95 ${pct(httpMs, 0.95).toFixed(1)} ms (target p95 < 100 ms)`,
  );
  await app.close();
  await store.close();

  const anchor = spawnSync('/usr/bin/python3', ['scripts/bench-monitor-anchor.py', join(dir, 'events.csv')], {
    encoding: 'utf8',
  });
  if (anchor.status === 0) {
    const a = JSON.parse(anchor.stdout) as { seconds: number; cpu: number; days: number };
    console.log(
      `anchor (pandas/SciPy/scikit-learn, per-day KS/chi-square + accuracy/AUC): ${a.seconds.toFixed(2)} s wall, ` +
        `${a.cpu.toFixed(2)} s CPU for ${a.days} days; ratio plumbline/anchor = ${(fullS / a.seconds).toFixed(2)} wall, ` +
        `${(fullCpu / a.cpu).toFixed(2)} CPU`,
    );
  } else console.log(`anchor failed: ${anchor.stderr.slice(-500)}`);
  rmSync(dir, { recursive: true, force: true });
}

await main();
