/**
 * Benchmark: the mergeable sketches against the exact answers NumPy computes on the same data
 * (bench/sketches_numpy.py).
 *
 *   node --import tsx bench/sketches.ts [--rows 10000000] [--repeats 3] [--parts 100]
 *
 * Data: generated here with a fixed seed (xoshiro128**, seed 20261126) and written once to a temp
 * dir as raw float64: `values` (a normal/lognormal mixture) and `ids` (integers drawn with repeats
 * from rows/4 distinct values). Neither side times the reading.
 * Timed, best of `repeats`:
 *   - KLL (k = 400): updateMany over all values + 99 quantiles, vs numpy.quantile (exact);
 *   - HyperLogLog (p = 14): add over all ids + estimate, vs numpy.unique(ids).size (exact);
 *   - merge cost: `parts` partial sketches of rows/parts values merged into one (KLL and HLL),
 *     and the JSON size of each sketch.
 * Accuracy is printed beside the timings (KLL: max normalized rank error of the 99 quantiles
 * against the exact ranks; HLL: relative error against the exact distinct count).
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/stats/random.js';
import { HyperLogLog } from '../src/stats/sketches/hyperloglog.js';
import { KllSketch } from '../src/stats/sketches/kll.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rows = option('rows', 10_000_000);
const repeats = option('repeats', 3);
const parts = option('parts', 100);

const rng = createRng(20261126);
const values = new Float64Array(rows);
for (let i = 0; i < rows; i++) values[i] = i % 3 === 0 ? Math.exp(1 + 0.8 * rng.normal()) : rng.normal();
const ids = new Float64Array(rows);
const universe = Math.max(1, Math.floor(rows / 4));
for (let i = 0; i < rows; i++) ids[i] = rng.int(universe);
const ps = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

function best<T>(f: () => T): { value: T; seconds: number } {
  let value = f();
  let seconds = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    value = f();
    seconds = Math.min(seconds, (performance.now() - t) / 1000);
  }
  return { value, seconds };
}

const dir = mkdtempSync(join(tmpdir(), 'plumbline-sketches-'));
try {
  writeFileSync(join(dir, 'values.f64'), new Uint8Array(values.buffer));
  writeFileSync(join(dir, 'ids.f64'), new Uint8Array(ids.buffer));
  writeFileSync(join(dir, 'ps.json'), JSON.stringify(ps));

  const kll = best(() => {
    const s = new KllSketch({ seed: 1 });
    s.updateMany(values);
    return { sketch: s, quantiles: s.quantiles(ps) };
  });
  const hll = best(() => {
    const h = new HyperLogLog();
    for (let i = 0; i < rows; i++) h.add(ids[i]);
    return { sketch: h, estimate: h.estimate() };
  });
  const chunk = Math.floor(rows / parts);
  const kllParts = Array.from({ length: parts }, (_, j) => {
    const s = new KllSketch({ seed: j });
    s.updateMany(values.subarray(j * chunk, (j + 1) * chunk));
    return s;
  });
  const hllParts = Array.from({ length: parts }, (_, j) => {
    const h = new HyperLogLog();
    for (let i = j * chunk; i < (j + 1) * chunk; i++) h.add(ids[i]);
    return h;
  });
  const kllMerge = best(() => kllParts.reduce((acc, s) => acc.merge(s), new KllSketch({ seed: 0 })));
  const hllMerge = best(() => hllParts.reduce((acc, h) => acc.merge(h), new HyperLogLog()));

  const py = spawnSync(
    'python3',
    [fileURLToPath(new URL('sketches_numpy.py', import.meta.url)), dir, String(repeats)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
  const np = JSON.parse(py.stdout) as {
    quantileSeconds: number;
    distinctSeconds: number;
    quantiles: number[];
    distinct: number;
  };

  // Accuracy (not timed): exact ranks of the sketch's quantiles.
  const sorted = values.slice().sort();
  const countLe = (x: number) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const rankError = (qs: ArrayLike<number>) =>
    Math.max(...ps.map((p, i) => Math.abs(countLe(qs[i]) / rows - p)));
  const mergedQuantiles = kllMerge.value.quantiles(ps);

  const fmt = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  const line = (name: string, ours: number, theirs: number, note: string) =>
    console.log(
      `${name.padEnd(34)} plumbline ${fmt(ours).padStart(10)}  numpy ${fmt(theirs).padStart(10)}  ratio ${(ours / theirs).toFixed(2)}  ${note}`,
    );
  console.log(`rows ${rows}, parts ${parts}, repeats ${repeats} (best of), node ${process.version}`);
  line(
    'KLL k=400: update + 99 quantiles',
    kll.seconds,
    np.quantileSeconds,
    `max rank error ${rankError(kll.value.quantiles).toExponential(2)} (numpy exact: ${rankError(np.quantiles).toExponential(2)}); ${((kll.seconds / rows) * 1e9).toFixed(0)} ns/value; retained ${kll.value.sketch.retained}`,
  );
  line(
    'HLL p=14: add + estimate',
    hll.seconds,
    np.distinctSeconds,
    `estimate ${hll.value.estimate.toFixed(0)} vs exact ${np.distinct} (${((hll.value.estimate / np.distinct - 1) * 100).toFixed(2)} %); ${((hll.seconds / rows) * 1e9).toFixed(0)} ns/value`,
  );
  console.log(
    `merge ${parts} KLL partials: ${fmt(kllMerge.seconds)} (${((kllMerge.seconds / parts) * 1e6).toFixed(0)} µs each), max rank error after merge ${rankError(mergedQuantiles).toExponential(2)}, JSON ${JSON.stringify(kllMerge.value).length} bytes`,
  );
  console.log(
    `merge ${parts} HLL partials: ${fmt(hllMerge.seconds)} (${((hllMerge.seconds / parts) * 1e6).toFixed(0)} µs each), estimate ${hllMerge.value.estimate().toFixed(0)}, JSON ${JSON.stringify(hllMerge.value).length} bytes`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
