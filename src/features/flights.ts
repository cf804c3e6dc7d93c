/**
 * Loads the US flights data set (January–June 2001, 3 M rows, from the `vega-datasets`
 * package) joined with airport locations, and derives the delay classifier's raw features
 * in DuckDB SQL. Not pure (reads files); the column → feature-matrix step is in
 * `./flights-matrix.ts`, which is.
 *
 * Rows come in file order (the file is sorted by departure time), so a row range is a time range.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  FLIGHT_CATEGORICAL_COLUMNS,
  FLIGHT_NUMERIC_COLUMNS,
  type FlightCategoricalColumn,
  type FlightNumericColumn,
  type FlightsTable,
} from './flights-matrix.js';

/** Which flights to load: a departure-time range and/or a row window (file order). */
export interface FlightsQuery {
  /** Inclusive lower bound on departure time, ISO date or timestamp (e.g. `2001-01-01`). */
  from?: string;
  /** Exclusive upper bound on departure time. */
  to?: string;
  /** Skip this many rows of the (filtered) file order. Default 0. */
  offset?: number;
  /** At most this many rows. Default: all. */
  limit?: number;
}

/** Paths of the flights Parquet file and the airports CSV inside `vega-datasets`. */
export function flightsDataPaths(): { flights: string; airports: string } {
  // The package exports only its JS entry (build/index.js); the data sit beside build/.
  const dir = join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data');
  return { flights: join(dir, 'flights-3m.parquet'), airports: join(dir, 'airports.csv') };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;

/** Reads flights with their derived raw features (see `FlightsTable`). */
export async function loadFlights(query: FlightsQuery = {}): Promise<FlightsTable> {
  for (const key of ['from', 'to'] as const) {
    const v = query[key];
    if (v !== undefined && !ISO_DATE.test(v))
      throw new RangeError(`invalid ${key}: ${JSON.stringify(v)} (expected an ISO date like 2001-01-21)`);
  }
  for (const key of ['offset', 'limit'] as const) {
    const v = query[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0))
      throw new RangeError(`invalid ${key}: ${v} (expected an integer ≥ 0)`);
  }
  const paths = flightsDataPaths();
  const params: string[] = [paths.flights, paths.airports];
  const where: string[] = [];
  if (query.from !== undefined) {
    params.push(query.from);
    where.push(`f.date >= CAST($${params.length} AS TIMESTAMP)`);
  }
  if (query.to !== undefined) {
    params.push(query.to);
    where.push(`f.date < CAST($${params.length} AS TIMESTAMP)`);
  }
  const sql = `
    WITH a AS (SELECT iata, state, latitude, longitude FROM read_csv_auto($2))
    SELECT
      CAST(epoch_ms(f.date) AS DOUBLE) AS time,
      CAST(f.delay AS DOUBLE) AS delay,
      CAST(hour(f.date) + minute(f.date) / 60.0 AS DOUBLE) AS dep_hour,
      CAST(isodow(f.date) AS DOUBLE) AS weekday,
      CAST(f.distance AS DOUBLE) AS distance,
      CAST(ao.latitude AS DOUBLE) AS origin_lat,
      CAST(ao.longitude AS DOUBLE) AS origin_lon,
      CAST(ad.latitude AS DOUBLE) AS dest_lat,
      CAST(ad.longitude AS DOUBLE) AS dest_lon,
      f.origin AS origin,
      f.destination AS destination,
      ao.state AS origin_state,
      ad.state AS dest_state,
      f.origin || '-' || f.destination AS route
    FROM read_parquet($1, file_row_number = true) f
    LEFT JOIN a ao ON f.origin = ao.iata
    LEFT JOIN a ad ON f.destination = ad.iata
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY f.file_row_number
    ${query.limit !== undefined ? `LIMIT ${query.limit}` : ''} OFFSET ${query.offset ?? 0}`;

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.stream(sql, params);
    const numericNames = ['time', 'delay', ...FLIGHT_NUMERIC_COLUMNS] as const;
    const numericParts = numericNames.map(() => [] as Float64Array[]);
    const catParts = FLIGHT_CATEGORICAL_COLUMNS.map(() => [] as (string | null)[][]);
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const count = chunk.rowCount;
      numericNames.forEach((_, c) => {
        const vector = chunk.getColumnVector(c);
        const out = new Float64Array(count);
        for (let i = 0; i < count; i++) {
          const v = vector.getItem(i);
          out[i] = v === null ? Number.NaN : (v as number);
        }
        numericParts[c].push(out);
      });
      FLIGHT_CATEGORICAL_COLUMNS.forEach((_, c) => {
        const vector = chunk.getColumnVector(numericNames.length + c);
        const out = new Array<string | null>(count);
        for (let i = 0; i < count; i++) out[i] = vector.getItem(i) as string | null;
        catParts[c].push(out);
      });
      n += count;
    }
    const numeric = Object.fromEntries(
      numericNames.map((name, c) => [name, concatFloat64(numericParts[c], n)]),
    ) as Record<'time' | 'delay' | FlightNumericColumn, Float64Array>;
    const categorical = Object.fromEntries(
      FLIGHT_CATEGORICAL_COLUMNS.map((name, c) => [name, catParts[c].flat()]),
    ) as Record<FlightCategoricalColumn, (string | null)[]>;
    const label = new Uint8Array(n);
    for (let i = 0; i < n; i++) label[i] = numeric.delay[i] > 15 ? 1 : 0;
    const { time, delay, ...features } = numeric;
    return { n, time, delay, label, numeric: features, categorical };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function concatFloat64(parts: Float64Array[], n: number): Float64Array {
  const out = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
