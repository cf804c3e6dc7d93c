/**
 * One entry point to restore any stored sketch from its JSON, dispatching on `type`, so that a
 * store can keep heterogeneous per-window sketches in one column.
 */

import { FrequentItems, type FrequentItemsJson } from './frequent-items.js';
import { HyperLogLog, type HyperLogLogJson } from './hyperloglog.js';
import { type KllJson, KllSketch } from './kll.js';

/** The JSON of any Plumbline sketch. */
export type SketchJson = KllJson | HyperLogLogJson | FrequentItemsJson<string | number>;

/** Any Plumbline sketch. */
export type Sketch = KllSketch | HyperLogLog | FrequentItems<string | number>;

/** Restores a sketch from `toJSON()` output of any sketch type; throws TypeError on an unknown type. */
export function sketchFromJSON(json: SketchJson): Sketch {
  switch (json?.type) {
    case 'kll':
      return KllSketch.fromJSON(json);
    case 'hll':
      return HyperLogLog.fromJSON(json);
    case 'frequent-items':
      return FrequentItems.fromJSON(json);
    default:
      throw new TypeError(
        `invalid sketch JSON: type ${JSON.stringify((json as { type?: unknown })?.type)} (expected 'kll', 'hll' or 'frequent-items')`,
      );
  }
}
