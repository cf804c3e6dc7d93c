/**
 * Pipeline-change cases with known causes, built from the real flights data (src/features/flights.ts):
 * a "pipeline" turns loaded flights into a features table (origin as an integer code from a fixed
 * dictionary, the label `delayed`, a row key) and each case changes the pipeline or the data in one
 * known way.
 */
import { frequencyDictionary } from '../../src/features/encode.js';
import { loadFlights } from '../../src/features/flights.js';
import type { FlightsTable } from '../../src/features/flights-matrix.js';
import type { FeatureColumnData, FeatureTable } from '../../src/pipeline-check/types.js';
import { createRng } from '../../src/stats/random.js';

/** Loads every `step`-th flight of [from, to) (a spread-out sample of a period). */
export async function loadSample(from: string, to: string, step: number): Promise<FlightsTable> {
  const t = await loadFlights({ from, to });
  const keep = Array.from({ length: Math.floor(t.n / step) }, (_, i) => i * step);
  const num = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
  const cat = (a: (string | null)[]) => keep.map((i) => a[i]);
  return {
    n: keep.length,
    time: num(t.time),
    delay: num(t.delay),
    label: Uint8Array.from(keep, (i) => t.label[i]),
    numeric: Object.fromEntries(
      Object.entries(t.numeric).map(([k, v]) => [k, num(v)]),
    ) as FlightsTable['numeric'],
    categorical: Object.fromEntries(
      Object.entries(t.categorical).map(([k, v]) => [k, cat(v)]),
    ) as FlightsTable['categorical'],
  };
}

/** The "pipeline": flights → features (key, label, numeric features, origin code, categorical rest). */
export function featuresOf(
  t: FlightsTable,
  originDictionary: readonly string[],
  keyOffset = 0,
): FeatureColumnData[] {
  const codes = new Map(originDictionary.map((v, i) => [v, i]));
  return [
    { name: 'id', kind: 'numeric', values: Float64Array.from({ length: t.n }, (_, i) => keyOffset + i) },
    { name: 'delayed', kind: 'numeric', values: Float64Array.from(t.label) },
    ...Object.entries(t.numeric).map(
      ([name, values]): FeatureColumnData => ({ name, kind: 'numeric', values }),
    ),
    {
      name: 'origin',
      kind: 'numeric',
      values: Float64Array.from(t.categorical.origin, (v) =>
        v === null ? Number.NaN : (codes.get(v) ?? Number.NaN),
      ),
    },
    { name: 'destination', kind: 'categorical', values: t.categorical.destination },
    { name: 'origin_state', kind: 'categorical', values: t.categorical.origin_state },
    { name: 'dest_state', kind: 'categorical', values: t.categorical.dest_state },
  ];
}

/** The raw inputs the pipeline reads. */
export function rawOf(t: FlightsTable, keyOffset = 0): FeatureColumnData[] {
  return [
    { name: 'id', kind: 'numeric', values: Float64Array.from({ length: t.n }, (_, i) => keyOffset + i) },
    { name: 'date', kind: 'datetime', values: t.time },
    { name: 'delay', kind: 'numeric', values: t.delay },
    { name: 'distance', kind: 'numeric', values: t.numeric.distance },
    { name: 'origin', kind: 'categorical', values: t.categorical.origin },
    { name: 'destination', kind: 'categorical', values: t.categorical.destination },
  ];
}

/** Replaces one column of a table. */
export function withColumn(table: FeatureTable, column: FeatureColumnData): FeatureColumnData[] {
  const out = table.filter((c) => c.name !== column.name);
  out.push(column);
  return out;
}

/** The column named `name` (throws when absent). */
export function col(table: FeatureTable, name: string): FeatureColumnData {
  const c = table.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

/** Distances in km instead of miles. */
export function distanceInKm(table: FeatureTable): FeatureColumnData[] {
  const d = col(table, 'distance').values as Float64Array;
  return withColumn(table, { name: 'distance', kind: 'numeric', values: d.map((v) => v * 1.609344) });
}

/** Origin codes permuted (a reshuffled encoding dictionary). */
export function shuffledOrigin(table: FeatureTable, nCodes: number, seed: number): FeatureColumnData[] {
  const rng = createRng(seed);
  const perm = Array.from({ length: nCodes }, (_, i) => i);
  for (let i = nCodes - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  const o = col(table, 'origin').values as Float64Array;
  return withColumn(table, {
    name: 'origin',
    kind: 'numeric',
    values: o.map((v) => (Number.isNaN(v) ? v : perm[v])),
  });
}

/** Adds a feature derived from the label's source: arrival delay in minutes, rounded, with noise. */
export function withArrivalDelay(table: FeatureTable, t: FlightsTable, seed: number): FeatureColumnData[] {
  const rng = createRng(seed);
  return withColumn(table, {
    name: 'arr_delay',
    kind: 'numeric',
    values: Float64Array.from(t.delay, (d) => Math.round(d + 6 * (rng.next() - 0.5))),
  });
}

/** Loads the cases' data once: a January week and a June week (every `step`-th flight), and the origin dictionary. */
export async function loadCaseData(step = 5): Promise<{
  jan: FlightsTable;
  jun: FlightsTable;
  originDictionary: string[];
}> {
  const jan = await loadSample('2001-01-15', '2001-01-22', step);
  const jun = await loadSample('2001-06-11', '2001-06-18', step);
  return { jan, jun, originDictionary: frequencyDictionary(jan.categorical.origin) };
}

/** CSV text of a table (missing = empty field; datetimes as ISO timestamps). */
export function toCsv(table: readonly FeatureColumnData[]): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const n = table[0]?.values.length ?? 0;
  const lines = [table.map((c) => quote(c.name)).join(',')];
  for (let i = 0; i < n; i++) {
    lines.push(
      table
        .map((c) => {
          const v = c.values[i];
          if (v === null || (typeof v === 'number' && Number.isNaN(v))) return '';
          if (c.kind === 'datetime') return new Date(v as number).toISOString();
          return typeof v === 'number' ? String(v) : quote(v);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
