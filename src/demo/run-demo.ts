/**
 * The flights demo end to end: an in-process server (Fastify + the DuckDB store) and, in a child
 * process (`./replay-client.ts`), the client that loads six months of real US flights, trains the
 * delay model on the scenario's `train` days, registers it (model, version, reference snapshot)
 * and replays the `replay` days as production traffic through the real HTTP ingest path, with the
 * scenario's incidents injected; then the server side runs the monitor and writes `summary.json`,
 * with the peak RSS of both processes.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { runMonitor } from '../monitor/index.js';
import { buildApp } from '../server/app.js';
import { createDuckDbStore, type DuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { MetricPoint, Store } from '../store/store.js';
import { addDemoAlerts } from './alerting.js';
import { addDemoDiagnosis } from './diagnose.js';
import { peakRssMb, sampleRss } from './memory.js';
import { DEMO_MODEL_ID, forkReplayClient, type ReplayDay } from './replay-client.js';
import { DAY_MS, dayRangeMs, type Scenario } from './scenario.js';
import { type DemoSummary, incidentSignals, type SummaryWindow, withHistoryBaselines } from './summary.js';

export { DEMO_MODEL_ID, DEMO_SEGMENTS, flightsScenarioContext } from './replay-client.js';

/** The demo's stages, in order (for the progress bar and `timings`). */
export const DEMO_STAGES = [
  'loading',
  'training',
  'reference',
  'replay',
  'labels',
  'monitoring',
  'summary',
  'alerting',
  'diagnosis',
] as const;
/** A stage of the demo. */
export type DemoStage = (typeof DEMO_STAGES)[number];

/** Runs the monitor over the stored events; returns a note when no monitor is available. */
export type MonitorStep = (args: {
  store: Store;
  model: string;
  fromMs: number;
  toMs: number;
  nowMs: number;
  /** The reference's events in the store. */
  referenceRange: { fromMs: number; toMs: number };
  onProgress?: (done: number, total: number) => void;
}) => Promise<{ status: 'ok' | 'unavailable'; points: number; notes: string[] }>;

/** Options of {@link runDemo}. */
export interface DemoRunOptions {
  scenario: Scenario;
  /** Where the scenario came from (recorded in the summary). */
  scenarioFile: string;
  /** Output folder (summary.json, the DuckDB file). */
  out: string;
  /** DuckDB file; default `<out>/plumbline.duckdb`, recreated on each run. */
  db?: string;
  /** Port of the in-process server; default 0 (an ephemeral port). */
  port?: number;
  /** DuckDB `memory_limit` of the server's store. Default {@link DEMO_DUCKDB_MEMORY_LIMIT}. */
  duckdbMemoryLimit?: string;
  /** DuckDB `checkpoint_threshold` of the server's store. Default: the store's ('1GB'). */
  duckdbCheckpointThreshold?: string;
  /** The monitor pass (default {@link monitorReplay}). */
  monitor?: MonitorStep;
  /** Called when a stage starts, and with replay progress. */
  onStage?: (stage: DemoStage) => void;
  onReplayProgress?: (done: { predictions: number; labels: number }, total: number) => void;
  onMonitorProgress?: (done: number, total: number) => void;
}

/**
 * DuckDB memory limit of the demo's store. On the default scenario: 512MB left the server at
 * ~1 025 MB peak RSS through the monitor, 384MB at ~930 MB, and 256MB failed the monitor's window
 * query with an out-of-memory error (the labels' primary-key index alone holds ~130 MB of it).
 */
export const DEMO_DUCKDB_MEMORY_LIMIT = '384MB';

/** Peak resident memory of the demo's two processes, MB. */
export interface DemoMemory {
  /** VmHWM of the server process (server, store, monitor, summary, alerting, diagnosis) when the summary was written. */
  serverPeakRssMb: number;
  /** Largest sampled RSS of the server process in each stage. */
  serverRssMbByStage: Record<string, number>;
  /** VmHWM of the replay client process (flights, model, replay) when it finished. */
  replayClientPeakRssMb: number;
  /** DuckDB `memory_limit` of the store. */
  duckdbMemoryLimit: string;
}

/** The demo's summary: {@link DemoSummary} and the processes' memory. */
export type DemoRunSummary = DemoSummary & { memory: DemoMemory };

/** A finished run: the summary, and the still-listening server and its store. */
export interface DemoRun {
  summary: DemoRunSummary;
  url: string;
  app: FastifyInstance;
  store: DuckDbStore;
  /** Stops the server and closes the store. */
  close(): Promise<void>;
}

/** The default monitor step: one full `runMonitor` pass (hour and day windows) over the replay. */
export const monitorReplay: MonitorStep = async ({
  store,
  model,
  fromMs,
  toMs,
  nowMs,
  referenceRange,
  onProgress,
}) => {
  const result = await runMonitor({
    store,
    model,
    fromMs,
    toMs,
    nowMs,
    referenceRange,
    // ten days of rows in memory at a time (two with the read-ahead) rather than a month: ~140 MB
    // less peak RSS on the default scenario (669 vs 806 MB for the pass alone) at the same speed
    // (18.0 s vs 17.4 s); 7-day chunks saved 35 MB more but cost 1.6 s (19.6 s)
    chunkDays: 10,
    onProgress: onProgress ? (p) => onProgress(p.done, p.total) : undefined,
  });
  return { status: 'ok', points: result.points, notes: result.notes };
};

/** Days before an incident whose points give a baseline to series the monitor compares with nothing. */
const HISTORY_DAYS = 7;

/** Per-day totals of the replay: server counts (events, labelled) and what the client sent. */
async function dayWindows(
  store: Store,
  sent: ReplayDay[],
  range: { fromMs: number; toMs: number },
): Promise<SummaryWindow[]> {
  const fingerprints = await store.queryWindowFingerprints(DEMO_MODEL_ID, 'day', range);
  const byDay = new Map(fingerprints.map((f) => [f.startMs, f]));
  const flagged = new Map<number, string[]>();
  const daily = await store.queryMetricPoints({
    model: DEMO_MODEL_ID,
    window: 'day',
    segment: 'all',
    version: '*',
    fromMs: range.fromMs,
    toMs: range.toMs,
  });
  for (const p of daily)
    if (p.status === 'ok' && p.significant === true)
      flagged.set(p.window.startMs, [...(flagged.get(p.window.startMs) ?? []), p.metric]);
  return sent.map((d) => {
    const f = byDay.get(d.startMs);
    return {
      window: 'day',
      start: new Date(d.startMs).toISOString().slice(0, 10),
      events: f?.events ?? 0,
      labelled: f?.labels ?? 0,
      positives: d.positives,
      predictedPositive: d.predictedPositive,
      meanScore: d.meanScore,
      rocAuc: Number.isFinite(d.rocAuc) ? d.rocAuc : null,
      affected: d.affected,
      flagged: flagged.get(d.startMs) ?? [],
    };
  });
}

/** Runs the demo (see the module comment); the caller closes the returned run. */
export async function runDemo(options: DemoRunOptions): Promise<DemoRun> {
  const { scenario } = options;
  const timings: Record<string, number> = {};
  let stageStart = performance.now();
  let current: DemoStage | undefined;
  const rss = sampleRss();
  const endStage = () => {
    const now = performance.now();
    if (current) timings[current] = (now - stageStart) / 1000;
    stageStart = now;
  };
  const stage = (next: DemoStage) => {
    endStage();
    current = next;
    rss.phase(next);
    options.onStage?.(next);
  };

  stage('loading');
  await mkdir(options.out, { recursive: true });
  const duckdbMemoryLimit = options.duckdbMemoryLimit ?? DEMO_DUCKDB_MEMORY_LIMIT;
  const dbPath = options.db ?? join(options.out, 'plumbline.duckdb');
  if (options.db === undefined) {
    await rm(dbPath, { force: true });
    await rm(`${dbPath}.wal`, { force: true });
  }
  const store = await createDuckDbStore({
    path: dbPath,
    memoryLimit: duckdbMemoryLimit,
    // undefined would override the store's default
    ...(options.duckdbCheckpointThreshold === undefined
      ? {}
      : { checkpointThreshold: options.duckdbCheckpointThreshold }),
  });
  const app = await buildApp({ store });
  // the replay pauses between bursts (scoring, waiting on the store); keep its sockets open
  app.server.keepAliveTimeout = 120_000;
  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const close = async () => {
    await app.close();
    await store.close();
  };
  // the client (flights, model, replay) runs in a child process; this one is the server
  const client = forkReplayClient({ scenario, url }, (m) => {
    if (m.type === 'stage') stage(m.stage);
    else options.onReplayProgress?.({ predictions: m.predictions, labels: m.labels }, m.total);
  });
  try {
    const sent = await client.result;
    const replayRange = dayRangeMs(scenario.replay);
    const refRange = dayRangeMs(scenario.reference);

    stage('monitoring');
    const monitor = await (options.monitor ?? monitorReplay)({
      store,
      model: DEMO_MODEL_ID,
      fromMs: replayRange.fromMs,
      toMs: replayRange.toMs,
      nowMs: replayRange.toMs + scenario.labelDelayHours * 3_600_000,
      referenceRange: refRange,
      onProgress: options.onMonitorProgress,
    });

    stage('summary');
    const windows = await dayWindows(store, sent.days, replayRange);
    let points = 0;
    const incidents = [];
    for (const [index, incident] of scenario.incidents.entries()) {
      const r = dayRangeMs(incident);
      const found: MetricPoint[] = await store.queryMetricPoints({
        model: DEMO_MODEL_ID,
        fromMs: r.fromMs,
        toMs: r.toMs,
      });
      const history = await store.queryMetricPoints({
        model: DEMO_MODEL_ID,
        fromMs: Math.max(replayRange.fromMs, r.fromMs - HISTORY_DAYS * DAY_MS),
        toMs: r.fromMs,
      });
      points += found.length;
      incidents.push({
        index,
        kind: incident.kind,
        from: incident.from,
        to: incident.to,
        feature: 'feature' in incident ? incident.feature : null,
        affected: sent.affected[index],
        signals: incidentSignals(incident, withHistoryBaselines(found, history)),
      });
    }
    const memoryNow = (): DemoMemory => ({
      serverPeakRssMb: Math.round(peakRssMb()),
      serverRssMbByStage: rss.peaks(),
      replayClientPeakRssMb: Math.round(sent.peakRssMb),
      duckdbMemoryLimit,
    });
    const summary: DemoRunSummary = {
      scenario: { ...scenario, file: options.scenarioFile },
      model: { id: DEMO_MODEL_ID, version: 'v1', ...sent.model },
      timings,
      replay: {
        events: sent.replay.events,
        labels: sent.replay.labels,
        requests: sent.replay.requests,
        eventsPerSecond: (sent.replay.events + sent.replay.labels) / sent.replay.seconds,
      },
      monitor: {
        status: monitor.status,
        points: monitor.points,
        incidentPoints: points,
        notes: monitor.notes,
      },
      windows,
      incidents,
      memory: memoryNow(),
    };
    stage('alerting');
    await addDemoAlerts(summary, {
      store,
      model: DEMO_MODEL_ID,
      scenario,
      fromMs: replayRange.fromMs,
      toMs: replayRange.toMs,
    });
    stage('diagnosis');
    await addDemoDiagnosis(summary, { store, model: DEMO_MODEL_ID, scenario });
    endStage();
    // measured again last: the steps that extend the summary run in this process too
    summary.memory = memoryNow();
    rss.stop();
    await writeFile(join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return { summary, url, app, store, close };
  } catch (err) {
    client.kill();
    rss.stop();
    await close();
    throw err;
  }
}
