/**
 * Turns loaded flights into replayed production events (pure, seeded): row selection by time,
 * the stationary resample of reference days, and the simulated serving latency.
 */
import type { FlightsTable } from '../features/flights-matrix.js';
import { lowerBound } from '../metrics/binary-curve.js';
import { createRng } from '../stats/random.js';
import type { ReplayEvents } from './incidents.js';
import { DAY_MS, type DayRange, dayRangeMs } from './scenario.js';

/** Baseline version and tags of events no incident touched. */
export const BASELINE = { version: 'v1', tags: Object.freeze({ pipeline: 'v1' }) as Record<string, string> };

/** Row indices [start, end) of the flights departing within `range` (table sorted by time). */
export function rowsOfDays(table: { time: Float64Array }, range: DayRange): { start: number; end: number } {
  const { fromMs, toMs } = dayRangeMs(range);
  return { start: lowerBound(table.time, fromMs), end: lowerBound(table.time, toMs) };
}

/**
 * The stationary replay: each day of `replay` is mapped onto a day of `reference` drawn uniformly
 * at random (seeded), and that day's flights are resampled with replacement (as many as it has),
 * each keeping its time of day. Returns the source rows and the new event times, by time.
 */
export function resampleReferenceDays(
  table: { time: Float64Array },
  reference: DayRange,
  replay: DayRange,
  seed: number,
): { rows: Int32Array; time: Float64Array; dayMap: { day: string; from: string }[] } {
  const rng = createRng(seed);
  const ref = dayRangeMs(reference);
  const out = dayRangeMs(replay);
  const refDays = Math.round((ref.toMs - ref.fromMs) / DAY_MS);
  const rows: number[] = [];
  const times: number[] = [];
  const dayMap: { day: string; from: string }[] = [];
  for (let day = out.fromMs; day < out.toMs; day += DAY_MS) {
    const src = ref.fromMs + rng.int(refDays) * DAY_MS;
    dayMap.push({
      day: new Date(day).toISOString().slice(0, 10),
      from: new Date(src).toISOString().slice(0, 10),
    });
    const start = lowerBound(table.time, src);
    const end = lowerBound(table.time, src + DAY_MS);
    const count = end - start;
    const picked: number[] = [];
    for (let k = 0; k < count; k++) picked.push(start + rng.int(count));
    // keep the day's time order (ties by row) so that event times are sorted
    picked.sort((a, b) => table.time[a] - table.time[b] || a - b);
    for (const r of picked) {
      rows.push(r);
      times.push(day + (table.time[r] - src));
    }
  }
  return { rows: Int32Array.from(rows), time: Float64Array.from(times), dayMap };
}

/** Options of {@link buildReplayEvents}. */
export interface ReplayEventOptions {
  /** Seed of the simulated latency. Default 0. */
  seed?: number;
  /** Median serving latency in ms (lognormal). Default 8. */
  latencyMedianMs?: number;
  /** Log-scale spread of the latency. Default 0.35. */
  latencySigma?: number;
}

const defaults = { seed: 0, latencyMedianMs: 8, latencySigma: 0.35 };

/**
 * Gathers `rows` of the table into replay events with event times `time` (default: the rows'
 * own), baseline version and tags, and a simulated latency: total ~ lognormal(ln median, sigma),
 * stages `features` = 55 % and `model` = 30 % of it (the rest is transport).
 */
export function buildReplayEvents(
  table: FlightsTable,
  rows: Int32Array,
  time?: Float64Array,
  options: ReplayEventOptions = {},
): ReplayEvents {
  const o = { ...defaults, ...options };
  const n = rows.length;
  const numeric: Record<string, Float64Array> = {};
  for (const [name, col] of Object.entries(table.numeric)) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[rows[i]];
    numeric[name] = out;
  }
  const categorical: Record<string, (string | null)[]> = {};
  for (const [name, col] of Object.entries(table.categorical)) {
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) out[i] = col[rows[i]];
    categorical[name] = out;
  }
  const label = new Uint8Array(n);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    label[i] = table.label[rows[i]];
    t[i] = time ? time[i] : table.time[rows[i]];
  }
  const rng = createRng(o.seed);
  const latencyMs = new Float64Array(n);
  const features = new Float64Array(n);
  const model = new Float64Array(n);
  const mu = Math.log(o.latencyMedianMs);
  for (let i = 0; i < n; i++) {
    const total = Math.exp(mu + o.latencySigma * rng.normal());
    latencyMs[i] = total;
    features[i] = 0.55 * total;
    model[i] = 0.3 * total;
  }
  return {
    n,
    time: t,
    numeric,
    categorical,
    label,
    latencyMs,
    stages: { features, model },
    version: new Array<string>(n).fill(BASELINE.version),
    tags: new Array<Record<string, string>>(n).fill(BASELINE.tags),
  };
}

/** The row indices start, start+1, …, end−1. */
export function rowRange(start: number, end: number): Int32Array {
  const out = new Int32Array(Math.max(0, end - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
}
