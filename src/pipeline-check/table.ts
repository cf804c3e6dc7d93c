/**
 * Small helpers over `FeatureTable`s: lookup by name, pairing rows by a key column, and
 * deterministic row subsamples. Pure.
 */
import { createRng } from '../stats/random.js';
import type { FeatureColumnData, FeatureTable } from './types.js';

/** Rows of a table (0 for an empty one); throws when columns differ in length. */
export function tableRows(table: FeatureTable): number {
  const n = table[0]?.values.length ?? 0;
  for (const c of table) {
    if (c.values.length !== n)
      throw new RangeError(`invalid table: column ${c.name} has ${c.values.length} rows (expected ${n})`);
  }
  return n;
}

/** The column named `name`, or undefined. */
export function columnOf(table: FeatureTable, name: string): FeatureColumnData | undefined {
  return table.find((c) => c.name === name);
}

/** True when row i of the column is missing (NaN or null). */
export function isMissingAt(column: FeatureColumnData, i: number): boolean {
  const v = column.values[i];
  return v === null || (typeof v === 'number' && Number.isNaN(v));
}

/** Share of missing values (0 for an empty column). */
export function missingRate(column: FeatureColumnData, rows?: ArrayLike<number>): number {
  const n = rows ? rows.length : column.values.length;
  if (n === 0) return 0;
  let m = 0;
  for (let k = 0; k < n; k++) if (isMissingAt(column, rows ? rows[k] : k)) m++;
  return m / n;
}

/** Rows matched by key: `before[k]` and `after[k]` hold the same key. */
export interface Pairing {
  before: Int32Array;
  after: Int32Array;
  /** Keys found on one side only. */
  unmatchedBefore: number;
  unmatchedAfter: number;
  /** Keys seen more than once on a side (their later rows are ignored). */
  duplicates: number;
}

const keyOf = (column: FeatureColumnData, i: number): string | number | null => {
  const v = column.values[i];
  return typeof v === 'number' && Number.isNaN(v) ? null : v;
};

/** Pairs the rows of two columns holding the same key (missing keys are never paired). O(n). */
export function pairByKey(before: FeatureColumnData, after: FeatureColumnData): Pairing {
  const index = new Map<string | number, number>();
  let duplicates = 0;
  for (let i = 0; i < before.values.length; i++) {
    const k = keyOf(before, i);
    if (k === null) continue;
    if (index.has(k)) duplicates++;
    else index.set(k, i);
  }
  const b: number[] = [];
  const a: number[] = [];
  const seen = new Set<string | number>();
  for (let j = 0; j < after.values.length; j++) {
    const k = keyOf(after, j);
    if (k === null) continue;
    if (seen.has(k)) {
      duplicates++;
      continue;
    }
    seen.add(k);
    const i = index.get(k);
    if (i !== undefined) {
      b.push(i);
      a.push(j);
    }
  }
  return {
    before: Int32Array.from(b),
    after: Int32Array.from(a),
    unmatchedBefore: index.size - b.length,
    unmatchedAfter: seen.size - a.length,
    duplicates,
  };
}

/** Up to `size` distinct row indices of 0..n−1, drawn without replacement with `seed`, sorted. */
export function sampleRows(n: number, size: number, seed: number): Int32Array {
  if (size >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  // Floyd's algorithm: `size` draws, no O(n) shuffle
  const chosen = new Set<number>();
  for (let j = n - size; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}

/** Numeric values at the given rows. */
export function gatherNumeric(values: Float64Array, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
  return out;
}

/** Any column's values at the given rows. */
export function gatherColumn(column: FeatureColumnData, rows: ArrayLike<number>): FeatureColumnData {
  if (column.kind === 'categorical') {
    const out = new Array<string | null>(rows.length);
    for (let k = 0; k < rows.length; k++) out[k] = column.values[rows[k]];
    return { name: column.name, kind: 'categorical', values: out };
  }
  return { name: column.name, kind: column.kind, values: gatherNumeric(column.values, rows) };
}

/** True when every value is present and distinct, and integer or text: a row identifier, not a feature. */
export function isIdentifier(column: FeatureColumnData): boolean {
  const n = column.values.length;
  if (n < 2) return false;
  const seen = new Set<string | number | null>();
  for (let i = 0; i < n; i++) {
    const v = column.values[i];
    if (v === null || (typeof v === 'number' && !Number.isInteger(v))) return false;
    if (seen.has(v)) return false;
    seen.add(v);
  }
  return true;
}
