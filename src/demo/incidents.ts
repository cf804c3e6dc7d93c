/**
 * Applies a scenario's incidents to replayed events, in place. Pure and seeded: whether event i
 * is affected by incident k is a hash of (seed, k, i), so the outcome does not depend on how the
 * events are split into batches.
 *
 * Incidents apply in file order, each to the events whose time lies in its day range (both days
 * inclusive) and that match its `where` filter as the event stands after the earlier incidents;
 * a share `fraction` of those is affected. Effects:
 * - `scale` / `shift`: numeric feature × factor / + by (NaN stays NaN);
 * - `nulls`: the feature becomes missing (NaN or null);
 * - `category-remap`: categories listed in `mapping` are replaced (an encoding bug);
 * - `label-flip`: label `fromLabel` becomes `toLabel` (only the label sent changes);
 * - `latency`: total latency and every stage × factor, then + addMs on the total and the `model` stage;
 * every affected event also gets the incident's `tags` (merged over its own) and `version`.
 * The features are corrupted BEFORE scoring, so the model sees what the logs show.
 */
import { dayRangeMs, type EventFilter, type Incident } from './scenario.js';

/** Replayed events as columns; the incident code edits them in place. */
export interface ReplayEvents {
  n: number;
  /** Event time, epoch ms. */
  time: Float64Array;
  numeric: Record<string, Float64Array>;
  categorical: Record<string, (string | null)[]>;
  /** 0/1 ground truth that will be sent. */
  label: Uint8Array;
  latencyMs: Float64Array;
  /** Per-stage timings in ms (e.g. `features`, `model`). */
  stages: Record<string, Float64Array>;
  /** Model version per event (unaffected events share one string). */
  version: string[];
  /** Tags per event (unaffected events share one object: never mutate it, replace it). */
  tags: Record<string, string>[];
}

/** Options of {@link applyIncidents}. */
export interface ApplyIncidentsOptions {
  /** Seed of the affected-event draw. Default 0. */
  seed?: number;
  /** Global index of events[0], so that batches draw like the whole replay. Default 0. */
  offset?: number;
  /** When given, set to 1 at every affected event (same length as the events). */
  mark?: Uint8Array;
}

const defaults = { seed: 0, offset: 0 };

/** Uniform in [0, 1) from a 32-bit avalanche hash (murmur3 fmix32) of (seed, incident, event). */
export function hashUniform(seed: number, incident: number, event: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(incident + 1, 0x85ebca77)) >>> 0;
  h = (h ^ (event >>> 0)) >>> 0;
  h = Math.imul(h ^ Math.floor(event / 4294967296), 0xcc9e2d51) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function matches(events: ReplayEvents, i: number, where: EventFilter | undefined): boolean {
  if (!where) return true;
  for (const [key, want] of Object.entries(where)) {
    let have: string | number | null | undefined;
    if (key === 'version') have = events.version[i];
    else if (key.startsWith('tags.')) have = events.tags[i][key.slice(5)];
    else if (key in events.numeric) have = events.numeric[key][i];
    else if (key in events.categorical) have = events.categorical[key][i];
    if (have === undefined || have === null || String(have) !== String(want)) return false;
  }
  return true;
}

/** Applies `incidents` to `events` in place; returns how many events each incident selected (matched and drawn). */
export function applyIncidents(
  events: ReplayEvents,
  incidents: readonly Incident[],
  options: ApplyIncidentsOptions = {},
): number[] {
  const { seed, offset } = { ...defaults, ...options };
  return incidents.map((incident, k) => {
    const { fromMs, toMs } = dayRangeMs(incident);
    const stamped = new Map<Record<string, string>, Record<string, string>>();
    let count = 0;
    for (let i = 0; i < events.n; i++) {
      const t = events.time[i];
      if (t < fromMs || t >= toMs || !matches(events, i, incident.where)) continue;
      if (incident.fraction < 1 && hashUniform(seed, k, offset + i) >= incident.fraction) continue;
      count++;
      if (options.mark) options.mark[i] = 1;
      affect(events, i, incident);
      if (incident.version !== undefined) events.version[i] = incident.version;
      if (incident.tags !== undefined) {
        const old = events.tags[i];
        let merged = stamped.get(old);
        if (!merged) {
          merged = { ...old, ...incident.tags };
          stamped.set(old, merged);
        }
        events.tags[i] = merged;
      }
    }
    return count;
  });
}

function affect(events: ReplayEvents, i: number, incident: Incident): void {
  switch (incident.kind) {
    case 'scale':
      events.numeric[incident.feature][i] *= incident.factor;
      return;
    case 'shift':
      events.numeric[incident.feature][i] += incident.by;
      return;
    case 'nulls':
      if (incident.feature in events.numeric) events.numeric[incident.feature][i] = Number.NaN;
      else events.categorical[incident.feature][i] = null;
      return;
    case 'category-remap': {
      const column = events.categorical[incident.feature];
      const v = column[i];
      if (v !== null && Object.hasOwn(incident.mapping, v)) column[i] = incident.mapping[v];
      return;
    }
    case 'label-flip':
      if (events.label[i] === incident.fromLabel) events.label[i] = incident.toLabel;
      return;
    case 'latency': {
      events.latencyMs[i] = events.latencyMs[i] * incident.factor + incident.addMs;
      for (const [name, stage] of Object.entries(events.stages))
        stage[i] = stage[i] * incident.factor + (name === 'model' ? incident.addMs : 0);
      return;
    }
  }
}
