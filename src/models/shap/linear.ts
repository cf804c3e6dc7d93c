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
import { createUnrolledExplainer, UNROLLED_MAX_DEPTH } from './linear-unrolled.js';
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
  /** Adds the attributions of `row` (model feature order, NaN = missing) to `phi`; class `k` (default 0) when multiclass. */
  explainRow(row: ArrayLike<number>, phi: Float64Array, k?: number): void;
  /** Expected margin (of class 0 for multiclass models). */
  baseValue: number;
  /** Expected margin of each class. */
  classBase: Float64Array;
}

/** Options of `createShapExplainer`. */
export interface ExplainerOptions {
  /** Use the generic loop even when the unrolled depth <= 8 evaluator applies (for tests). Default false. */
  generic?: boolean;
}

/** Builds a Linear TreeSHAP evaluator for `c` (buffers sized by the deepest tree). */
export function createShapExplainer(c: CompiledModel, options: ExplainerOptions = {}): ShapExplainer {
  const { ratio, leafWeight, baseValue, classBase } = prepareShap(c);
  const m = Math.max(1, Math.ceil(c.maxDepth / 2));
  const { t: nodes, w: weights } = gaussLegendre01(m);
  const depthSlots = (c.maxDepth + 2) * m;
  // Per depth d (slots d·m … d·m + m − 1), all at the quadrature nodes:
  // G = Π of the factors (1 − t + t·q_j) on the path to the current node;
  // R = Σ_{leaves v below} w(v) · Π of the factor ratios between the node and v, so that
  //     S = G ⊙ R is the node's Σ_v w(v) G_v and no per-leaf division is needed;
  // IP = 1 / (1 − t + t·qPrev) for the split feature (1 when it is new on the path);
  // WG = w_quad ⊙ G ⊙ IP; F = the factor ratio of the edge being explored.
  const G = new Float64Array(depthSlots);
  const R = new Float64Array(depthSlots);
  const IP = new Float64Array(depthSlots);
  const WG = new Float64Array(depthSlots);
  const F = new Float64Array(depthSlots);
  const q = new Float64Array(c.featureNames.length).fill(1);
  const { child, feature, flags, threshold } = c;
  let x: ArrayLike<number> = [];
  let phi: Float64Array = new Float64Array(0);

  // Fills R[depth] for the split node `node`.
  const visit = (node: number, depth: number): void => {
    const g = depth * m;
    const h = g + m;
    const f = feature[node];
    const v = x[f];
    let dir: number;
    if (flags[node] <= 1) {
      const th = threshold[node];
      dir = v < th ? 0 : v >= th ? 1 : 1 - flags[node];
    } else dir = direction(c, node, v);
    const qPrev = q[f];
    const seen = qPrev !== 1;
    for (let p = 0; p < m; p++) {
      const ip = seen ? 1 / (1 + nodes[p] * (qPrev - 1)) : 1;
      IP[g + p] = ip;
      WG[g + p] = weights[p] * G[g + p] * ip;
      R[g + p] = 0;
    }
    for (let k = 0; k < 2; k++) {
      const ch = child[node] + k;
      const r = ratio[ch];
      if (r === 0) continue;
      const hot = k === dir;
      const leaf = feature[ch] < 0;
      if (!hot && qPrev === 0) {
        // Already cold on f: the factor does not change and the contributions cancel.
        if (leaf) {
          const lw = leafWeight[ch];
          for (let p = 0; p < m; p++) R[g + p] += lw;
        } else {
          for (let p = 0; p < m; p++) G[h + p] = G[g + p];
          visit(ch, depth + 1);
          for (let p = 0; p < m; p++) R[g + p] += R[h + p];
        }
        continue;
      }
      const qNew = hot ? qPrev / r : 0;
      const dq = qNew - 1;
      for (let p = 0; p < m; p++) F[g + p] = (1 + nodes[p] * dq) * IP[g + p];
      let add = 0;
      let sub = 0;
      if (leaf) {
        const lw = leafWeight[ch];
        for (let p = 0; p < m; p++) {
          add += WG[g + p];
          sub += WG[g + p] * F[g + p];
          R[g + p] += F[g + p] * lw;
        }
        add *= lw;
        sub *= lw;
      } else {
        for (let p = 0; p < m; p++) G[h + p] = G[g + p] * F[g + p];
        q[f] = qNew;
        visit(ch, depth + 1);
        q[f] = qPrev;
        for (let p = 0; p < m; p++) {
          const wr = WG[g + p] * R[h + p];
          add += wr;
          sub += wr * F[g + p];
          R[g + p] += F[g + p] * R[h + p];
        }
      }
      phi[f] += dq * add - (qPrev - 1) * sub;
    }
  };

  if (c.maxDepth <= UNROLLED_MAX_DEPTH && !options.generic) {
    return { baseValue, classBase, explainRow: createUnrolledExplainer(c) };
  }
  return {
    baseValue,
    classBase,
    explainRow(row, out, k = 0) {
      x = row;
      phi = out;
      for (let p = 0; p < m; p++) G[p] = 1;
      for (let t = 0; t < c.nTrees; t++) {
        if (feature[c.roots[t]] >= 0 && c.treeClass[t] === k) visit(c.roots[t], 0);
      }
    },
  };
}

/** Options of `treeShap`. */
export interface TreeShapOptions {
  /** For multiclass models: explain this class's margin. Default 0 (the only one of binary models). */
  classIndex?: number;
}

const treeShapDefaults: Required<TreeShapOptions> = { classIndex: 0 };

/** Exact path-dependent TreeSHAP (Linear TreeSHAP) for a batch of rows given as feature columns. */
export function treeShap(c: CompiledModel, X: FeatureColumns, options: TreeShapOptions = {}): ShapValues {
  const { classIndex } = { ...treeShapDefaults, ...options };
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= c.numClass) {
    throw new RangeError(`invalid classIndex: ${classIndex} (expected an integer in [0, ${c.numClass}))`);
  }
  const cols = alignColumns(c, X);
  const nf = cols.length;
  const n = cols[0]?.length ?? 0;
  const explainer = createShapExplainer(c);
  const row = new Float64Array(nf);
  const values: Float64Array[] = [];
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < nf; j++) row[j] = cols[j][r];
    const phi = new Float64Array(nf);
    explainer.explainRow(row, phi, classIndex);
    values.push(phi);
  }
  return { baseValue: explainer.classBase[classIndex], featureNames: c.featureNames.slice(), values };
}
