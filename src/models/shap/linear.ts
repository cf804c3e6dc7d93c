/**
 * Fast exact path-dependent TreeSHAP: Linear TreeSHAP (Yu, Bapna & Eisenhofer, 2022,
 * "Linear TreeShap", NeurIPS), O(T · N · D) per row instead of O(T · L · D²).
 *
 * With q_j = Π_{edges on the path with feature j} 1[x follows the edge] / r(edge) and leaf weight
 * w(v) = value(v) · Π r, the path-dependent value function is f_S(x) = Σ_v w(v) Π_{j∈S∩F(v)} q_j,
 * and the Beta-integral form of the Shapley weights gives
 *   φ_i = Σ_v w(v) (q_i − 1) ∫₀¹ Π_{j∈F(v), j≠i} (1 − t + t·q_j) dt.
 * Each leaf's term is charged to the deepest edge on its path that splits on i. Polynomials are
 * kept as their values at the m Gauss–Legendre nodes (m = ⌈D/2⌉: exact up to degree 2m − 1 >= D − 1,
 * the degree of the integrands), so products and divisions by the linear factors are pointwise; a re-split on a
 * feature subtracts what its ancestor edge would otherwise claim for the subtree.
 * Results equal `pathDependentShap` (same value function, same base value) to rounding.
 */
import type { CompiledModel } from '../compile.js';
import { alignColumns, type FeatureColumns } from '../predict.js';
import { gaussLegendre01 } from './gauss-legendre.js';
import { direction } from './path-dependent.js';
import { prepareShap } from './prepare.js';

/** SHAP attributions in margin space: one row of per-feature values per input row. */
export interface ShapValues {
  /** E[f] over the training cover: Σ values[r] + baseValue = margin of row r. */
  baseValue: number;
  featureNames: string[];
  values: Float64Array[];
}

/** A reusable Linear TreeSHAP evaluator with preallocated buffers for one compiled model. */
export interface ShapExplainer {
  /** Adds the attributions of `row` (model feature order, NaN = missing) to `phi`. */
  explainRow(row: ArrayLike<number>, phi: Float64Array): void;
  baseValue: number;
}

/** Builds a Linear TreeSHAP evaluator for `c` (buffers sized by the deepest tree). */
export function createShapExplainer(c: CompiledModel): ShapExplainer {
  const { ratio, leafWeight, baseValue } = prepareShap(c);
  const m = Math.max(1, Math.ceil(c.maxDepth / 2));
  const { t: nodes, w: weights } = gaussLegendre01(m);
  const depthSlots = (c.maxDepth + 2) * m;
  const G = new Float64Array(depthSlots);
  const S = new Float64Array(depthSlots);
  const q = new Float64Array(c.featureNames.length).fill(1);
  const { child, feature, flags, threshold } = c;
  let x: ArrayLike<number> = [];
  let phi = new Float64Array(0);

  // Fills S[depth] with Σ_{leaves v under node} w(v) · G_v at the quadrature nodes.
  const visit = (node: number, depth: number): void => {
    const g = depth * m;
    const f = feature[node];
    if (f < 0) {
      const lw = leafWeight[node];
      for (let p = 0; p < m; p++) S[g + p] = lw * G[g + p];
      return;
    }
    const v = x[f];
    let dir: number;
    if (flags[node] <= 1) {
      const th = threshold[node];
      dir = v < th ? 0 : v >= th ? 1 : 1 - flags[node];
    } else dir = direction(c, node, v);
    const qPrev = q[f];
    const h = g + m;
    for (let p = 0; p < m; p++) S[g + p] = 0;
    for (let k = 0; k < 2; k++) {
      const ch = child[node] + k;
      const r = ratio[ch];
      if (r === 0) continue;
      const qNew = k === dir ? qPrev / r : 0;
      for (let p = 0; p < m; p++) {
        const tp = nodes[p];
        G[h + p] = (G[g + p] * (1 + tp * (qNew - 1))) / (1 + tp * (qPrev - 1));
      }
      q[f] = qNew;
      visit(ch, depth + 1);
      q[f] = qPrev;
      let add = 0;
      let sub = 0;
      for (let p = 0; p < m; p++) {
        const sp = S[h + p] * weights[p];
        const tp = nodes[p];
        add += sp / (1 + tp * (qNew - 1));
        sub += sp / (1 + tp * (qPrev - 1));
        S[g + p] += S[h + p];
      }
      phi[f] += (qNew - 1) * add - (qPrev - 1) * sub;
    }
  };

  return {
    baseValue,
    explainRow(row, out) {
      x = row;
      phi = out;
      for (let p = 0; p < m; p++) G[p] = 1;
      for (let t = 0; t < c.nTrees; t++) visit(c.roots[t], 0);
    },
  };
}

/** Exact path-dependent TreeSHAP (Linear TreeSHAP) for a batch of rows given as feature columns. */
export function treeShap(c: CompiledModel, X: FeatureColumns): ShapValues {
  const cols = alignColumns(c, X);
  const nf = cols.length;
  const n = cols[0]?.length ?? 0;
  const explainer = createShapExplainer(c);
  const row = new Float64Array(nf);
  const values: Float64Array[] = [];
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < nf; j++) row[j] = cols[j][r];
    const phi = new Float64Array(nf);
    explainer.explainRow(row, phi);
    values.push(phi);
  }
  return { baseValue: explainer.baseValue, featureNames: c.featureNames.slice(), values };
}
