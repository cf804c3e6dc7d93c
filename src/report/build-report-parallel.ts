/**
 * `buildReport` on two threads: drift (the largest part) runs in a `node:worker_threads` worker
 * (drift-worker.ts) while this thread computes distributions, quality and performance. The
 * result is identical to `buildReport` (same functions, same seeds). Falls back to computing
 * drift on this thread when the worker cannot start, and when a cache is given (the cache's
 * prepared references live on this thread).
 */
import { Worker } from 'node:worker_threads';
import { type DriftReport, detectDrift } from '../drift/detect-drift.js';
import {
  assembleReport,
  type BuildReportInput,
  type BuildReportOptions,
  buildReport,
  checkReportOutputs,
  columnsWithOutputs,
  driftColumns,
  evaluatePerformance,
  profileReport,
  type ReportColumn,
  resolveOptions,
} from './build-report.js';
import type { Report, ReportDetails } from './types.js';
import { encodeForWorker, type WorkerDriftRequest } from './worker-columns.js';

/** Builds the report as `buildReport`, with drift in a worker thread. */
export async function buildReportParallel(
  input: BuildReportInput,
  options: BuildReportOptions = {},
): Promise<{ report: Report; details: ReportDetails }> {
  const o = resolveOptions(options);
  if (o.cache) return buildReport(input, options);
  const positive = checkReportOutputs(input, o);
  const withOutputs = columnsWithOutputs(input);
  o.onStage?.('drift');
  const worker = startDriftWorker(withOutputs, o.seed, o.alpha);
  // if this thread fails first, a later failure of the worker must not be an unhandled rejection
  worker.result.catch(() => undefined);
  try {
    const profile = profileReport(input, o, positive);
    const performance = evaluatePerformance(input, o, positive);
    const drift =
      (await worker.result) ?? detectDrift(driftColumns(withOutputs), { seed: o.seed, alpha: o.alpha });
    return assembleReport(input, o, profile, drift, performance);
  } finally {
    worker.stop();
  }
}

// From dist, the worker is drift-worker.js. From src (tsx, vitest) it is the .ts file, which a
// worker cannot load by itself on Node 20 (--import in execArgv does not reach the entry), so a
// small script registers tsx's loader first, then imports it.
function createWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./drift-worker.js', import.meta.url));
  // (an eval worker resolves the bare specifier from the working directory: the repository)
  const entry = new URL('./drift-worker.ts', import.meta.url).href;
  const script = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(script, { eval: true });
}

/** Starts detectDrift on the report's columns in a worker; `result` is undefined when the worker could not run. */
export function startDriftWorker(
  columns: readonly ReportColumn[],
  seed: number,
  alpha: number,
): { result: Promise<DriftReport | undefined>; stop: () => void } {
  let worker: Worker;
  try {
    worker = createWorker();
  } catch {
    return { result: Promise.resolve(undefined), stop: () => {} };
  }
  const result = new Promise<DriftReport | undefined>((resolve, reject) => {
    worker.once('message', (m: { drift?: DriftReport; error?: string }) =>
      m.drift ? resolve(m.drift) : reject(new Error(`drift worker: ${m.error}`)),
    );
    worker.once('error', () => resolve(undefined));
    worker.once('exit', () => resolve(undefined));
  });
  const parts = columns.map(encodeForWorker);
  const request: WorkerDriftRequest = { columns: parts.map((p) => p.column), seed, alpha };
  worker.postMessage(
    request,
    parts.flatMap((p) => p.transfer),
  );
  return { result, stop: () => void worker.terminate() };
}
