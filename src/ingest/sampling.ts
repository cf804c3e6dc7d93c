/**
 * Detailed-log sampling. Aggregates always see 100 % of events; only *detailed rows* are sampled,
 * when the stored-row rate would exceed a budget. Within a batch the events are split into two
 * strata — priority (errors, rare segments, uncertain scores) and the rest — and each stratum is
 * sampled uniformly without replacement. A row drawn k of N from its stratum carries the
 * Horvitz–Thompson weight N/k (its inverse inclusion probability), so weighted sums over stored
 * rows are unbiased estimates of the sums over all events (Horvitz & Thompson, JASA 1952).
 * Pure: the random source and the clock are passed in.
 */
import type { Rng } from '../stats/random.js';
import type { PredictionRecord } from '../store/store.js';

/** How rows are chosen when the budget is smaller than the batch. */
export interface SampleOptions {
  /** Most rows to keep from this batch (≥ 0). */
  budget: number;
  /** Decision threshold: scores within `uncertaintyBand` of it are priority. */
  threshold: number;
  /** Half-width of the uncertain-score band around the threshold (default 0.1). */
  uncertaintyBand?: number;
  /** Segment columns (`feature` or `tags.<name>`); values rarer than `rareShare` in the batch are priority. */
  segments?: string[];
  /** Share of the batch below which a segment value is rare (default 0.01). */
  rareShare?: number;
  /** Share of the budget reserved for non-priority rows when there are any (default 0.1, at least one row). */
  restShare?: number;
  rng: Rng;
}

const defaults = { uncertaintyBand: 0.1, segments: [] as string[], rareShare: 0.01, restShare: 0.1 };

/** A kept row: its index in the batch and its inverse-probability weight. */
export interface SampledRow {
  index: number;
  weight: number;
}

/** True when an event reports an error (`tags.error` non-empty or `tags.status` = `error`). */
export function isErrorEvent(e: PredictionRecord): boolean {
  return (e.tags.error !== undefined && e.tags.error !== '') || e.tags.status === 'error';
}

function segmentValue(e: PredictionRecord, segment: string): string {
  const v = segment.startsWith('tags.') ? e.tags[segment.slice(5)] : e.features[segment];
  return v === undefined || v === null ? '\u0000null' : String(v);
}

/** Indices of priority events: errors, rare segment values, scores near the threshold. */
export function priorityIndices(
  events: PredictionRecord[],
  options: Omit<SampleOptions, 'budget' | 'rng'>,
): Set<number> {
  const o = { ...defaults, ...options };
  const rare = o.segments.map((s) => {
    const counts = new Map<string, number>();
    for (const e of events) {
      const v = segmentValue(e, s);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return { s, counts };
  });
  const limit = o.rareShare * events.length;
  const out = new Set<number>();
  events.forEach((e, i) => {
    if (
      isErrorEvent(e) ||
      Math.abs(e.score - o.threshold) <= o.uncertaintyBand ||
      rare.some(({ s, counts }) => (counts.get(segmentValue(e, s)) ?? 0) < limit)
    ) {
      out.add(i);
    }
  });
  return out;
}

/** Picks k of the given indices uniformly without replacement (partial Fisher–Yates). */
function pick(indices: number[], k: number, rng: Rng): number[] {
  const a = [...indices];
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

/** Chooses the rows to store from a batch, each with its weight; all rows (weight 1) within budget. */
export function sampleRows(events: PredictionRecord[], options: SampleOptions): SampledRow[] {
  const o = { ...defaults, ...options };
  if (!Number.isFinite(o.budget) && o.budget !== Number.POSITIVE_INFINITY) {
    throw new RangeError(`invalid budget: ${o.budget} (expected a number ≥ 0)`);
  }
  if (o.budget < 0) throw new RangeError(`invalid budget: ${o.budget} (expected a number ≥ 0)`);
  const budget = Math.floor(o.budget);
  if (budget >= events.length) return events.map((_, index) => ({ index, weight: 1 }));
  if (budget === 0) return [];
  const priority = priorityIndices(events, o);
  const first: number[] = [];
  const rest: number[] = [];
  events.forEach((_, i) => {
    (priority.has(i) ? first : rest).push(i);
  });
  // Every non-empty stratum needs at least one draw, or its rows would have inclusion probability 0.
  const strata: [number[], number][] = [];
  if (budget === 1 && first.length > 0 && rest.length > 0) {
    strata.push([[...first, ...rest], 1]);
  } else {
    const restQuota =
      rest.length === 0 ? 0 : Math.min(rest.length, Math.max(1, Math.floor(o.restShare * budget)));
    const kFirst = Math.min(first.length, budget - restQuota);
    strata.push([first, kFirst], [rest, Math.min(rest.length, budget - kFirst)]);
  }
  const out: SampledRow[] = [];
  for (const [stratum, k] of strata) {
    if (k === 0) continue;
    const weight = stratum.length / k;
    for (const index of pick(stratum, k, o.rng)) out.push({ index, weight });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A token bucket that turns a stored-rows-per-second limit into per-batch budgets. */
export interface RowBudget {
  tokens: number;
  atMs: number;
}

/** Refills the bucket to `nowMs` (at `ratePerSecond`, capped at `burst`) and returns the new state. */
export function refillBudget(
  state: RowBudget,
  nowMs: number,
  ratePerSecond: number,
  burst: number,
): RowBudget {
  if (!(ratePerSecond >= 0)) throw new RangeError(`invalid rate: ${ratePerSecond} (expected a number ≥ 0)`);
  const elapsed = Math.max(0, nowMs - state.atMs);
  return {
    tokens: Math.min(burst, state.tokens + (elapsed * ratePerSecond) / 1000),
    atMs: Math.max(nowMs, state.atMs),
  };
}
