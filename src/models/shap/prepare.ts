/**
 * Per-tree quantities that path-dependent TreeSHAP needs and that do not depend on the row:
 * the cover ratio of every edge, r(c) = cover(c) / cover(parent(c)), the weight of every leaf,
 * w(v) = value(v) · Π r along the path (= value · cover(v)/cover(root) when covers add up), and
 * the expected margin E[f] = baseMargin + Σ_trees Σ_leaves w(v), i.e. the cover-weighted mean
 * leaf value (XGBoost's `node_mean_values` at the root, the bias column of `pred_contribs`).
 */
import type { CompiledModel } from '../compile.js';

/** Row-independent SHAP tables of a compiled model. */
export interface ShapTables {
  /** Cover ratio of the edge into each node (1 for roots; 0 when the parent has no cover). */
  ratio: Float64Array;
  /** For leaves: value · product of the ratios on the path; 0 for split nodes. */
  leafWeight: Float64Array;
  /** The expected margin: baseMargin + Σ_trees E[tree] (of class 0 for multiclass models). */
  baseValue: number;
  /** The expected margin of each class (one entry for binary models). */
  classBase: Float64Array;
}

const cache = new WeakMap<CompiledModel, ShapTables>();

/** Computes (once per compiled model, cached) the row-independent SHAP tables. */
export function prepareShap(c: CompiledModel): ShapTables {
  const hit = cache.get(c);
  if (hit) return hit;
  const ratio = new Float64Array(c.nNodes).fill(1);
  const leafWeight = new Float64Array(c.nNodes);
  const pathWeight = new Float64Array(c.nNodes);
  const classBase = new Float64Array(c.numClass).fill(c.baseMargin);
  for (let t = 0; t < c.nTrees; t++) {
    const root = c.roots[t];
    pathWeight[root] = 1;
    // Breadth-first order: children always come after their parent in the layout.
    const end = t + 1 < c.nTrees ? c.roots[t + 1] : c.nNodes;
    let sum = 0;
    for (let i = root; i < end; i++) {
      if (c.feature[i] < 0) {
        leafWeight[i] = c.value[i] * pathWeight[i];
        sum += leafWeight[i];
        continue;
      }
      const l = c.child[i];
      const cover = c.cover[i];
      ratio[l] = cover > 0 ? c.cover[l] / cover : 0;
      ratio[l + 1] = cover > 0 ? c.cover[l + 1] / cover : 0;
      pathWeight[l] = pathWeight[i] * ratio[l];
      pathWeight[l + 1] = pathWeight[i] * ratio[l + 1];
    }
    classBase[c.treeClass[t]] += sum;
  }
  const tables = { ratio, leafWeight, baseValue: classBase[0], classBase };
  cache.set(c, tables);
  return tables;
}
