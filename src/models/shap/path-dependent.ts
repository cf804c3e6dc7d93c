/**
 * Exact path-dependent TreeSHAP, the reference implementation: Lundberg, Erion & Lee (2018),
 * "Consistent Individualized Feature Attribution for Tree Ensembles", Algorithm 2, ported from
 * the `shap` package's `tree_shap_recursive` (the same algorithm as XGBoost's `pred_contribs`).
 * The value function is the cover-weighted conditional expectation E[f(x) | x_S].
 * Complexity O(T · L · D²) per row (T trees, L leaves, D depth). Kept simple and readable;
 * `linearTreeShap` is the fast production path and is checked against this one.
 */
import { type CompiledModel, decideSlow } from '../compile.js';
import { prepareShap } from './prepare.js';

interface PathElement {
  feature: number;
  zero: number;
  one: number;
  weight: number;
}

function extend(path: PathElement[], depth: number, zero: number, one: number, feature: number): void {
  path[depth] = { feature, zero, one, weight: depth === 0 ? 1 : 0 };
  for (let i = depth - 1; i >= 0; i--) {
    path[i + 1].weight += (one * path[i].weight * (i + 1)) / (depth + 1);
    path[i].weight = (zero * path[i].weight * (depth - i)) / (depth + 1);
  }
}

function unwind(path: PathElement[], depth: number, index: number): void {
  const { one, zero } = path[index];
  let next = path[depth].weight;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = path[i].weight;
      path[i].weight = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (path[i].weight * zero * (depth - i)) / (depth + 1);
    } else {
      path[i].weight = (path[i].weight * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    path[i] = { ...path[i + 1], weight: path[i].weight };
  }
}

function unwoundSum(path: PathElement[], depth: number, index: number): number {
  const { one, zero } = path[index];
  let next = path[depth].weight;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = next / ((i + 1) * one);
      total += tmp;
      next = path[i].weight - tmp * zero * (depth - i);
    } else {
      total += path[i].weight / (zero * (depth - i));
    }
  }
  return total * (depth + 1);
}

/** The child (0 left, 1 right) that `x` takes at split node `i`. */
export function direction(c: CompiledModel, i: number, x: number): number {
  if (c.flags[i] <= 1) {
    const t = c.threshold[i];
    return x < t ? 0 : x >= t ? 1 : 1 - c.flags[i];
  }
  return decideSlow(c, i, x);
}

/** Path-dependent TreeSHAP attributions of one row (model feature order, NaN = missing); phi has one slot per feature. */
export function pathDependentShapRow(c: CompiledModel, row: ArrayLike<number>, phi: Float64Array): void {
  const { cover, child, feature, value } = c;
  const recurse = (
    node: number,
    parent: PathElement[],
    depth: number,
    zero: number,
    one: number,
    feat: number,
  ) => {
    const path = parent.slice(0, depth).map((e) => ({ ...e }));
    extend(path, depth, zero, one, feat);
    const f = feature[node];
    if (f < 0) {
      for (let i = 1; i <= depth; i++) {
        const w = unwoundSum(path, depth, i);
        phi[path[i].feature] += w * (path[i].one - path[i].zero) * value[node];
      }
      return;
    }
    const dir = direction(c, node, row[f]);
    const hot = child[node] + dir;
    const cold = child[node] + 1 - dir;
    const w = cover[node];
    let inZero = 1;
    let inOne = 1;
    let k = 0;
    while (k <= depth && path[k].feature !== f) k++;
    if (k <= depth) {
      inZero = path[k].zero;
      inOne = path[k].one;
      unwind(path, depth, k);
      depth -= 1;
    }
    recurse(hot, path, depth + 1, w > 0 ? (cover[hot] / w) * inZero : 0, inOne, f);
    recurse(cold, path, depth + 1, w > 0 ? (cover[cold] / w) * inZero : 0, 0, f);
  };
  for (let t = 0; t < c.nTrees; t++) recurse(c.roots[t], [], 0, 1, 1, -1);
}

/** Path-dependent TreeSHAP for many rows (each in model feature order): attributions and the base value. */
export function pathDependentShap(
  c: CompiledModel,
  rows: readonly ArrayLike<number>[],
): { baseValue: number; values: Float64Array[] } {
  const values = rows.map((row) => {
    const phi = new Float64Array(c.featureNames.length);
    pathDependentShapRow(c, row, phi);
    return phi;
  });
  return { baseValue: prepareShap(c).baseValue, values };
}
