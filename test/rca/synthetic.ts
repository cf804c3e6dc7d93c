/**
 * Synthetic flights-like windows with a trained GBDT, for the RCA tests: a baseline and a current
 * window drawn from the same process, onto which each test plants one known cause.
 */

import { trainGbdt } from '../../src/models/gbdt/index.js';
import { type CompiledModel, compileModel, predictProbabilities } from '../../src/models/index.js';
import type { ModelFeature } from '../../src/models/types.js';
import { createRng, type Rng } from '../../src/stats/random.js';

export const ORIGINS = ['ORD', 'ATL', 'LAX', 'DEN', 'JFK', 'SFO'];
export const CARRIERS = ['AA', 'UA', 'DL', 'WN'];
export const FEATURES: ModelFeature[] = [
  { name: 'distance', type: 'numeric' },
  { name: 'dep_hour', type: 'numeric' },
  { name: 'taxi_out', type: 'numeric' },
  { name: 'origin', type: 'categorical', categories: ORIGINS },
  { name: 'carrier', type: 'categorical', categories: CARRIERS },
];

/** One window of events. */
export interface Window {
  columns: Record<string, Float64Array>;
  labels: Float64Array;
  scores: Float64Array;
  tags: Record<string, (string | null)[]>;
  versions: string[];
  latencyMs: Float64Array;
  timeMs: Float64Array;
}

function logit(x: Float64Array[], r: number): number {
  const [distance, hour, taxi, origin] = x;
  return (
    -1 +
    1.6 * Math.tanh((distance[r] - 800) / 400) +
    0.12 * (hour[r] - 12) +
    0.08 * (taxi[r] - 15) +
    (origin[r] === 0 ? 0.6 : 0)
  );
}

/** Draws `n` rows of the process (feature columns in FEATURES order, 0/1 labels). */
export function draw(rng: Rng, n: number): { columns: Float64Array[]; labels: Float64Array } {
  const cols = FEATURES.map(() => new Float64Array(n));
  const labels = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    cols[0][r] = Math.max(50, 800 + 400 * rng.normal());
    cols[1][r] = 5 + rng.int(19);
    cols[2][r] = Math.max(2, 15 + 6 * rng.normal());
    cols[3][r] = rng.int(ORIGINS.length);
    cols[4][r] = rng.int(CARRIERS.length);
    labels[r] = rng.next() < 1 / (1 + Math.exp(-logit(cols, r))) ? 1 : 0;
  }
  return { columns: cols, labels };
}

let cached: { compiled: CompiledModel; features: ModelFeature[] } | undefined;

/** The model, trained once on 4 000 rows (40 trees of depth 4, seed 1). */
export function syntheticModel(): { compiled: CompiledModel; features: ModelFeature[] } {
  if (cached) return cached;
  const { columns, labels } = draw(createRng(1), 4000);
  const { model } = trainGbdt(
    { features: FEATURES, columns, label: labels },
    { nTrees: 40, maxDepth: 4, eta: 0.2, seed: 1 },
  );
  cached = { compiled: compileModel(model), features: FEATURES };
  return cached;
}

/** A window of `n` events starting at `startMs` over one day, all on pipeline v1 / version 1.0. */
export function syntheticWindow(seed: number, n: number, startMs = 0): Window {
  const rng = createRng(seed);
  const { columns, labels } = draw(rng, n);
  const record = Object.fromEntries(FEATURES.map((f, j) => [f.name, columns[j]]));
  const timeMs = Float64Array.from({ length: n }, (_, r) => startMs + Math.floor((r / n) * 86_400_000));
  return {
    columns: record,
    labels,
    scores: new Float64Array(n),
    tags: {
      pipeline: Array.from({ length: n }, () => 'v1'),
      host: Array.from({ length: n }, () => `host-${rng.int(4)}`),
    },
    versions: Array.from({ length: n }, () => '1.0'),
    latencyMs: Float64Array.from({ length: n }, () => 20 + 5 * Math.abs(rng.normal())),
    timeMs,
  };
}

/** Scores a window with the model (after the test planted its cause). */
export function scoreWindow(w: Window): Window {
  w.scores = predictProbabilities(syntheticModel().compiled, w.columns);
  return w;
}
