/** Random small tree ensembles for property tests (seeded; numeric and categorical splits, repeated features). */
import type { TreeModel, TreeNodes } from '../../src/models/types.js';
import { createRng, type Rng } from '../../src/stats/random.js';

/** Number of features in random models; the last one is categorical with codes 0..5. */
export const RANDOM_FEATURES = 5;

function randomTree(rng: Rng, maxDepth: number, zeroMissing: boolean): TreeNodes {
  const t: TreeNodes = {
    left: [],
    right: [],
    feature: [],
    threshold: [],
    categories: [],
    defaultLeft: [],
    value: [],
    cover: [],
  };
  if (zeroMissing) t.zeroAsMissing = [];
  const add = (): number => {
    t.left.push(-1);
    t.right.push(-1);
    t.feature.push(-1);
    t.threshold.push(0);
    t.categories.push(null);
    t.defaultLeft.push(rng.next() < 0.5);
    t.value.push(0);
    t.cover.push(0);
    t.zeroAsMissing?.push(false);
    return t.left.length - 1;
  };
  const grow = (node: number, depth: number): number => {
    if (depth >= maxDepth || (depth > 0 && rng.next() < 0.25)) {
      t.value[node] = Math.round((rng.next() * 4 - 2) * 1000) / 1000;
      t.cover[node] = rng.next() < 0.1 ? 0.25 : 1 + Math.floor(rng.next() * 50);
      return t.cover[node];
    }
    const f = rng.int(RANDOM_FEATURES);
    t.feature[node] = f;
    if (f === RANDOM_FEATURES - 1) t.categories[node] = [0, 1, 2, 3, 4, 5].filter(() => rng.next() < 0.5);
    else t.threshold[node] = Math.round((rng.next() * 2 - 1) * 4) / 4;
    if (zeroMissing && f < RANDOM_FEATURES - 1) t.zeroAsMissing![node] = rng.next() < 0.5;
    const l = add();
    const r = add();
    t.left[node] = l;
    t.right[node] = r;
    t.cover[node] = grow(l, depth + 1) + grow(r, depth + 1);
    return t.cover[node];
  };
  grow(add(), 0);
  return t;
}

/** A random binary model with `nTrees` trees of depth <= maxDepth. */
export function randomModel(seed: number, nTrees: number, maxDepth: number, zeroMissing = false): TreeModel {
  const rng = createRng(seed);
  return {
    objective: 'binary:logistic',
    features: Array.from({ length: RANDOM_FEATURES }, (_, j) => ({
      name: `x${j}`,
      type: j === RANDOM_FEATURES - 1 ? ('categorical' as const) : ('numeric' as const),
    })),
    baseMargin: rng.next() - 0.5,
    trees: Array.from({ length: nTrees }, () => randomTree(rng, maxDepth, zeroMissing)),
    source: { format: 'plumbline-gbdt' },
  };
}

/** Random rows for random models: thresholds hit exactly, zeros, NaNs and categorical codes. */
export function randomRows(seed: number, n: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () =>
    Float64Array.from({ length: RANDOM_FEATURES }, (_, j) => {
      const u = rng.next();
      if (u < 0.1) return Number.NaN;
      if (j === RANDOM_FEATURES - 1) return rng.int(8) - 1;
      if (u < 0.2) return 0;
      return u < 0.5 ? Math.round((rng.next() * 2 - 1) * 4) / 4 : rng.next() * 2 - 1;
    }),
  );
}
