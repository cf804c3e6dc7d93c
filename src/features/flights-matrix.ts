/**
 * The flights delay classifier's features, and the pure step that turns loaded
 * flight columns into a model matrix (numeric columns as is, categorical columns
 * as integer codes into per-feature dictionaries).
 *
 * Features: departure hour (fractional, local clock as stored), ISO weekday (1 = Monday),
 * distance (miles), origin/destination latitude and longitude; categorical origin,
 * destination, their states, and the route `ORIGIN-DEST` limited to its `routeTopN` most
 * frequent values (the rest share `(other)`). Day of year is left out on purpose: trained on
 * early January it can only extrapolate as a constant, and it drifts by construction.
 * Label: delayed = delay > 15 minutes.
 */
import type { ModelFeature } from '../models/types.js';
import { encodeCategories, frequencyDictionary } from './encode.js';

/** Numeric feature columns, in matrix order. */
export const FLIGHT_NUMERIC_COLUMNS = [
  'dep_hour',
  'weekday',
  'distance',
  'origin_lat',
  'origin_lon',
  'dest_lat',
  'dest_lon',
] as const;
/** Categorical feature columns, in matrix order (after the numeric ones). */
export const FLIGHT_CATEGORICAL_COLUMNS = [
  'origin',
  'destination',
  'origin_state',
  'dest_state',
  'route',
] as const;

/** A numeric flight feature name. */
export type FlightNumericColumn = (typeof FLIGHT_NUMERIC_COLUMNS)[number];
/** A categorical flight feature name. */
export type FlightCategoricalColumn = (typeof FLIGHT_CATEGORICAL_COLUMNS)[number];

/** Loaded flights: departure time (epoch ms), delay (min), label and raw feature columns. */
export interface FlightsTable {
  n: number;
  time: Float64Array;
  delay: Float64Array;
  /** 1 when delay > 15 minutes. */
  label: Uint8Array;
  numeric: Record<FlightNumericColumn, Float64Array>;
  categorical: Record<FlightCategoricalColumn, (string | null)[]>;
}

/** A model-ready matrix: one column per feature (codes for categorical), with labels. */
export interface FlightsMatrix {
  features: ModelFeature[];
  columns: Float64Array[];
  label: Uint8Array;
}

/** Options for {@link buildFlightsMatrix}. */
export interface FlightsMatrixOptions {
  /** Category dictionaries to encode with (e.g. the training matrix's features); default: built from this table. */
  dictionaries?: Partial<Record<FlightCategoricalColumn, string[]>>;
  /** Routes kept as their own category when building dictionaries (default 200). */
  routeTopN?: number;
}

const defaults = { routeTopN: 200 };

/** Label used for routes outside the top N. */
export const OTHER_ROUTE = '(other)';

/**
 * Builds the feature matrix. Built dictionaries list categories by decreasing frequency
 * (ties by name), so codes are stable for the same data; unknown categories and nulls become NaN
 * (missing), except routes, which fall into `(other)`.
 */
export function buildFlightsMatrix(table: FlightsTable, options: FlightsMatrixOptions = {}): FlightsMatrix {
  const { routeTopN } = { ...defaults, ...options };
  if (!Number.isInteger(routeTopN) || routeTopN < 1)
    throw new RangeError(`invalid routeTopN: ${routeTopN} (expected an integer ≥ 1)`);
  const features: ModelFeature[] = [];
  const columns: Float64Array[] = [];
  for (const name of FLIGHT_NUMERIC_COLUMNS) {
    features.push({ name, type: 'numeric' });
    columns.push(table.numeric[name]);
  }
  for (const name of FLIGHT_CATEGORICAL_COLUMNS) {
    const values = table.categorical[name];
    const given = options.dictionaries?.[name];
    const dictionary =
      given ?? frequencyDictionary(values, name === 'route' ? routeTopN : Number.POSITIVE_INFINITY);
    if (name === 'route' && !given) dictionary.push(OTHER_ROUTE);
    const other = name === 'route' ? dictionary.indexOf(OTHER_ROUTE) : -1;
    const col = encodeCategories(values, dictionary, other >= 0 ? other : Number.NaN);
    features.push({ name, type: 'categorical', categories: dictionary });
    columns.push(col);
  }
  return { features, columns, label: table.label };
}
