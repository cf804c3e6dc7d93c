/**
 * Prediction throughput: Plumbline's batch `predictMargins` against XGBoost 1.7.4
 * `inplace_predict` (and `DMatrix` + `predict`), both single-threaded, timed in CPU seconds
 * (best of 5) on the same 20 000 rows of seeded synthetic data (12 features, 5 % missing), for the
 * 300-tree depth-6 and 500-tree depth-8 models trained by bench/xgb_anchor.py. Target: >= 0.7×.
 * Then single-row latency of `predictRow` on the 300-tree depth-6 model (wall clock per call,
 * 20 000 calls after warm-up). Target: p99 < 50 µs.
 *
 *     node --import tsx bench/predict.ts
 */
import { predictMargins, predictRow } from '../src/models/predict.js';
import { best, loadBench, runAnchor } from './xgb-data.js';

const ROWS = 20000;
const REPEATS = 5;

for (const model of ['p6', 'd8']) {
  const { compiled, cols } = loadBench(model, ROWS);
  predictMargins(compiled, cols); // JIT warm-up
  const ours = best(REPEATS, () => predictMargins(compiled, cols));
  const theirs = runAnchor('predict', model, String(ROWS), String(REPEATS));
  const checksum = ours.result.reduce((s, v) => s + v, 0);
  console.log(
    `batch ${model} (${compiled.nTrees} trees, depth ${compiled.maxDepth}), ${ROWS} rows: plumbline ${(ours.seconds * 1e3).toFixed(1)} ms, ` +
      `xgboost inplace_predict ${(theirs.inplaceSeconds * 1e3).toFixed(1)} ms (${(theirs.inplaceSeconds / ours.seconds).toFixed(2)}×), ` +
      `DMatrix+predict ${(theirs.dmatrixSeconds * 1e3).toFixed(1)} ms (${(theirs.dmatrixSeconds / ours.seconds).toFixed(2)}×); ` +
      `checksums ${checksum.toFixed(2)} vs ${theirs.checksum.toFixed(2)}`,
  );
}

const { compiled, cols } = loadBench('p6', ROWS);
const row = new Float64Array(cols.length);
const latencies = new Float64Array(ROWS);
let sink = 0;
for (let pass = 0; pass < 2; pass++) {
  for (let r = 0; r < ROWS; r++) {
    for (let j = 0; j < cols.length; j++) row[j] = cols[j][r];
    const t0 = process.hrtime.bigint();
    sink += predictRow(compiled, row);
    latencies[r] = Number(process.hrtime.bigint() - t0) / 1e3;
  }
}
latencies.sort();
const q = (p: number) => latencies[Math.min(ROWS - 1, Math.floor(p * ROWS))];
console.log(
  `single row p6 (${compiled.nTrees} trees, depth ${compiled.maxDepth}): p50 ${q(0.5).toFixed(1)} µs, ` +
    `p99 ${q(0.99).toFixed(1)} µs, max ${latencies[ROWS - 1].toFixed(1)} µs (${ROWS} calls; sink ${sink.toFixed(1)})`,
);
