/** The small synthetic model the monitor, alert and dashboard tests seed their stores with. */
import type { FeatureSpec, Model } from '../../src/store/store.js';

/** One day in milliseconds. */
export const DAY = 86_400_000;
/** Start of the seeded data (2001-01-01, UTC). */
export const D0 = Date.UTC(2001, 0, 1);

/** A binary model with numeric `x`, `z`, categorical `cat`, sliced by `cat` and `tags.region`; override as needed. */
export function syntheticModel(
  options: { id?: string; features?: FeatureSpec[]; segments?: string[] } = {},
): Model {
  return {
    id: options.id ?? 'synth',
    task: 'binary',
    schema: {
      features: options.features ?? [
        { name: 'x', type: 'numeric' },
        { name: 'z', type: 'numeric' },
        { name: 'cat', type: 'categorical' },
      ],
      label: { name: 'y', classes: ['0', '1'] },
      positiveClass: '1',
      scoreField: 'score',
      threshold: 0.5,
      segments: options.segments ?? ['cat', 'tags.region'],
    },
    createdAtMs: D0,
  };
}

/** Index of the category drawn by uniform `u` ∈ [0, Σ weights): the first whose running sum exceeds `u`. */
export function weightedIndex(u: number, weights: readonly number[]): number {
  for (let i = 0; i < weights.length - 1; i++) {
    if (u < weights[i]) return i;
    u -= weights[i];
  }
  return weights.length - 1;
}
