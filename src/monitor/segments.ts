/**
 * Segments: 'all', plus, for each segment column of the model (a feature or `tags.<name>`), its
 * top-N values by volume in the window (ties broken by value, so the choice is reproducible).
 */
import type { DictionaryColumn, EventColumns, NumericColumn } from '../store/store.js';

/** One segment of a window: its name and the rows in it. */
export interface Segment {
  /** 'all' or '<column>=<value>'. */
  name: string;
  rows: Int32Array;
}

/** The column behind a segment name (`tags.<name>` or a feature), or undefined if not read. */
export function segmentColumn(
  columns: EventColumns,
  column: string,
): NumericColumn | DictionaryColumn | undefined {
  return column.startsWith('tags.') ? columns.tags[column.slice(5)] : columns.features[column];
}

/**
 * The top-N values by row count of each segment column within rows [begin, end). Numeric
 * columns are not segmented (they have no values to group by); missing values are left out.
 */
export function topSegments(
  columns: EventColumns,
  segmentColumns: readonly string[],
  begin: number,
  end: number,
  topN: number,
): Segment[] {
  if (!Number.isInteger(topN) || topN < 0)
    throw new RangeError(`invalid topN: ${topN} (expected an integer >= 0)`);
  const out: Segment[] = [];
  for (const name of segmentColumns) {
    const col = segmentColumn(columns, name);
    if (col?.kind !== 'dictionary') continue;
    const counts = new Int32Array(col.dictionary.length);
    for (let i = begin; i < end; i++) if (col.codes[i] >= 0) counts[col.codes[i]]++;
    const codes = Array.from(counts.keys())
      .filter((c) => counts[c] > 0)
      .sort((a, b) => counts[b] - counts[a] || (col.dictionary[a] < col.dictionary[b] ? -1 : 1))
      .slice(0, topN);
    for (const code of codes) {
      const rows = new Int32Array(counts[code]);
      let k = 0;
      for (let i = begin; i < end; i++) if (col.codes[i] === code) rows[k++] = i;
      out.push({ name: `${name}=${col.dictionary[code]}`, rows });
    }
  }
  return out;
}

/** The rows [begin, end) as an index list. */
export function rangeRows(begin: number, end: number): Int32Array {
  return Int32Array.from({ length: end - begin }, (_, i) => begin + i);
}
