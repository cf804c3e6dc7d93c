/**
 * Compiles a `TreeModel` of any source format into one flat evaluation layout shared by
 * prediction and SHAP: typed arrays across all trees, no object per node.
 *
 * Layout: the nodes of tree t start at `roots[t]`; siblings are adjacent, so a split node `i`
 * sends left to `child[i]` and right to `child[i] + 1`; leaves have `feature[i] === -1`.
 * Categorical splits point (`catStart`, `catWords`) into one shared bitset pool whose set bits
 * are the codes that go right. Complexity: O(total nodes) time and memory.
 */
import type { TreeModel } from './types.js';

/** `flags` bit: a missing value goes left. */
export const FLAG_DEFAULT_LEFT = 1;
/** `flags` bit: the split is categorical (bitset of codes that go right). */
export const FLAG_CATEGORICAL = 2;
/** `flags` bit: |x| <= 1e-35 counts as missing (LightGBM missing type "Zero"). */
export const FLAG_ZERO_MISSING = 4;
/** LightGBM's `kZeroThreshold`. */
export const ZERO_THRESHOLD = 1e-35;

/** A model in the flat evaluation layout. Read-only after compilation. */
export interface CompiledModel {
  featureNames: string[];
  /** True when inputs are matched by position rather than by name. */
  positional: boolean;
  /** Category labels per feature (code = index), when the model has them. */
  featureCategories: (string[] | undefined)[];
  baseMargin: number;
  /** 1 for binary models; the number of classes for multiclass ones. */
  numClass: number;
  /** Class whose margin each tree adds to (all 0 for binary models). */
  treeClass: Int32Array;
  nTrees: number;
  nNodes: number;
  /** Deepest leaf over all trees (edges from the root). */
  maxDepth: number;
  roots: Int32Array;
  child: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  value: Float64Array;
  cover: Float64Array;
  flags: Uint8Array;
  catStart: Int32Array;
  catWords: Int32Array;
  catPool: Uint32Array;
  /** Depth of each tree (edges from the root to its deepest leaf). */
  treeDepth: Int32Array;
  /**
   * Branch-free stepping for batch prediction: like `feature`/`child`, except that a leaf points
   * to itself through feature 0 (its threshold is NaN and flags default-left, so it never moves).
   * Walking exactly `treeDepth[t]` steps from the root then ends on the row's leaf.
   */
  stepFeature: Int32Array;
  stepChild: Int32Array;
}

/** Lays out every tree of `model` in typed arrays (siblings adjacent, breadth first). */
export function compileModel(model: TreeModel): CompiledModel {
  const nNodes = model.trees.reduce((s, t) => s + t.left.length, 0);
  const roots = new Int32Array(model.trees.length);
  const child = new Int32Array(nNodes).fill(-1);
  const feature = new Int32Array(nNodes).fill(-1);
  const threshold = new Float64Array(nNodes);
  const value = new Float64Array(nNodes);
  const cover = new Float64Array(nNodes);
  const flags = new Uint8Array(nNodes);
  const catStart = new Int32Array(nNodes);
  const catWords = new Int32Array(nNodes);
  const pool: number[] = [];
  let next = 0;
  let maxDepth = 0;
  const treeDepth = new Int32Array(model.trees.length);
  const stepFeature = new Int32Array(nNodes);
  const stepChild = new Int32Array(nNodes);
  model.trees.forEach((tree, t) => {
    roots[t] = next;
    // Breadth-first queue of [source node, destination slot, depth].
    const queue: number[] = [0, next++, 0];
    for (let q = 0; q < queue.length; q += 3) {
      const src = queue[q];
      const dst = queue[q + 1];
      const depth = queue[q + 2];
      cover[dst] = tree.cover[src];
      if (tree.left[src] === -1) {
        value[dst] = tree.value[src];
        threshold[dst] = Number.NaN;
        flags[dst] = FLAG_DEFAULT_LEFT;
        stepChild[dst] = dst;
        if (depth > maxDepth) maxDepth = depth;
        if (depth > treeDepth[t]) treeDepth[t] = depth;
        continue;
      }
      feature[dst] = tree.feature[src];
      stepFeature[dst] = tree.feature[src];
      threshold[dst] = tree.threshold[src];
      let fl = tree.defaultLeft[src] ? FLAG_DEFAULT_LEFT : 0;
      if (tree.zeroAsMissing?.[src]) fl |= FLAG_ZERO_MISSING;
      const cats = tree.categories[src];
      if (cats !== null) {
        fl |= FLAG_CATEGORICAL;
        const words = cats.length === 0 ? 0 : (Math.max(...cats) >>> 5) + 1;
        catStart[dst] = pool.length;
        catWords[dst] = words;
        for (let w = 0; w < words; w++) pool.push(0);
        for (const c of cats) pool[catStart[dst] + (c >>> 5)] |= 1 << (c & 31);
      }
      flags[dst] = fl;
      child[dst] = next;
      stepChild[dst] = next;
      queue.push(tree.left[src], next, depth + 1, tree.right[src], next + 1, depth + 1);
      next += 2;
    }
  });
  return {
    featureNames: model.features.map((f) => f.name),
    positional: model.positional === true,
    featureCategories: model.features.map((f) => f.categories),
    baseMargin: model.baseMargin,
    numClass: model.objective === 'multi:softprob' ? (model.numClass ?? 1) : 1,
    treeClass: model.treeClass ? Int32Array.from(model.treeClass) : new Int32Array(model.trees.length),
    nTrees: model.trees.length,
    nNodes: next,
    maxDepth,
    roots,
    child: child.subarray(0, next),
    feature: feature.subarray(0, next),
    threshold: threshold.subarray(0, next),
    value: value.subarray(0, next),
    cover: cover.subarray(0, next),
    flags: flags.subarray(0, next),
    catStart,
    catWords,
    catPool: Uint32Array.from(pool),
    treeDepth,
    stepFeature: stepFeature.subarray(0, next),
    stepChild: stepChild.subarray(0, next),
  };
}

/**
 * Which child (0 = left, 1 = right) a value takes at a split node with flags (slow path:
 * categorical and zero-as-missing splits; plain numeric splits are inlined by callers).
 */
export function decideSlow(c: CompiledModel, i: number, x: number): number {
  const fl = c.flags[i];
  if (Number.isNaN(x) || ((fl & FLAG_ZERO_MISSING) !== 0 && x >= -ZERO_THRESHOLD && x <= ZERO_THRESHOLD)) {
    return (fl & FLAG_DEFAULT_LEFT) !== 0 ? 0 : 1;
  }
  if ((fl & FLAG_CATEGORICAL) === 0) return x < c.threshold[i] ? 0 : 1;
  const code = Math.trunc(x);
  if (code < 0 || code >= c.catWords[i] * 32) return 0;
  return (c.catPool[c.catStart[i] + (code >>> 5)] >>> (code & 31)) & 1;
}
