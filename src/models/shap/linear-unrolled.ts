/**
 * Linear TreeSHAP (see `linear.ts` for the method) hand-unrolled for trees of depth <= 8:
 * the 4-point Gauss–Legendre rule (exact up to degree 7 >= D − 1) with the four lanes held in
 * scalar locals and arguments instead of per-depth arrays. Same results as the generic loop to
 * rounding; about twice as fast because V8 keeps the lanes in registers.
 */
import type { CompiledModel } from '../compile.js';
import { gaussLegendre01 } from './gauss-legendre.js';
import { direction } from './path-dependent.js';
import { prepareShap } from './prepare.js';

/** Deepest tree this evaluator handles. */
export const UNROLLED_MAX_DEPTH = 8;

/** Builds a row explainer that adds attributions to `phi`; only for models with maxDepth <= 8. */
export function createUnrolledExplainer(
  c: CompiledModel,
): (row: ArrayLike<number>, phi: Float64Array) => void {
  if (c.maxDepth > UNROLLED_MAX_DEPTH) {
    throw new RangeError(`invalid model depth: ${c.maxDepth} (expected <= ${UNROLLED_MAX_DEPTH})`);
  }
  const { ratio, leafWeight } = prepareShap(c);
  const { t, w } = gaussLegendre01(4);
  const [t0, t1, t2, t3] = t;
  const [w0, w1, w2, w3] = w;
  // R of the node just visited, per depth (4 lanes each).
  const R = new Float64Array((UNROLLED_MAX_DEPTH + 2) * 4);
  const q = new Float64Array(c.featureNames.length).fill(1);
  const { child, feature, flags, threshold } = c;
  let x: ArrayLike<number> = [];
  let phi: Float64Array = new Float64Array(0);

  const visit = (node: number, depth: number, g0: number, g1: number, g2: number, g3: number): void => {
    const f = feature[node];
    const v = x[f];
    let dir: number;
    if (flags[node] <= 1) {
      const th = threshold[node];
      dir = v < th ? 0 : v >= th ? 1 : 1 - flags[node];
    } else dir = direction(c, node, v);
    const qPrev = q[f];
    const dPrev = qPrev - 1;
    let ip0 = 1;
    let ip1 = 1;
    let ip2 = 1;
    let ip3 = 1;
    if (dPrev !== 0) {
      ip0 = 1 / (1 + t0 * dPrev);
      ip1 = 1 / (1 + t1 * dPrev);
      ip2 = 1 / (1 + t2 * dPrev);
      ip3 = 1 / (1 + t3 * dPrev);
    }
    const wg0 = w0 * g0 * ip0;
    const wg1 = w1 * g1 * ip1;
    const wg2 = w2 * g2 * ip2;
    const wg3 = w3 * g3 * ip3;
    let r0 = 0;
    let r1 = 0;
    let r2 = 0;
    let r3 = 0;
    const h = (depth + 1) * 4;
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
          r0 += lw;
          r1 += lw;
          r2 += lw;
          r3 += lw;
        } else {
          visit(ch, depth + 1, g0, g1, g2, g3);
          r0 += R[h];
          r1 += R[h + 1];
          r2 += R[h + 2];
          r3 += R[h + 3];
        }
        continue;
      }
      const qNew = hot ? qPrev / r : 0;
      const dq = qNew - 1;
      const f0 = (1 + t0 * dq) * ip0;
      const f1 = (1 + t1 * dq) * ip1;
      const f2 = (1 + t2 * dq) * ip2;
      const f3 = (1 + t3 * dq) * ip3;
      let c0: number;
      let c1: number;
      let c2: number;
      let c3: number;
      if (leaf) {
        c0 = c1 = c2 = c3 = leafWeight[ch];
      } else {
        q[f] = qNew;
        visit(ch, depth + 1, g0 * f0, g1 * f1, g2 * f2, g3 * f3);
        q[f] = qPrev;
        c0 = R[h];
        c1 = R[h + 1];
        c2 = R[h + 2];
        c3 = R[h + 3];
      }
      const a0 = wg0 * c0;
      const a1 = wg1 * c1;
      const a2 = wg2 * c2;
      const a3 = wg3 * c3;
      phi[f] += dq * (a0 + a1 + a2 + a3) - dPrev * (a0 * f0 + a1 * f1 + a2 * f2 + a3 * f3);
      r0 += f0 * c0;
      r1 += f1 * c1;
      r2 += f2 * c2;
      r3 += f3 * c3;
    }
    const o = depth * 4;
    R[o] = r0;
    R[o + 1] = r1;
    R[o + 2] = r2;
    R[o + 3] = r3;
  };

  return (row, out, k = 0) => {
    x = row;
    phi = out;
    for (let tr = 0; tr < c.nTrees; tr++) {
      const root = c.roots[tr];
      if (feature[root] >= 0 && c.treeClass[tr] === k) visit(root, 0, 1, 1, 1, 1);
    }
  };
}
