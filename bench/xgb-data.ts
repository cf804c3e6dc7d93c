/** Shared setup of the XGBoost-anchored benchmarks: trains/caches models via bench/xgb_anchor.py and reads the data. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CompiledModel, compileModel } from '../src/models/compile.js';
import { readXgboostJson } from '../src/models/formats/xgboost-json.js';

/** Where the models and data are cached between runs. */
export const BENCH_DIR = join(tmpdir(), 'plumbline-bench-xgb');
const SCRIPT = join(import.meta.dirname, 'xgb_anchor.py');
const NF = 12;

/** Runs the XGBoost side (`/usr/bin/python3 bench/xgb_anchor.py ...`) and parses its JSON line. */
export function runAnchor(...args: string[]): Record<string, number> {
  const out = execFileSync('/usr/bin/python3', [SCRIPT, ...args.slice(0, 1), BENCH_DIR, ...args.slice(1)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Loads a benchmark model (`d6`, `d8`, `p6`) and the first `rows` rows of the shared data as columns. */
export function loadBench(model: string, rows: number): { compiled: CompiledModel; cols: Float64Array[] } {
  runAnchor('prepare');
  const compiled = compileModel(readXgboostJson(readFileSync(join(BENCH_DIR, `${model}.json`), 'utf8')));
  const buf = readFileSync(join(BENCH_DIR, 'X.f64'));
  const X = new Float64Array(buf.buffer, buf.byteOffset, buf.byteLength / 8);
  const cols = Array.from({ length: NF }, (_, j) =>
    Float64Array.from({ length: rows }, (_, r) => X[r * NF + j]),
  );
  return { compiled, cols };
}

/**
 * Best-of-`repeats` CPU time (user + system, this process) of `fn` in seconds, and its last
 * result. CPU time rather than wall time, like the Python side, so that other jobs on a shared
 * machine do not distort the ratio; both sides are single-threaded.
 */
export function best<T>(repeats: number, fn: () => T): { seconds: number; result: T } {
  let seconds = Number.POSITIVE_INFINITY;
  let result!: T;
  for (let i = 0; i < repeats; i++) {
    const t0 = process.cpuUsage();
    result = fn();
    const dt = process.cpuUsage(t0);
    seconds = Math.min(seconds, (dt.user + dt.system) / 1e6);
  }
  return { seconds, result };
}
