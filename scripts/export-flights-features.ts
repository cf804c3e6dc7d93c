/**
 * Writes the flights delay task (features from `src/features/`) as raw files that the
 * Python oracles (`scripts/fixtures-gbdt.py`, `bench/xgb_train.py`) and the TypeScript side
 * both read, so both train on identical inputs. (`/usr/bin/python3` has no Parquet reader,
 * hence raw float64 rather than Parquet.)
 *
 * Layout in DIR: `meta.json` ({ features, nTrain, nTest, split }), `train-x.f64` and `test-x.f64`
 * (float64 little-endian, column-major: feature j of row i at j·n + i; categorical = code, NaN = missing),
 * `train-y.f64`, `test-y.f64` (0/1).
 *
 *   node --import tsx scripts/export-flights-features.ts DIR [dates|rows]
 *     dates (default): train 2001-01-01..21, test 2001-01-22..31
 *     rows: train = first 1 000 000 rows, test = the next 200 000 (the benchmark split)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FlightsQuery, loadFlights } from '../src/features/flights.js';
import { buildFlightsMatrix, type FlightsMatrix } from '../src/features/flights-matrix.js';
import type { ModelFeature } from '../src/models/types.js';

/** The two train/test splits used by the quality test and the benchmark. */
export const FLIGHT_SPLITS: Record<'dates' | 'rows', { train: FlightsQuery; test: FlightsQuery }> = {
  dates: { train: { from: '2001-01-01', to: '2001-01-22' }, test: { from: '2001-01-22', to: '2001-02-01' } },
  rows: { train: { limit: 1_000_000 }, test: { offset: 1_000_000, limit: 200_000 } },
};

/** Loads a split, builds train/test matrices (test encoded with the train dictionaries). */
export async function loadFlightSplit(
  split: 'dates' | 'rows',
): Promise<{ train: FlightsMatrix; test: FlightsMatrix }> {
  const q = FLIGHT_SPLITS[split];
  const train = buildFlightsMatrix(await loadFlights(q.train));
  const dictionaries = Object.fromEntries(train.features.map((f) => [f.name, f.categories]));
  const test = buildFlightsMatrix(await loadFlights(q.test), { dictionaries });
  return { train, test };
}

function columnMajor(columns: Float64Array[]): Float64Array {
  const n = columns[0].length;
  const out = new Float64Array(columns.length * n);
  columns.forEach((c, j) => {
    out.set(c, j * n);
  });
  return out;
}

/** Writes a split to DIR in the layout above. */
export async function exportFlightsFeatures(dir: string, split: 'dates' | 'rows'): Promise<void> {
  const { train, test } = await loadFlightSplit(split);
  mkdirSync(dir, { recursive: true });
  const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  writeFileSync(join(dir, 'train-x.f64'), bytes(columnMajor(train.columns)));
  writeFileSync(join(dir, 'test-x.f64'), bytes(columnMajor(test.columns)));
  writeFileSync(join(dir, 'train-y.f64'), bytes(Float64Array.from(train.label)));
  writeFileSync(join(dir, 'test-y.f64'), bytes(Float64Array.from(test.label)));
  const meta = { features: train.features, nTrain: train.label.length, nTest: test.label.length, split };
  writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
}

/** Reads what `exportFlightsFeatures` wrote. */
export function readFlightsFeatures(dir: string): {
  features: ModelFeature[];
  train: { columns: Float64Array[]; label: Float64Array };
  test: { columns: Float64Array[]; label: Float64Array };
} {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as {
    features: ModelFeature[];
    nTrain: number;
    nTest: number;
  };
  const f64 = (name: string) => {
    const b = readFileSync(join(dir, name));
    return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };
  const split = (x: Float64Array, n: number) => meta.features.map((_, j) => x.subarray(j * n, (j + 1) * n));
  return {
    features: meta.features,
    train: { columns: split(f64('train-x.f64'), meta.nTrain), label: f64('train-y.f64') },
    test: { columns: split(f64('test-x.f64'), meta.nTest), label: f64('test-y.f64') },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir, split = 'dates'] = process.argv.slice(2);
  if (!dir || (split !== 'dates' && split !== 'rows')) {
    process.stderr.write('usage: export-flights-features.ts DIR [dates|rows]\n');
    process.exit(2);
  }
  await exportFlightsFeatures(dir, split);
}
