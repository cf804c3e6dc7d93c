import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../stats/quantile.js';
import { createRng } from '../stats/random.js';
import { finiteQuantilesInPlace, selectInPlace } from './select-quantiles.js';

const ps = [0, 0.01, 0.5, 0.5, 0.95, 0.99, 1];

/** The reference: sort the finite values, then quantileSorted (type 7). */
function bySorting(values: number[], probs: number[]) {
  const sorted = Float64Array.from(values.filter(Number.isFinite)).sort();
  return probs.map((p) => (sorted.length > 0 ? quantileSorted(sorted, p) : null));
}

describe('finiteQuantilesInPlace', () => {
  // Tolerance: exact equality (the same order statistics and the same interpolation as quantileSorted).
  it('equals sorting then quantileSorted on random data with ties, NaN and infinities', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 300; trial++) {
      const n = Math.floor(rng.next() * (trial < 50 ? 6 : 400));
      const distinct = 1 + Math.floor(rng.next() * 30);
      const values = Array.from({ length: n }, () => {
        const u = rng.next();
        if (u < 0.03) return Number.NaN;
        if (u < 0.04) return u < 0.035 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
        return trial % 2 === 0 ? Math.floor(rng.next() * distinct) : rng.normal() * 1e3;
      });
      const got = finiteQuantilesInPlace(Float64Array.from(values), ps);
      expect(got.n).toBe(values.filter(Number.isFinite).length);
      expect(got.q, `trial ${trial}`).toEqual(bySorting(values, ps));
    }
  });

  it('returns nulls when no value is finite, and rejects descending probabilities', () => {
    expect(finiteQuantilesInPlace(Float64Array.from([Number.NaN]), [0.5])).toEqual({ n: 0, q: [null] });
    expect(() => finiteQuantilesInPlace(Float64Array.from([1, 2, 3]), [0.9, 0.5])).toThrow(RangeError);
  });
});

describe('selectInPlace', () => {
  it('puts the value of rank k at k, smaller before, larger after', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 100; trial++) {
      const a = Float64Array.from({ length: 1 + Math.floor(rng.next() * 200) }, () =>
        Math.floor(rng.next() * 20),
      );
      const sorted = Float64Array.from(a).sort();
      const k = Math.floor(rng.next() * a.length);
      selectInPlace(a, k, 0, a.length - 1);
      expect(a[k]).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(a[k]);
      for (let i = k + 1; i < a.length; i++) expect(a[i]).toBeGreaterThanOrEqual(a[k]);
    }
  });
});
