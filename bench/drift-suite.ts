/**
 * Benchmark: the drift suite on 100 000 reference × 100 000 current rows, 20 numeric and 5
 * categorical columns, Plumbline against SciPy/NumPy (bench/drift_suite_scipy.py) on the same data.
 *
 *   node --import tsx bench/drift-suite.ts [--rows 100000] [--repeats 3]
 *
 * Data: generated here with a fixed seed (xoshiro128**, seed 20261126), written once to a temp
 * dir as raw float64 (column-major) plus a JSON of category strings; both sides read those files
 * and neither times the reading. Timed, per numeric column: sorting, quantile bins, KS (statistic
 * and p-value), W1, PSI and JS; per categorical column: category counts, chi-square, PSI and JS.
 * Each side reports its best of `repeats` runs (after one warm-up run here). The values of both
 * sides are compared too, so the ratio is between equal answers.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { detectDrift } from '../src/drift/detect-drift.js';
import { prepareCurrent, prepareReference } from '../src/drift/prepare.js';
import { driftTests } from '../src/drift/registry.js';
import { wasserstein1Sorted } from '../src/drift/wasserstein.js';
import { createRng, type Rng } from '../src/stats/random.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const rows = option('rows', 100_000);
const repeats = option('repeats', 3);
const numericColumns = 20;
const categoricalColumns = 5;

//// data ////

function numericColumn(rng: Rng, j: number, current: boolean): Float64Array {
  const shift = current && j % 4 === 0 ? 0.1 * (j / 4 + 1) : 0;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const z = rng.normal();
    switch (j % 5) {
      case 0:
        out[i] = z + shift;
        break;
      case 1:
        out[i] = Math.exp(1 + 0.8 * z + shift); // lognormal, heavy right tail
        break;
      case 2:
        out[i] = Math.floor(24 * rng.next() + 4 * shift); // integers with many ties
        break;
      case 3:
        out[i] = 1e6 + 1000 * z * (1 + shift); // large values, scale change
        break;
      default:
        out[i] = -Math.log(1 - rng.next()) * (1 + shift); // exponential
    }
  }
  return out;
}

function categoricalColumn(rng: Rng, j: number, current: boolean): string[] {
  const k = [2, 5, 12, 40, 200][j];
  const out = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    // Zipf-like: category c with weight ∝ 1/(c+1); the current window tilts towards the tail
    const u = current && j % 2 === 0 ? rng.next() ** 0.9 : rng.next();
    out[i] = `cat-${j}-${Math.floor(k ** u) - 1}`;
  }
  return out;
}

function writeData(dir: string): void {
  const rng = createRng(20261126);
  const ref = new Float64Array(rows * numericColumns);
  const cur = new Float64Array(rows * numericColumns);
  for (let j = 0; j < numericColumns; j++) {
    ref.set(numericColumn(rng, j, false), j * rows);
    cur.set(numericColumn(rng, j, true), j * rows);
  }
  writeFileSync(join(dir, 'ref.f64'), Buffer.from(ref.buffer));
  writeFileSync(join(dir, 'cur.f64'), Buffer.from(cur.buffer));
  const cats = { reference: [] as string[][], current: [] as string[][] };
  for (let j = 0; j < categoricalColumns; j++) {
    cats.reference.push(categoricalColumn(rng, j, false));
    cats.current.push(categoricalColumn(rng, j, true));
  }
  writeFileSync(join(dir, 'cats.json'), JSON.stringify(cats));
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ rows, numericColumns, categoricalColumns }));
}

function readF64(path: string): Float64Array {
  const buf = readFileSync(path);
  return new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
}

//// Plumbline side ////

interface Results {
  numeric: Record<string, number>[];
  categorical: Record<string, number>[];
}

function runPlumbline(
  ref: Float64Array[],
  cur: Float64Array[],
  catRef: string[][],
  catCur: string[][],
): Results {
  const numeric = ref.map((values, j) => {
    const r = prepareReference({ type: 'numeric', values });
    const c = prepareCurrent(r, cur[j]);
    if (r.type !== 'numeric' || c.type !== 'numeric') throw new Error('unreachable');
    const ks = driftTests.ks.compute(r, c);
    return {
      ks: ks.value,
      ksP: ks.pValue!,
      wasserstein: wasserstein1Sorted(r.sorted, c.sorted),
      psi: driftTests.psi.compute(r, c).value,
      jensenShannon: driftTests.jensenShannon.compute(r, c).value,
    };
  });
  const categorical = catRef.map((values, j) => {
    const r = prepareReference({ type: 'categorical', values });
    const c = prepareCurrent(r, catCur[j]);
    const chi = driftTests.chiSquare.compute(r, c);
    return {
      chiSquare: chi.value,
      chiSquareP: chi.pValue!,
      psi: driftTests.psi.compute(r, c).value,
      jensenShannon: driftTests.jensenShannon.compute(r, c).value,
    };
  });
  return { numeric, categorical };
}

function maxRelativeDifference(a: Results, b: Results): { key: string; diff: number } {
  let worst = { key: '', diff: 0 };
  for (const kind of ['numeric', 'categorical'] as const) {
    a[kind].forEach((row, j) => {
      for (const [key, x] of Object.entries(row)) {
        const y = b[kind][j][key];
        const diff = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(y), 1e-300);
        // p-values below 1e-300 underflow differently on the two sides; compare them absolutely
        const d = key.endsWith('P') ? Math.min(diff, Math.abs(x - y)) : diff;
        if (d > worst.diff) worst = { key: `${kind}[${j}].${key}`, diff: d };
      }
    });
  }
  return worst;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-drift-bench-'));
  try {
    writeData(dir);
    const refAll = readF64(join(dir, 'ref.f64'));
    const curAll = readF64(join(dir, 'cur.f64'));
    const ref = Array.from({ length: numericColumns }, (_, j) => refAll.subarray(j * rows, (j + 1) * rows));
    const cur = Array.from({ length: numericColumns }, (_, j) => curAll.subarray(j * rows, (j + 1) * rows));
    const cats = JSON.parse(readFileSync(join(dir, 'cats.json'), 'utf8')) as {
      reference: string[][];
      current: string[][];
    };

    runPlumbline(ref, cur, cats.reference, cats.current); // warm-up (JIT)
    let best = Number.POSITIVE_INFINITY;
    let ours: Results | undefined;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      ours = runPlumbline(ref, cur, cats.reference, cats.current);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }

    const py = spawnSync(
      'python3',
      [join(import.meta.dirname ?? __dirname, 'drift_suite_scipy.py'), dir, String(repeats)],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    if (py.status !== 0) throw new Error(`python3 failed: ${py.stderr}`);
    const scipy = JSON.parse(py.stdout) as Results & { seconds: number };

    const worst = maxRelativeDifference(ours!, scipy);

    // not part of the ratio: Plumbline's full rule, with the resampled nulls SciPy has no counterpart for
    const t1 = performance.now();
    const report = detectDrift([
      ...ref.map((values, j) => ({
        name: `x${j}`,
        type: 'numeric' as const,
        reference: values,
        current: cur[j],
      })),
      ...cats.reference.map((values, j) => ({
        name: `c${j}`,
        type: 'categorical' as const,
        reference: values,
        current: cats.current[j],
      })),
    ]);
    const fullSeconds = (performance.now() - t1) / 1000;
    console.log(
      `drift suite: ${rows} × ${rows} rows, ${numericColumns} numeric + ${categoricalColumns} categorical columns`,
    );
    console.log(`plumbline  ${best.toFixed(3)} s (best of ${repeats})`);
    console.log(`scipy      ${scipy.seconds.toFixed(3)} s (best of ${repeats})`);
    console.log(`ratio      ${(best / scipy.seconds).toFixed(3)} (plumbline / scipy; target ≤ 0.5)`);
    console.log(`agreement  max relative difference ${worst.diff.toExponential(2)} at ${worst.key}`);
    console.log(
      `full rule  detectDrift with resampled nulls (B = ${(report.columns[0] as { significance?: { null?: { resamples: number } } }).significance?.null?.resamples}): ${fullSeconds.toFixed(3)} s, drifted: ${report.drifted.join(', ')}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
