/**
 * The demo's client side, run in its own process so that the server's memory is the server's
 * alone: it loads the flights, trains the delay model, registers the model, its versions and the
 * reference snapshot over HTTP, and replays the scenario through the real ingest API, as a
 * production client would. It reports stages, progress and, at the end, what the summary needs
 * (model figures, per-day totals of what it sent, affected events per incident, its peak RSS).
 *
 * `forkReplayClient` starts this module as a child (`node --import tsx` when running from
 * source, plain `node` from `dist/`) and talks to it over IPC; `runReplayClient` is the work.
 */
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { flightsDataPaths, loadFlights } from '../features/flights.js';
import {
  FLIGHT_CATEGORICAL_COLUMNS,
  FLIGHT_NUMERIC_COLUMNS,
  type FlightsTable,
} from '../features/flights-matrix.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { writeNativeModel } from '../models/formats/native.js';
import { buildReplayEvents, resampleReferenceDays, rowRange, rowsOfDays } from './events.js';
import { applyIncidents, type ReplayEvents } from './incidents.js';
import { peakRssMb } from './memory.js';
import { type DemoModel, demoModelParams, scoreEvents, trainDelayModel } from './model.js';
import { replayEvents } from './replay.js';
import type { DemoStage } from './run-demo.js';
import { DAY_MS, type DayRange, dayRangeMs, type Scenario, type ScenarioContext } from './scenario.js';
import type { DemoSummary } from './summary.js';

/** Id of the demo's model. */
export const DEMO_MODEL_ID = 'flights-delay';

/** Segment columns of the demo model (features and tags). */
export const DEMO_SEGMENTS = ['origin', 'dest_state', 'tags.pipeline'];

/** What scenarios may name: the flights features and the days of the data. */
export const flightsScenarioContext: ScenarioContext = {
  features: [
    ...FLIGHT_NUMERIC_COLUMNS.map((name) => ({ name, type: 'numeric' as const })),
    ...FLIGHT_CATEGORICAL_COLUMNS.map((name) => ({ name, type: 'categorical' as const })),
  ],
  dataDays: { from: '2001-01-01', to: '2001-06-30' },
};

/** Totals of one replay day as the client sent it (the server's own counts come from the store). */
export interface ReplayDay {
  /** Start of the day, epoch ms (UTC). */
  startMs: number;
  /** Events sent with an event time in the day. */
  sent: number;
  /** Labels equal to the positive class. */
  positives: number;
  /** Events whose score is at least the threshold. */
  predictedPositive: number;
  /** Mean score (NaN for a day without events). */
  meanScore: number;
  /** ROC-AUC of the sent scores against the sent labels (NaN when undefined). */
  rocAuc: number;
  /** Events touched by an incident. */
  affected: number;
}

/** What the client hands back to the server side. */
export interface ReplayClientResult {
  /** The summary's model figures, but for the id and version the server side adds. */
  model: Omit<DemoSummary['model'], 'id' | 'version'>;
  /** One entry per day of `scenario.replay`. */
  days: ReplayDay[];
  /** Events changed by each incident, in scenario order. */
  affected: number[];
  replay: { events: number; labels: number; requests: number; seconds: number };
  /** Peak RSS of the process that ran the client, MB. */
  peakRssMb: number;
  /** Id of the process that ran the client. */
  pid: number;
}

/** A message from the client to the server side. */
export type ReplayClientMessage =
  | { type: 'stage'; stage: DemoStage }
  | { type: 'progress'; predictions: number; labels: number; total: number }
  | { type: 'done'; result: ReplayClientResult }
  | { type: 'error'; message: string; stack?: string };

/** What the client needs: the scenario and the server's base URL. */
export interface ReplayClientArgs {
  scenario: Scenario;
  url: string;
}

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

/** Per-day totals of sent events (sorted by time) over the days of `range`. */
export function replayDays(
  events: Pick<ReplayEvents, 'n' | 'time' | 'label'>,
  scores: Float64Array,
  threshold: number,
  affected: Uint8Array,
  range: { fromMs: number; toMs: number },
): ReplayDay[] {
  const days: ReplayDay[] = [];
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
    days.push({
      startMs: day,
      sent: i - start,
      positives,
      predictedPositive: predicted,
      meanScore: i > start ? scoreSum / (i - start) : Number.NaN,
      rocAuc: i > start ? rocAuc(events.label.subarray(start, i), scores.subarray(start, i)) : Number.NaN,
      affected: hit,
    });
  }
  return days;
}

/** Runs the client side of the demo against the server at `args.url` (see the module comment). */
export async function runReplayClient(
  args: ReplayClientArgs,
  report: (message: ReplayClientMessage) => void,
): Promise<ReplayClientResult> {
  const { scenario, url } = args;
  const lastDay =
    scenario.replay.source === 'flights' && scenario.replay.to > scenario.reference.to
      ? scenario.replay.to
      : scenario.reference.to;
  // dropped once the replay events are built, so that it is not held while they are scored
  let flights: FlightsTable | undefined = await loadFlights({
    from: scenario.train.from,
    to: nextDay(lastDay),
  });
  const dataHash = createHash('sha256')
    .update(await readFile(flightsDataPaths().flights))
    .digest('hex');

  report({ type: 'stage', stage: 'training' });
  const model: DemoModel = trainDelayModel(
    asTable(buildReplayEvents(flights, tableRows(flights, scenario.train))),
    scenario.seed,
  );
  const trainSnapshot = `flights-3m.parquet@${dataHash.slice(0, 16)}[${scenario.train.from}..${scenario.train.to}]`;
  model.model.source = {
    ...model.model.source,
    lineage: { params: demoModelParams, seed: scenario.seed, snapshotId: trainSnapshot },
  };
  const artifact = writeNativeModel(model.model);
  const contentHash = createHash('sha256').update(artifact).digest('hex');

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

  report({ type: 'stage', stage: 'reference' });
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

  report({ type: 'stage', stage: 'replay' });
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
  flights = undefined;
  const affected = new Uint8Array(events.n);
  const affectedCounts = applyIncidents(events, scenario.incidents, { seed: scenario.seed, mark: affected });
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
        report({ type: 'stage', stage: 'labels' });
      }
      report({ type: 'progress', predictions: done.predictions, labels: done.labels, total });
    },
  });
  if (!labelsStarted) report({ type: 'stage', stage: 'labels' });
  const seconds = (performance.now() - replayStart) / 1000;

  return {
    model: {
      contentHash,
      threshold: model.threshold,
      trainRows: model.trainRows,
      trainAuc: model.trainAuc,
      referenceRows: refEvents.n,
      referenceAuc,
      snapshotId: snapshot.snapshot.id,
    },
    days: replayDays(events, scores, model.threshold, affected, dayRangeMs(scenario.replay)),
    affected: affectedCounts,
    replay: { events: replayed.predictions, labels: replayed.labels, requests: replayed.requests, seconds },
    peakRssMb: peakRssMb(),
    pid: process.pid,
  };
}

//// The child process ////

/** argv flag that makes this module, run as a script, serve one request from its parent. */
const CHILD_FLAG = '--plumbline-replay-client';

/** Node arguments that let a child run this module: the tsx loader when it is TypeScript source. */
function childExecArgv(): string[] {
  if (!import.meta.url.endsWith('.ts')) return [];
  const tsx = createRequire(import.meta.url).resolve('tsx');
  return ['--import', pathToFileURL(tsx).href];
}

/** Runs {@link runReplayClient} in a child process; `onMessage` gets its stages and progress. */
export function forkReplayClient(
  args: ReplayClientArgs,
  onMessage: (message: Exclude<ReplayClientMessage, { type: 'done' | 'error' }>) => void,
): { result: Promise<ReplayClientResult>; kill(): void } {
  // the arguments travel on the command line: a message sent before the child listens could be lost
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, JSON.stringify(args)], {
    execArgv: childExecArgv(),
    // keeps NaN (a day without events) through IPC, which JSON would turn into null
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = new Promise<ReplayClientResult>((resolve, reject) => {
    let failure: Error | undefined;
    let finished = false;
    child.on('message', (m: ReplayClientMessage) => {
      if (m.type === 'done') {
        finished = true;
        resolve(m.result);
      } else if (m.type === 'error') {
        failure = new Error(`replay client: ${m.message}`);
        if (m.stack) failure.stack = `${failure.message}\n(child) ${m.stack}`;
      } else onMessage(m);
    });
    child.once('error', reject);
    // 'close' comes after the exit and the IPC channel's end, so every message has been handled
    child.once('close', (code, signal) => {
      if (!finished)
        reject(
          failure ?? new Error(`replay client exited with ${signal ?? `code ${code}`} before finishing`),
        );
    });
  });
  return {
    result,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}

const flagAt = process.argv.indexOf(CHILD_FLAG);
if (flagAt >= 0 && process.send) {
  const send = (m: ReplayClientMessage, then?: () => void) => process.send?.(m, undefined, {}, then);
  const args = JSON.parse(process.argv[flagAt + 1]) as ReplayClientArgs;
  // the parent (the server) is gone: nothing left to replay to
  process.once('disconnect', () => process.exit(1));
  runReplayClient(args, (m) => send(m)).then(
    (result) => send({ type: 'done', result }, () => process.exit(0)),
    (err: Error) =>
      send({ type: 'error', message: err?.message ?? String(err), stack: err?.stack }, () => process.exit(1)),
  );
}
