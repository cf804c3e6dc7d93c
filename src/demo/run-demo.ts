/**
 * The flights demo end to end: load six months of real US flights, train the delay model on the
 * scenario's `train` days, register it (model, version, reference snapshot) and replay the
 * `replay` days as production traffic through the real HTTP ingest path of an in-process server,
 * with the scenario's incidents injected; then run the monitor and write `summary.json`.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { flightsDataPaths, loadFlights } from '../features/flights.js';
import {
  FLIGHT_CATEGORICAL_COLUMNS,
  FLIGHT_NUMERIC_COLUMNS,
  type FlightsTable,
} from '../features/flights-matrix.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { writeNativeModel } from '../models/formats/native.js';
import { runMonitor } from '../monitor/index.js';
import { buildApp } from '../server/app.js';
import { createDuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { MetricPoint, Store } from '../store/store.js';
import { addDemoAlerts } from './alerting.js';
import { buildReplayEvents, resampleReferenceDays, rowRange, rowsOfDays } from './events.js';
import { applyIncidents, type ReplayEvents } from './incidents.js';
import { type DemoModel, demoModelParams, scoreEvents, trainDelayModel } from './model.js';
import { replayEvents } from './replay.js';
import { DAY_MS, type DayRange, dayRangeMs, type Scenario, type ScenarioContext } from './scenario.js';
import { type DemoSummary, incidentSignals, type SummaryWindow, withHistoryBaselines } from './summary.js';

/** Id of the demo's model. */
export const DEMO_MODEL_ID = 'flights-delay';

/** The demo's stages, in order (for the progress bar and `timings`). */
export const DEMO_STAGES = [
  'loading',
  'training',
  'reference',
  'replay',
  'labels',
  'monitoring',
  'summary',
] as const;
/** A stage of the demo. */
export type DemoStage = (typeof DEMO_STAGES)[number];

/** What scenarios may name: the flights features and the days of the data. */
export const flightsScenarioContext: ScenarioContext = {
  features: [
    ...FLIGHT_NUMERIC_COLUMNS.map((name) => ({ name, type: 'numeric' as const })),
    ...FLIGHT_CATEGORICAL_COLUMNS.map((name) => ({ name, type: 'categorical' as const })),
  ],
  dataDays: { from: '2001-01-01', to: '2001-06-30' },
};

/** Segment columns of the demo model (features and tags). */
export const DEMO_SEGMENTS = ['origin', 'dest_state', 'tags.pipeline'];

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
  /** The monitor pass (default {@link monitorReplay}). */
  monitor?: MonitorStep;
  /** Called when a stage starts, and with replay progress. */
  onStage?: (stage: DemoStage) => void;
  onReplayProgress?: (done: { predictions: number; labels: number }, total: number) => void;
  onMonitorProgress?: (done: number, total: number) => void;
}

/** A finished run: the summary, and the still-listening server and its store. */
export interface DemoRun {
  summary: DemoSummary;
  url: string;
  app: FastifyInstance;
  store: Store;
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
    onProgress: onProgress ? (p) => onProgress(p.done, p.total) : undefined,
  });
  return { status: 'ok', points: result.points, notes: result.notes };
};

/** Days before an incident whose points give a baseline to series the monitor compares with nothing. */
const HISTORY_DAYS = 7;

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function tableRows(table: FlightsTable, range: DayRange): Int32Array {
  const { start, end } = rowsOfDays(table, range);
  return rowRange(start, end);
}

function asTable(e: ReplayEvents): FlightsTable {
  return {
    n: e.n,
    time: e.time,
    delay: new Float64Array(0),
    label: e.label,
    numeric: e.numeric as FlightsTable['numeric'],
    categorical: e.categorical as FlightsTable['categorical'],
  };
}

async function call(url: string, method: string, body?: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** Per-day totals of the replay: server counts (events, labelled) and what was sent. */
async function dayWindows(
  store: Store,
  events: ReplayEvents,
  scores: Float64Array,
  threshold: number,
  affected: Uint8Array,
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
  const windows: SummaryWindow[] = [];
  let i = 0;
  for (let day = range.fromMs; day < range.toMs; day += DAY_MS) {
    const start = i;
    while (i < events.n && events.time[i] < day + DAY_MS) i++;
    let positives = 0;
    let predicted = 0;
    let scoreSum = 0;
    let hit = 0;
    for (let k = start; k < i; k++) {
      positives += events.label[k];
      predicted += scores[k] >= threshold ? 1 : 0;
      scoreSum += scores[k];
      hit += affected[k];
    }
    const auc = i > start ? rocAuc(events.label.subarray(start, i), scores.subarray(start, i)) : Number.NaN;
    const f = byDay.get(day);
    windows.push({
      window: 'day',
      start: new Date(day).toISOString().slice(0, 10),
      events: f?.events ?? 0,
      labelled: f?.labels ?? 0,
      positives,
      predictedPositive: predicted,
      meanScore: i > start ? scoreSum / (i - start) : Number.NaN,
      rocAuc: Number.isFinite(auc) ? auc : null,
      affected: hit,
      flagged: flagged.get(day) ?? [],
    });
  }
  return windows;
}

/** Runs the demo (see the module comment); the caller closes the returned run. */
export async function runDemo(options: DemoRunOptions): Promise<DemoRun> {
  const { scenario } = options;
  const timings: Record<string, number> = {};
  let stageStart = performance.now();
  let current: DemoStage | undefined;
  const stage = (next: DemoStage) => {
    const now = performance.now();
    if (current) timings[current] = (now - stageStart) / 1000;
    stageStart = now;
    current = next;
    options.onStage?.(next);
  };

  stage('loading');
  await mkdir(options.out, { recursive: true });
  const lastDay =
    scenario.replay.source === 'flights' && scenario.replay.to > scenario.reference.to
      ? scenario.replay.to
      : scenario.reference.to;
  const flights = await loadFlights({ from: scenario.train.from, to: nextDay(lastDay) });
  const dataHash = createHash('sha256')
    .update(await readFile(flightsDataPaths().flights))
    .digest('hex');

  stage('training');
  const trainEvents = buildReplayEvents(flights, tableRows(flights, scenario.train));
  const model: DemoModel = trainDelayModel(asTable(trainEvents), scenario.seed);
  const trainSnapshot = `flights-3m.parquet@${dataHash.slice(0, 16)}[${scenario.train.from}..${scenario.train.to}]`;
  model.model.source = {
    ...model.model.source,
    lineage: { params: demoModelParams, seed: scenario.seed, snapshotId: trainSnapshot },
  };
  const artifact = writeNativeModel(model.model);
  const contentHash = createHash('sha256').update(artifact).digest('hex');

  const dbPath = options.db ?? join(options.out, 'plumbline.duckdb');
  if (options.db === undefined) {
    await rm(dbPath, { force: true });
    await rm(`${dbPath}.wal`, { force: true });
  }
  const store = await createDuckDbStore({ path: dbPath });
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
  try {
    const features = [...FLIGHT_NUMERIC_COLUMNS, ...FLIGHT_CATEGORICAL_COLUMNS] as string[];
    const modelUrl = `${url}/v1/models/${DEMO_MODEL_ID}`;
    await call(`${url}/v1/models`, 'POST', {
      id: DEMO_MODEL_ID,
      schema: {
        features: flightsScenarioContext.features,
        label: { name: 'delayed', classes: ['0', '1'] },
        positiveClass: '1',
        threshold: model.threshold,
        segments: DEMO_SEGMENTS,
      },
    });
    const versions = new Set(['v1', ...scenario.incidents.flatMap((i) => (i.version ? [i.version] : []))]);
    for (const id of versions)
      await call(`${modelUrl}/versions`, 'POST', {
        id,
        format: 'plumbline-gbdt',
        artifactBase64: Buffer.from(artifact).toString('base64'),
        stage: id === 'v1' ? 'champion' : 'canary',
        lineage: { snapshotId: trainSnapshot, params: { ...demoModelParams }, seed: scenario.seed },
      });

    stage('reference');
    const refEvents = buildReplayEvents(flights, tableRows(flights, scenario.reference), undefined, {
      seed: scenario.seed + 1,
    });
    const refScores = scoreEvents(model, refEvents);
    const referenceAuc = rocAuc(refEvents.label, refScores);
    await replayEvents(refEvents, {
      url,
      model: DEMO_MODEL_ID,
      features,
      scores: refScores,
      threshold: model.threshold,
      idPrefix: 'ref-',
      labelDelayHours: scenario.labelDelayHours,
    });
    const refRange = dayRangeMs(scenario.reference);
    const snapshot = (await call(`${modelUrl}/reference`, 'POST', {
      from: refRange.fromMs,
      to: refRange.toMs,
    })) as { snapshot: { id: string } };

    stage('replay');
    const replayRange = dayRangeMs(scenario.replay);
    let events: ReplayEvents;
    if (scenario.replay.source === 'flights') {
      events = buildReplayEvents(flights, tableRows(flights, scenario.replay), undefined, {
        seed: scenario.seed + 2,
      });
    } else {
      const { rows, time } = resampleReferenceDays(
        flights,
        scenario.reference,
        scenario.replay,
        scenario.seed + 3,
      );
      events = buildReplayEvents(flights, rows, time, { seed: scenario.seed + 2 });
    }
    const affected = new Uint8Array(events.n);
    const affectedCounts = applyIncidents(events, scenario.incidents, {
      seed: scenario.seed,
      mark: affected,
    });
    const scores = scoreEvents(model, events);
    const total = events.n;
    const replayStart = performance.now();
    let labelsStarted = false;
    const replayed = await replayEvents(events, {
      url,
      model: DEMO_MODEL_ID,
      features,
      scores,
      threshold: model.threshold,
      idPrefix: 'r-',
      labelDelayHours: scenario.labelDelayHours,
      onProgress: (done) => {
        if (!labelsStarted && done.predictions === total) {
          labelsStarted = true;
          stage('labels');
        }
        options.onReplayProgress?.(done, total);
      },
    });
    if (!labelsStarted) stage('labels');
    const replaySeconds = (performance.now() - replayStart) / 1000;

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
    const windows = await dayWindows(store, events, scores, model.threshold, affected, replayRange);
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
        affected: affectedCounts[index],
        signals: incidentSignals(incident, withHistoryBaselines(found, history)),
      });
    }
    timings.summary = (performance.now() - stageStart) / 1000;
    const summary: DemoSummary = {
      scenario: { ...scenario, file: options.scenarioFile },
      model: {
        id: DEMO_MODEL_ID,
        version: 'v1',
        contentHash,
        threshold: model.threshold,
        trainRows: model.trainRows,
        trainAuc: model.trainAuc,
        referenceRows: refEvents.n,
        referenceAuc,
        snapshotId: snapshot.snapshot.id,
      },
      timings,
      replay: {
        events: replayed.predictions,
        labels: replayed.labels,
        requests: replayed.requests,
        eventsPerSecond: (replayed.predictions + replayed.labels) / replaySeconds,
      },
      monitor: {
        status: monitor.status,
        points: monitor.points,
        incidentPoints: points,
        notes: monitor.notes,
      },
      windows,
      incidents,
    };
    await addDemoAlerts(summary, {
      store,
      model: DEMO_MODEL_ID,
      scenario,
      fromMs: replayRange.fromMs,
      toMs: replayRange.toMs,
    });
    await writeFile(join(options.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return { summary, url, app, store, close };
  } catch (err) {
    await close();
    throw err;
  }
}
