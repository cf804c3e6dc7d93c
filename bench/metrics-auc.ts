/**
 * Benchmark: ROC-AUC and average precision on 1 M scores, Plumbline's `rocAuc` and
 * `averagePrecision` against scikit-learn's `roc_auc_score` and `average_precision_score`
 * (bench/metrics_auc_sklearn.py, run with /usr/bin/python3) on the same data.
 *
 *   node --import tsx bench/metrics-auc.ts [--rows 1000000] [--repeats 5]
 *
 * Data: seeded here (xoshiro128**, seed 11): 30 % positives, scores from two overlapping
 * distributions; case `continuous` keeps all digits, case `ties` rounds the scores to 3 decimals
 * (≤ 1001 distinct values). Written to a temp dir as raw float64 (labels as 0.0/1.0) that both
 * sides read untimed. Timed: one call on the full arrays, best of `repeats` (after a warm-up for
 * the JIT). Values are compared so the ratio is between equal answers. Also prints, for scale,
 * one `evaluateBinary` call (all metrics with intervals) on the continuous case.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { averagePrecision } from '../src/metrics/average-precision.js';
import { evaluateBinary } from '../src/metrics/evaluate.js';
import { rocAuc } from '../src/metrics/roc-auc.js';
import { createRng } from '../src/stats/random.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rows = option('rows', 1_000_000);
const repeats = option('repeats', 5);

const rng = createRng(11);
const y = new Float64Array(rows);
const continuous = new Float64Array(rows);
for (let i = 0; i < rows; i++) {
  y[i] = rng.next() < 0.3 ? 1 : 0;
  const z = rng.normal() + (y[i] ? 1.2 : 0);
  continuous[i] = 1 / (1 + Math.exp(-z));
}
const ties = continuous.map((s) => Math.round(s * 1000) / 1000);
const cases = { continuous, ties };

const dir = mkdtempSync(join(tmpdir(), 'plumbline-auc-'));
for (const [name, scores] of Object.entries(cases)) {
  writeFileSync(join(dir, `${name}.y.f64`), y);
  writeFileSync(join(dir, `${name}.s.f64`), scores);
}

function time(fn: () => number): { seconds: number; value: number } {
  let best = Number.POSITIVE_INFINITY;
  let value = fn(); // warm-up
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    value = fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { seconds: best, value };
}

const ours: Record<string, Record<string, { seconds: number; value: number }>> = {};
for (const [name, scores] of Object.entries(cases)) {
  ours[name] = {
    rocAuc: time(() => rocAuc(y, scores)),
    averagePrecision: time(() => averagePrecision(y, scores)),
  };
}
const py = spawnSync(
  '/usr/bin/python3',
  [join(import.meta.dirname, 'metrics_auc_sklearn.py'), dir, `${repeats}`, ...Object.keys(cases)],
  { encoding: 'utf8' },
);
rmSync(dir, { recursive: true, force: true });
if (py.status !== 0) throw new Error(`scikit-learn side failed: ${py.stderr}`);
const theirs = JSON.parse(py.stdout);

console.log(`ROC-AUC / average precision on ${rows.toLocaleString('en')} rows, best of ${repeats}`);
console.log(`Node ${process.version}, scikit-learn ${theirs.sklearn}`);
console.log('case        metric            plumbline   sklearn    ratio (plumbline/sklearn)  |Δvalue|');
for (const name of Object.keys(cases)) {
  for (const metric of ['rocAuc', 'averagePrecision']) {
    const a = ours[name][metric];
    const b = theirs[name][metric];
    console.log(
      `${name.padEnd(11)} ${metric.padEnd(17)} ${(a.seconds * 1000).toFixed(1).padStart(7)} ms ` +
        `${(b.seconds * 1000).toFixed(1).padStart(7)} ms ${(a.seconds / b.seconds).toFixed(2).padStart(8)}` +
        `${''.padStart(19)}${Math.abs(a.value - b.value).toExponential(1)}`,
    );
  }
}
const t = performance.now();
const cpu = process.cpuUsage();
evaluateBinary({ yTrue: y, scores: continuous });
const used = process.cpuUsage(cpu);
console.log(
  `evaluateBinary on the continuous case (all metrics, DeLong/Wilson/bootstrap intervals, 200 resamples of 20 000): ` +
    `${((performance.now() - t) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU`,
);
