/**
 * Benchmark: two-sample KS (statistic + p-value) on 20 columns of 100 000 × 100 000 values,
 * Plumbline's ks2Samp / ks2SampSorted against scipy.stats.ks_2samp (bench/ks_2samp_scipy.py)
 * on the same data.
 *
 *   node --import tsx bench/ks-2samp.ts [--rows 100000] [--repeats 3]
 *
 * Data: seeded here (xoshiro128**, seed 7), written to a temp dir as raw float64 that both sides
 * read untimed. Columns mix no drift, small and large shifts, scale changes, heavy tails and ties,
 * so p-values range from ~1 down to 0 and every p-value branch of kstwo runs. Timed: Plumbline
 * `ks2Samp` (sorts both samples) and `ks2SampSorted` with the reference sorted once beforehand
 * (the drift path; the current sample is still sorted inside the timing); SciPy `ks_2samp`.
 * Best of `repeats` for each. The answers are compared (max |Δp|) so the ratio is between equal results.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ks2Samp, ks2SampSorted } from '../src/stats/ks.js';
import { sortFloat64 } from '../src/stats/quantile.js';
import { createRng } from '../src/stats/random.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rows = option('rows', 100_000);
const repeats = option('repeats', 3);
const columns = 20;

const rng = createRng(7);
const ref = new Float64Array(columns * rows);
const cur = new Float64Array(columns * rows);
for (let j = 0; j < columns; j++) {
  const shift = [0, 0, 0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 2][j % 10];
  const scale = j >= 10 ? 1.02 : 1;
  for (let i = 0; i < rows; i++) {
    let r = rng.normal();
    let c = rng.normal() * scale + shift;
    if (j === 12 || j === 13)
      [r, c] = [Math.tan(Math.PI * (rng.next() - 0.5)), Math.tan(Math.PI * (rng.next() - 0.5))];
    if (j === 14 || j === 15) [r, c] = [Math.round(r * 3), Math.round(c * 3)];
    ref[j * rows + i] = r;
    cur[j * rows + i] = c;
  }
}
const dir = mkdtempSync(join(tmpdir(), 'plumbline-ks-'));
writeFileSync(join(dir, 'ref.f64'), ref);
writeFileSync(join(dir, 'cur.f64'), cur);

const col = (a: Float64Array, j: number) => a.subarray(j * rows, (j + 1) * rows);
function time(fn: () => number[]): { seconds: number; pvalues: number[] } {
  let best = Number.POSITIVE_INFINITY;
  let pvalues: number[] = [];
  fn(); // warm-up
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    pvalues = fn();
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return { seconds: best, pvalues };
}
const p = (r: ReturnType<typeof ks2Samp>) => (r.status === 'ok' ? r.pValue : Number.NaN);
const unsorted = time(() => Array.from({ length: columns }, (_, j) => p(ks2Samp(col(ref, j), col(cur, j)))));
const sortedRefs = Array.from({ length: columns }, (_, j) => sortFloat64(col(ref, j)));
const presorted = time(() =>
  Array.from({ length: columns }, (_, j) => p(ks2SampSorted(sortedRefs[j], sortFloat64(col(cur, j))))),
);
const py = spawnSync(
  'python3',
  [join(import.meta.dirname, 'ks_2samp_scipy.py'), dir, `${columns}`, `${rows}`, `${repeats}`],
  {
    encoding: 'utf8',
  },
);
rmSync(dir, { recursive: true, force: true });
if (py.status !== 0) throw new Error(`scipy side failed: ${py.stderr}`);
const scipy = JSON.parse(py.stdout) as { seconds: number; pvalues: number[] };
const maxDiff = Math.max(...scipy.pvalues.map((q, j) => Math.abs(q - unsorted.pvalues[j])));
console.log(`KS two-sample, ${columns} columns × ${rows} × ${rows}, best of ${repeats}`);
console.log(`  scipy.stats.ks_2samp      ${scipy.seconds.toFixed(3)} s`);
console.log(
  `  plumbline ks2Samp         ${unsorted.seconds.toFixed(3)} s  ratio ${(unsorted.seconds / scipy.seconds).toFixed(3)}`,
);
console.log(
  `  plumbline ks2SampSorted   ${presorted.seconds.toFixed(3)} s  ratio ${(presorted.seconds / scipy.seconds).toFixed(3)}`,
);
console.log(`  max |p(plumbline) − p(scipy)| = ${maxDiff.toExponential(2)}`);
console.log(`  p-values (scipy): ${scipy.pvalues.map((q) => q.toExponential(2)).join(' ')}`);
