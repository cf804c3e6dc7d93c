/**
 * Shapley values by enumerating every feature subset, for checking the fast algorithms on
 * small models (cost O(2^F · F · T · N)). Two value functions:
 * - path-dependent: v(S) = E[f(x) | x_S], where at a split on a feature outside S both children
 *   are averaged, weighted by cover (the TreeSHAP conditional expectation);
 * - interventional: v(S) = mean over background rows z of f(x_S, z_¬S).
 * φ_i = Σ_{S ⊆ F∖{i}} |S|! (F − |S| − 1)! / F! · (v(S ∪ {i}) − v(S)).
 */
import type { CompiledModel } from '../compile.js';
import { predictRow } from '../predict.js';
import { direction } from './path-dependent.js';

function shapley(nf: number, v: (mask: number) => number): Float64Array {
  if (nf > 16) throw new RangeError(`invalid feature count: ${nf} (brute force expects <= 16)`);
  const values = new Float64Array(1 << nf);
  for (let mask = 0; mask < 1 << nf; mask++) values[mask] = v(mask);
  const fact = [1];
  for (let k = 1; k <= nf; k++) fact.push(fact[k - 1] * k);
  const phi = new Float64Array(nf);
  for (let mask = 0; mask < 1 << nf; mask++) {
    let size = 0;
    for (let j = 0; j < nf; j++) if (mask & (1 << j)) size++;
    const weight = (fact[size] * fact[nf - size - 1]) / fact[nf];
    for (let i = 0; i < nf; i++) {
      if (mask & (1 << i)) continue;
      phi[i] += weight * (values[mask | (1 << i)] - values[mask]);
    }
  }
  return phi;
}

function conditional(c: CompiledModel, node: number, x: ArrayLike<number>, mask: number): number {
  const f = c.feature[node];
  if (f < 0) return c.value[node];
  const l = c.child[node];
  if (mask & (1 << f)) return conditional(c, l + direction(c, node, x[f]), x, mask);
  const w = c.cover[node];
  if (w === 0) return 0;
  return (c.cover[l] * conditional(c, l, x, mask) + c.cover[l + 1] * conditional(c, l + 1, x, mask)) / w;
}

/** Path-dependent Shapley values of one row by subset enumeration (reference for tests). */
export function bruteForcePathShap(c: CompiledModel, x: ArrayLike<number>): Float64Array {
  return shapley(c.featureNames.length, (mask) => {
    let sum = c.baseMargin;
    for (let t = 0; t < c.nTrees; t++) sum += conditional(c, c.roots[t], x, mask);
    return sum;
  });
}

/** Interventional Shapley values of one row against background rows by subset enumeration. */
export function bruteForceInterventionalShap(
  c: CompiledModel,
  x: ArrayLike<number>,
  background: readonly ArrayLike<number>[],
): Float64Array {
  const nf = c.featureNames.length;
  const hybrid = new Float64Array(nf);
  return shapley(nf, (mask) => {
    let sum = 0;
    for (const z of background) {
      for (let j = 0; j < nf; j++) hybrid[j] = mask & (1 << j) ? x[j] : z[j];
      sum += predictRow(c, hybrid);
    }
    return sum / background.length;
  });
}
