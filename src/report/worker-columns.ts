/**
 * Report columns as a worker message: numeric sides as copied Float64Arrays (transferred, so the
 * caller keeps its own), categorical sides as Int32Array codes (−1 = missing) and their levels,
 * which clone far faster and smaller than a million strings.
 */
import type { ReportColumn } from './build-report.js';

/** A categorical side encoded as codes into `levels`; −1 is missing. */
export interface EncodedCategories {
  codes: Int32Array<ArrayBuffer>;
  levels: string[];
}

/** One column of a worker message. */
export type WorkerColumn =
  | { name: string; type: 'numeric'; reference: Float64Array; current: Float64Array }
  | { name: string; type: 'categorical'; reference: EncodedCategories; current: EncodedCategories };

/** What `drift-worker.ts` receives. */
export interface WorkerDriftRequest {
  columns: WorkerColumn[];
  seed: number;
  alpha: number;
}

/** Codes and levels of category labels (levels in first-seen order). */
export function encodeCategories(values: readonly (string | null)[]): EncodedCategories {
  const index = new Map<string, number>();
  const levels: string[] = [];
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = levels.length;
      index.set(v, code);
      levels.push(v);
    }
    codes[i] = code;
  }
  return { codes, levels };
}

/** The labels back from codes and levels. */
export function decodeCategories(encoded: EncodedCategories): (string | null)[] {
  const { codes, levels } = encoded;
  const out = new Array<string | null>(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] < 0 ? null : levels[codes[i]];
  return out;
}

/** A column as a worker message part, and the buffers to transfer with it. */
export function encodeForWorker(column: ReportColumn): { column: WorkerColumn; transfer: ArrayBuffer[] } {
  if (column.type === 'numeric') {
    const reference = new Float64Array(column.reference);
    const current = new Float64Array(column.current);
    return {
      column: { name: column.name, type: 'numeric', reference, current },
      transfer: [reference.buffer, current.buffer],
    };
  }
  const reference = encodeCategories(column.reference);
  const current = encodeCategories(column.current);
  return {
    column: { name: column.name, type: 'categorical', reference, current },
    transfer: [reference.codes.buffer, current.codes.buffer],
  };
}

/** The report column a worker message part stands for (drift treats all non-numeric as categorical). */
export function decodeFromWorker(column: WorkerColumn): ReportColumn {
  if (column.type === 'numeric') return column;
  return {
    name: column.name,
    type: 'categorical',
    reference: decodeCategories(column.reference),
    current: decodeCategories(column.current),
  };
}
