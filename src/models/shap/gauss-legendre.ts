/**
 * Gauss–Legendre quadrature on [0, 1]: m nodes and weights that integrate every polynomial of
 * degree <= 2m − 1 exactly. Nodes are the roots of the Legendre polynomial P_m, found by Newton's
 * method from Chebyshev-like starting points (Numerical Recipes, `gauleg`), then mapped to [0, 1].
 */

/** P_m(z) and its derivative by the three-term recurrence. */
function legendre(m: number, z: number): { p: number; dp: number } {
  let p1 = 1;
  let p2 = 0;
  for (let j = 1; j <= m; j++) {
    const p3 = p2;
    p2 = p1;
    p1 = ((2 * j - 1) * z * p2 - (j - 1) * p3) / j;
  }
  return { p: p1, dp: (m * (z * p1 - p2)) / (z * z - 1) };
}

/** Nodes `t` and weights `w` of the m-point Gauss–Legendre rule on [0, 1] (Σ w = 1). */
export function gaussLegendre01(m: number): { t: Float64Array; w: Float64Array } {
  if (!Number.isInteger(m) || m < 1)
    throw new RangeError(`invalid number of nodes: ${m} (expected an integer >= 1)`);
  const t = new Float64Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < Math.ceil(m / 2); i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    for (let iter = 0; iter < 100; iter++) {
      const { p, dp } = legendre(m, z);
      const dz = p / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    const { dp } = legendre(m, z);
    const weight = 1 / ((1 - z * z) * dp * dp);
    t[i] = (1 - z) / 2;
    t[m - 1 - i] = (1 + z) / 2;
    w[i] = weight;
    w[m - 1 - i] = weight;
  }
  return { t, w };
}
