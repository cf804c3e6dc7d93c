/**
 * Interventional (background-dataset) TreeSHAP: Lundberg et al. (2020), "From local
 * explanations to global understanding with explainable AI for trees", Nature Machine
 * Intelligence 2, 56–67, the independent (interventional) algorithm. The value function is
 * v(S) = mean_z f(x_S, z_¬S) over background rows z. For one (x, z) pair, a tree is walked
 * following x and z together; where they part on a feature not seen yet, both branches are
 * explored, one putting the feature in x's set A, the other in z's set B. At a leaf with value y,
 * each i ∈ A gains y · (|A|−1)! |B|! / (|A|+|B|)! and each j ∈ B loses y · |A|! (|B|−1)! / (|A|+|B|)!.
 * Complexity O(T · L · |background|) per row. Base value: mean margin over the background.
 */
import { errors } from '../../errors.js';
import type { CompiledModel } from '../compile.js';
import { alignColumns, type FeatureColumns, predictRow } from '../predict.js';
import type { ShapValues } from './linear.js';
import { direction } from './path-dependent.js';

/** Options of `interventionalShap`. */
export interface InterventionalOptions {
  /** Use at most this many background rows (the first ones). Default 100. */
  maxBackground?: number;
}

const defaults: Required<InterventionalOptions> = { maxBackground: 100 };

function rowsOf(cols: Float64Array[], limit: number): Float64Array[] {
  const n = Math.min(cols[0]?.length ?? 0, limit);
  return Array.from({ length: n }, (_, r) => Float64Array.from(cols, (col) => col[r]));
}

/** Interventional SHAP of each row of `X` against the rows of `background` (both feature columns). */
export function interventionalShap(
  c: CompiledModel,
  X: FeatureColumns,
  background: FeatureColumns,
  options: InterventionalOptions = {},
): ShapValues {
  if (c.numClass > 1)
    throw new TypeError(`invalid model: ${c.numClass} classes (interventional SHAP supports binary models)`);
  const { maxBackground } = { ...defaults, ...options };
  if (!Number.isInteger(maxBackground) || maxBackground < 1) {
    throw new RangeError(`invalid maxBackground: ${maxBackground} (expected an integer >= 1)`);
  }
  const bg = rowsOf(alignColumns(c, background), maxBackground);
  if (bg.length === 0) {
    throw errors.emptyInput('the background dataset has no rows', [
      { field: 'background', expected: 'at least one row' },
    ]);
  }
  const nf = c.featureNames.length;
  const fact = [1];
  for (let k = 1; k <= 2 * nf + 2; k++) fact.push(fact[k - 1] * k);
  const state = new Int8Array(nf); // 1 = in x's set, 2 = in z's set
  const inX: number[] = [];
  const inZ: number[] = [];
  let x: Float64Array = new Float64Array(0);
  let z: Float64Array = new Float64Array(0);
  let phi = new Float64Array(0);

  const walk = (node: number): void => {
    const f = c.feature[node];
    if (f < 0) {
      const y = c.value[node];
      const a = inX.length;
      const b = inZ.length;
      if (a > 0) {
        const gain = (y * fact[a - 1] * fact[b]) / fact[a + b];
        for (const i of inX) phi[i] += gain;
      }
      if (b > 0) {
        const loss = (y * fact[a] * fact[b - 1]) / fact[a + b];
        for (const j of inZ) phi[j] -= loss;
      }
      return;
    }
    const l = c.child[node];
    const dx = direction(c, node, x[f]);
    const dz = direction(c, node, z[f]);
    if (dx === dz || state[f] === 1) {
      walk(l + dx);
      return;
    }
    if (state[f] === 2) {
      walk(l + dz);
      return;
    }
    state[f] = 1;
    inX.push(f);
    walk(l + dx);
    inX.pop();
    state[f] = 2;
    inZ.push(f);
    walk(l + dz);
    inZ.pop();
    state[f] = 0;
  };

  let baseValue = 0;
  for (const row of bg) baseValue += predictRow(c, row);
  baseValue /= bg.length;
  const xs = rowsOf(alignColumns(c, X), Number.POSITIVE_INFINITY);
  const values = xs.map((row) => {
    x = row;
    phi = new Float64Array(nf);
    for (const zRow of bg) {
      z = zRow;
      for (let t = 0; t < c.nTrees; t++) walk(c.roots[t]);
    }
    for (let j = 0; j < nf; j++) phi[j] /= bg.length;
    return phi;
  });
  return { baseValue, featureNames: c.featureNames.slice(), values };
}
