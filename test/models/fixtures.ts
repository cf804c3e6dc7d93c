/** Reads the XGBoost / LightGBM oracle fixtures written by scripts/fixtures-*.py. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '..', 'fixtures');

/** A fixture's test rows and the oracle's outputs. */
export interface Cases {
  featureNames: string[] | null;
  rows: (number | null)[][];
  margins: number[];
  probabilities: number[];
  /** Per row: one attribution per feature, then the bias (base value). XGBoost fixtures only. */
  contribs?: number[][];
}

/** Text of a fixture file. */
export function fixtureText(name: string): string {
  return readFileSync(join(DIR, name), 'utf8');
}

/** Parsed cases of a fixture. */
export function readCases(name: string): Cases {
  return JSON.parse(fixtureText(name)) as Cases;
}

/** The rows as feature columns (null → NaN). */
export function toColumns(rows: (number | null)[][]): Float64Array[] {
  const nf = rows[0].length;
  return Array.from({ length: nf }, (_, j) =>
    Float64Array.from(rows, (r) => (r[j] === null ? Number.NaN : r[j]!)),
  );
}

/** One row as a Float64Array (null → NaN). */
export function toRow(row: (number | null)[]): Float64Array {
  return Float64Array.from(row, (v) => (v === null ? Number.NaN : v));
}
