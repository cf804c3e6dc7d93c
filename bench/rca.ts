/**
 * RCA latency: `runRca` on 16 000 events (8 000 baseline + 8 000 current, a pipeline=v2 incident
 * scaling distance ×1.609 on 30 % of the current rows), SHAP on up to 2 000 sampled rows per side,
 * with a 100-tree depth-6 model. Target: < 5 s. Anchor (bench/rca_anchor.py, /usr/bin/python3):
 * the comparable core in the Python stack on the same rows: XGBoost 1.7.4 `pred_contribs` on the
 * same 2 × 2 000 rows (a model trained with the same parameters on the same training rows),
 * SciPy KS/χ² per feature, and pandas group-bys of the error rate over every level-1 and level-2
 * slice with a two-proportion z-test each. Both timed in wall and CPU seconds, single-threaded.
 *
 *     node --import tsx bench/rca.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainGbdt } from '../src/models/gbdt/index.js';
import { compileModel, predictProbabilities } from '../src/models/index.js';
import { renderRcaText } from '../src/rca/render-text.js';
import { runRca } from '../src/rca/run-rca.js';
import { createRng } from '../src/stats/random.js';
import { draw, FEATURES, syntheticWindow } from '../test/rca/synthetic.js';

const N = 8000;
const TRAIN = 8000;
const train = draw(createRng(1), TRAIN);
const params = { nTrees: 100, maxDepth: 6, eta: 0.1, seed: 1 };
const { model } = trainGbdt({ features: FEATURES, columns: train.columns, label: train.labels }, params);
const compiled = compileModel(model);

const baseline = syntheticWindow(101, N, 0);
const current = syntheticWindow(102, N, 86_400_000);
const rng = createRng(7);
for (let r = 0; r < N; r++)
  if (rng.next() < 0.3) {
    current.tags.pipeline[r] = 'v2';
    current.columns.distance[r] *= 1.609;
  }
baseline.scores = predictProbabilities(compiled, baseline.columns);
current.scores = predictProbabilities(compiled, current.columns);

// Same rows for the anchor: training rows, then both windows (features, label, score, pipeline code).
const dir = mkdtempSync(join(tmpdir(), 'plumbline-rca-'));
const nf = FEATURES.length;
const trainMat = new Float64Array(TRAIN * (nf + 1));
for (let r = 0; r < TRAIN; r++) {
  for (let j = 0; j < nf; j++) trainMat[r * (nf + 1) + j] = train.columns[j][r];
  trainMat[r * (nf + 1) + nf] = train.labels[r];
}
const width = nf + 4;
const windows = new Float64Array(2 * N * width);
[baseline, current].forEach((w, side) => {
  for (let r = 0; r < N; r++) {
    const o = (side * N + r) * width;
    FEATURES.forEach((f, j) => {
      windows[o + j] = w.columns[f.name][r];
    });
    windows[o + nf] = w.labels[r];
    windows[o + nf + 1] = w.scores[r];
    windows[o + nf + 2] = w.tags.pipeline[r] === 'v2' ? 1 : 0;
    windows[o + nf + 3] = side;
  }
});
writeFileSync(join(dir, 'train.f64'), Buffer.from(trainMat.buffer));
writeFileSync(join(dir, 'windows.f64'), Buffer.from(windows.buffer));

const run = () =>
  runRca({
    model: { compiled, features: FEATURES },
    current,
    baseline,
    trigger: { metric: 'error_rate' },
    options: { seed: 1, maxShapRows: 2000 },
  });
run(); // JIT warm-up
const times: number[] = [];
const cpu: number[] = [];
let out = run();
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  out = run();
  const c1 = process.cpuUsage(c0);
  times.push((performance.now() - t0) / 1000);
  cpu.push((c1.user + c1.system) / 1e6);
}
const ours = Math.min(...times);
const oursCpu = Math.min(...cpu);
const anchor = JSON.parse(
  execFileSync(
    '/usr/bin/python3',
    [join(import.meta.dirname, 'rca_anchor.py'), dir, String(N), String(TRAIN)],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '1' },
    },
  ),
) as { seconds: number; cpuSeconds: number; shapSeconds: number; slices: number };
const top = out.hypotheses[0];
console.log(renderRcaText(out).split('\n').slice(0, 8).join('\n'));
console.log(
  `runRca on ${2 * N} events (SHAP on 2 × 2000 rows, 100 trees depth ${compiled.maxDepth}): best of 3 ${ours.toFixed(3)} s wall, ${oursCpu.toFixed(3)} s CPU ` +
    `(target < 5 s); top hypothesis ${top.kind} ${JSON.stringify(top.subject)}\n` +
    `anchor core (xgboost pred_contribs ${anchor.shapSeconds.toFixed(3)} s + scipy tests + pandas ${anchor.slices} slices): ` +
    `${anchor.seconds.toFixed(3)} s wall, ${anchor.cpuSeconds.toFixed(3)} s CPU; ratio anchor/plumbline ${(anchor.seconds / ours).toFixed(2)}× wall, ${(anchor.cpuSeconds / oursCpu).toFixed(2)}× CPU`,
);
