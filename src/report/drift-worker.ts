/**
 * Worker entry of `buildReportParallel`: receives the report's columns (numeric as Float64Array,
 * categorical as codes and levels, see encodeForWorker), runs detectDrift on them exactly as
 * `buildReport` does, and posts the DriftReport back.
 */
import { parentPort } from 'node:worker_threads';
import { detectDrift } from '../drift/detect-drift.js';
import { driftColumns } from './build-report.js';
import { decodeFromWorker, type WorkerDriftRequest } from './worker-columns.js';

parentPort?.once('message', (request: WorkerDriftRequest) => {
  try {
    const columns = request.columns.map(decodeFromWorker);
    const drift = detectDrift(driftColumns(columns), { seed: request.seed, alpha: request.alpha });
    parentPort?.postMessage({ drift });
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
